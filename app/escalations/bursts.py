"""Bursts of urgent cases from one client: every crisis still opens its own urgent escalation at once (none is ever
held back), but those opened from one client within XINAN_BURST_WINDOW_SECONDS share a burst id, so the console
raises one alert with a count and the queue marks them. The client is known only as the limiter's keyed hash, for
the length of the window (in Redis when configured, so every replica joins the same burst); the stored burst id is
the first case's id, which says nothing about where the requests came from."""
from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar

import redis

log = logging.getLogger("xinan.bursts")
# The keyed hash of the client whose employee turn is running (set by the message route around the turn).
turn_client: ContextVar[str | None] = ContextVar("xinan_turn_client", default=None)
_redis: redis.Redis | None = None
_lock = threading.Lock()
_memory: dict[str, tuple[str, float]] = {}


def configure(redis_url: str | None) -> None:
    global _redis
    _redis = redis.Redis.from_url(redis_url, socket_timeout=1) if redis_url else None


def join(client: str, escalation_id: str, window_seconds: int) -> str:
    """The burst this client's new urgent case belongs to: the running one, or a new one it starts."""
    key = f"xinan:burst:{client}"
    if _redis is not None:
        try:
            _redis.set(key, escalation_id, nx=True, ex=window_seconds)
            found = _redis.get(key)
            return found.decode() if found else escalation_id
        except redis.RedisError:
            log.warning("Redis unavailable: burst kept on this replica")
    now = time.monotonic()
    with _lock:
        for k in [k for k, (_, until) in _memory.items() if until <= now]:
            del _memory[k]
        burst, until = _memory.setdefault(key, (escalation_id, now + window_seconds))
        return burst
