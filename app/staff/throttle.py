"""Failed-login throttling that slows a guesser without locking the real user out.

Failures count per (username, client) on a ladder (N a minute, 3N an hour, 6N a day): each rung makes the wait
longer, and a success clears it. A client that fails across many usernames is slowed as a whole. Nothing counts
per username alone, so no one can lock a counsellor out by failing in their name: the counsellor's own client
(or any clean client) with the right password still gets in. Counts live in `app.ratelimit` (Redis when set).
"""
from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItem, parse_many

from app.ratelimit import RateLimits

CLIENT_FACTOR = 6  # one client may fail this many times the per-username budget across all usernames


@dataclass(frozen=True)
class LoginThrottle:
    limits: RateLimits
    per_minute: int

    def _user(self) -> list[RateLimitItem]:
        n = self.per_minute
        return parse_many(f"{n}/minute;{3 * n}/hour;{6 * n}/day")

    def _client(self) -> list[RateLimitItem]:
        n = self.per_minute * CLIENT_FACTOR
        return parse_many(f"{n}/minute;{4 * n}/hour")

    def _ids(self, username: str, client: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("login-user", self.limits.key(f"{username.casefold()}\n{client}")), \
            ("login-client", self.limits.key(client))

    def wait(self, username: str, client: str) -> int:
        """0 when this client may try this username now, else the seconds to wait (Retry-After)."""
        user_ids, client_ids = self._ids(username, client)
        waits = [self.limits.retry_after(items, *ids) for items, ids in ((self._user(), user_ids),
                                                                         (self._client(), client_ids))
                 if not self.limits.allowed(items, *ids)]
        return max(waits, default=0)

    def failed(self, username: str, client: str) -> None:
        user_ids, client_ids = self._ids(username, client)
        self.limits.hit(self._user(), *user_ids)
        self.limits.hit(self._client(), *client_ids)

    def succeeded(self, username: str, client: str) -> None:
        """The real user is back: their own failures from this client are forgotten."""
        self.limits.clear(self._user(), *self._ids(username, client)[0])
