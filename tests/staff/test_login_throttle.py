"""Failed logins slow the guesser, never lock out the real user: throttling is per username and client,
and the client is who a trusted proxy (XINAN_TRUSTED_PROXIES) says it is, never what an untrusted peer claims.
Two simulated clients behind one trusted proxy, as behind the shipped nginx."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import db as app_db
from app.config import Settings
from app.runtime import get_runtime
from app.staff import throttle
from tests.conftest import make_settings
from tests.escalations.helpers import PASSWORD, make_staff
from tests.fakes import FakeRasa

PROXY = ("10.9.0.2", 40000)  # the reverse proxy: the only peer the app sees
ATTACKER, COUNSELLOR = "203.0.113.66", "198.51.100.7"
TOKEN = "/api/v1/auth/token"


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Iterator[Settings]:
    s = make_settings(tmp_path, database_url=db_url, trusted_proxies="10.9.0.0/24")
    yield s
    app_db.get_engine.cache_clear()


def _via(client: TestClient, peer: tuple[str, int] = PROXY) -> TestClient:
    return TestClient(client.app, client=peer)


def _login(c: TestClient, username: str, password: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return c.post(TOKEN, data={"username": username, "password": password}, headers=headers).status_code


def test_an_attacker_behind_the_proxy_cannot_lock_the_counsellor_out(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    make_staff("target", "counsellor")
    make_staff("bystander", "counsellor")
    proxy = _via(client)
    n = get_runtime().settings.login_attempts_per_minute
    codes = [_login(proxy, "target", f"guess-{i}", ATTACKER) for i in range(n + 3)]
    assert codes == [401] * n + [429] * 3  # the guesser is slowed...
    r = proxy.post(TOKEN, data={"username": "target", "password": PASSWORD}, headers={"X-Forwarded-For": ATTACKER})
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 60  # ...even with a right guess...
    assert _login(proxy, "target", PASSWORD, COUNSELLOR) == 200  # ...the counsellor, at their desk, is not
    assert _login(proxy, "bystander", PASSWORD, ATTACKER) == 200  # and other accounts are not slowed for it


def test_the_ladder_slows_more_the_longer_it_goes(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Past the per-minute rung the wait is the hour's (then the day's): backoff, not a fixed minute."""
    client, _ = app_client
    make_staff("ladder", "counsellor")
    limits = client.app.state.limits  # type: ignore[attr-defined]
    t = throttle.LoginThrottle(limits, get_runtime().settings.login_attempts_per_minute)
    for _ in range(3 * t.per_minute):  # as if the guesser had waited out the minute rung twice
        for item in t._user()[1:]:
            limits.limiter.hit(item, *t._ids("ladder", ATTACKER)[0])
    assert t.wait("ladder", ATTACKER) > 60
    assert t.wait("ladder", COUNSELLOR) == 0
    assert _login(_via(client), "ladder", PASSWORD, COUNSELLOR) == 200


def test_a_success_clears_the_users_own_failures(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    make_staff("typo", "counsellor")
    proxy = _via(client)
    n = get_runtime().settings.login_attempts_per_minute
    for _ in range(n - 1):
        assert _login(proxy, "typo", "wrong-password", COUNSELLOR) == 401
    assert _login(proxy, "typo", PASSWORD, COUNSELLOR) == 200
    assert [_login(proxy, "typo", "wrong-password", COUNSELLOR) for _ in range(n)] == [401] * n


def test_spraying_usernames_from_one_client_is_slowed(app_client: tuple[TestClient, FakeRasa],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = app_client
    monkeypatch.setattr(throttle, "CLIENT_FACTOR", 2)  # the mechanism, not the production budget: argon2 is slow
    make_staff("real", "counsellor")
    proxy = _via(client)
    budget = get_runtime().settings.login_attempts_per_minute * throttle.CLIENT_FACTOR
    codes = [_login(proxy, f"user{i}", "x" * 8, ATTACKER) for i in range(budget + 1)]
    assert codes == [401] * budget + [429]
    assert _login(proxy, "real", PASSWORD, ATTACKER) == 429  # the spraying client waits for everyone...
    assert _login(proxy, "real", PASSWORD, COUNSELLOR) == 200  # ...another client behind the same proxy does not


def test_forwarded_for_from_an_untrusted_peer_is_ignored(app_client: tuple[TestClient, FakeRasa]) -> None:
    """A client reaching the app directly cannot dodge the throttle by naming a new address in each request."""
    client, _ = app_client
    make_staff("direct", "counsellor")
    peer = _via(client, ("192.0.2.44", 51000))
    n = get_runtime().settings.login_attempts_per_minute
    codes = [_login(peer, "direct", "wrong-password", f"198.18.0.{i}") for i in range(n + 2)]
    assert codes == [401] * n + [429, 429]
    assert _login(_via(client), "direct", PASSWORD, COUNSELLOR) == 200


def test_failed_logins_are_throttled_without_a_proxy(app_client: tuple[TestClient, FakeRasa]) -> None:
    """No XINAN_TRUSTED_PROXIES match: the peer address is the client."""
    client, _ = app_client
    make_staff("plain", "counsellor")
    n = get_runtime().settings.login_attempts_per_minute
    assert [_login(client, "plain", "wrong-password") for _ in range(n + 1)] == [401] * n + [429]
    assert _login(_via(client, ("192.0.2.9", 1)), "plain", PASSWORD) == 200
