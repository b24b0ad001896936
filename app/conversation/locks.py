"""One turn in flight per session. One machine: an asyncio lock per session id. Several app replicas: a Redis
lock (with an expiry, so a killed replica cannot hold a conversation forever)."""
from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from redis.exceptions import LockError

_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
_redis: aioredis.Redis | None = None
LOCK_SECONDS = 60  # longer than any turn (Rasa's timeout is seconds); expires if the holder dies
WAIT_SECONDS = 30


class TurnBusy(Exception):
    """Another turn of this conversation is still running somewhere."""


def configure(redis_url: str | None) -> None:
    global _redis
    _redis = aioredis.Redis.from_url(redis_url) if redis_url else None


@asynccontextmanager
async def session_turn(session_id: str) -> AsyncIterator[None]:
    if _redis is not None:
        lock = _redis.lock(f"xinan:turn:{session_id}", timeout=LOCK_SECONDS, blocking_timeout=WAIT_SECONDS)
        if not await lock.acquire():
            raise TurnBusy()
        try:
            yield
        finally:
            with contextlib.suppress(LockError):  # it expired; the turn still finished
                await lock.release()
        return
    lock_ = _locks.get(session_id)
    if lock_ is None:
        lock_ = asyncio.Lock()
        _locks[session_id] = lock_
    async with lock_:
        yield
