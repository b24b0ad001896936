"""Rate limits through the `limits` library: in Redis when XINAN_REDIS_URL is set, so every app replica counts
against one limit; in this process's memory otherwise. Keys are keyed hashes (never an address in clear), and a
storage that does not answer lets the request through (a limit must never stand between an employee and help)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import time

import anyio
from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("xinan.ratelimit")


def per_minute(n: int) -> list[RateLimitItem]:
    return parse_many(f"{n}/minute")


class RateLimits:
    """One limiter for the app: `hit` counts and answers whether every item of a ladder still allows it."""

    def __init__(self, redis_url: str | None, pepper: bytes) -> None:
        self.shared = bool(redis_url)
        if redis_url:
            self.storage = storage_from_string(redis_url, key_prefix="xinan-limits", wrap_exceptions=True,
                                               socket_timeout=1, socket_connect_timeout=1)
        else:
            self.storage = MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)
        self._pepper = pepper

    def key(self, value: str) -> str:
        """A keyed hash of an address or name: what the store holds is not reversible without the pepper."""
        return hmac.new(self._pepper, value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:24]

    def allowed(self, items: list[RateLimitItem], *ids: str) -> bool:
        """Would one more hit pass every item? (counts nothing)"""
        try:
            return all(self.limiter.test(item, *ids) for item in items)
        except StorageError:
            log.warning("rate-limit store unavailable: allowing")
            return True

    def hit(self, items: list[RateLimitItem], *ids: str) -> bool:
        """Count one hit against every item that still has room; False when any item is exhausted."""
        try:
            ok = self.allowed(items, *ids)
            if ok:
                for item in items:
                    self.limiter.hit(item, *ids)
            return ok
        except StorageError:
            log.warning("rate-limit store unavailable: allowing")
            return True

    async def ahit(self, items: list[RateLimitItem], *ids: str) -> bool:
        """`hit` for async routes: Redis is asked from a worker thread, never on the event loop."""
        if not self.shared:
            return self.hit(items, *ids)
        return await anyio.to_thread.run_sync(self.hit, items, *ids)

    def clear(self, items: list[RateLimitItem], *ids: str) -> None:
        try:
            for item in items:
                self.limiter.clear(item, *ids)
        except StorageError:
            log.warning("rate-limit store unavailable: nothing cleared")

    def retry_after(self, items: list[RateLimitItem], *ids: str) -> int:
        """Seconds until every item has room again (for the Retry-After header)."""
        try:
            resets = [self.limiter.get_window_stats(item, *ids) for item in items]
        except StorageError:
            return 1
        waits = [s.reset_time - time.time() for s in resets if s.remaining <= 0]
        return max(1, int(max(waits, default=1) + 0.999))


def limits_of(request: Request) -> RateLimits:
    return request.app.state.limits


def client_host(request: Request) -> str:
    """The client's address: the peer, or what a trusted proxy put in X-Forwarded-For (ProxyHeadersMiddleware,
    installed by create_app only for XINAN_TRUSTED_PROXIES). Used only as a limiter key, never stored or logged."""
    return request.client.host if request.client else "?"
