"""Anonymous flooding: new conversations are limited per client and per unit link, and a burst of urgent
cases from one client still opens every escalation (a real crisis is never held back) but shares one burst id, so
the console raises one alert with a count and the queue marks the burst."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import db as app_db
from app.config import Settings
from tests.conftest import make_settings
from tests.escalations.helpers import say, staff
from tests.fakes import FakeRasa
from tests.network.helpers import WORLD_LINK, register_links

PER_CLIENT, PER_UNIT = 6, 9


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Iterator[Settings]:
    s = make_settings(tmp_path, database_url=db_url, sessions_per_client_per_minute=PER_CLIENT,
                      sessions_per_unit_per_minute=PER_UNIT, trusted_proxies="10.9.0.2")
    yield s
    app_db.get_engine.cache_clear()


def _as(client: TestClient, address: str) -> TestClient:
    """A client behind the trusted proxy, as the shipped nginx forwards it."""
    return TestClient(client.app, client=("10.9.0.2", 40000), headers={"X-Forwarded-For": address})


def _new(c: TestClient, org: str = "acme", unit: str = "plant-1") -> int:
    register_links(None, *WORLD_LINK)
    return c.post("/api/v1/sessions", json={"org": org, "unit": unit, "locale": "zh-CN"}).status_code


def test_new_sessions_are_limited_per_client_and_per_unit_link(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    a, b, c = (_as(client, ip) for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"))
    assert [_new(a) for _ in range(PER_CLIENT + 1)] == [201] * PER_CLIENT + [429]
    assert [_new(b) for _ in range(PER_UNIT - PER_CLIENT + 1)] == [201] * (PER_UNIT - PER_CLIENT) + [429]
    r = c.post("/api/v1/sessions", json={"org": "acme", "unit": "plant-1"})
    assert r.status_code == 429 and "link" in r.json()["detail"] and r.headers["retry-after"]
    register_links(None, "acme", "plant-2")
    assert _new(c, unit="plant-2") == 201  # another unit's link is not held up
    assert client.get("/api/v1/resources").status_code == 200  # the hotlines stay reachable for a refused client


def test_a_burst_of_crises_opens_every_case_grouped(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    counsellor = staff(client, "flood-watch")
    flood = _as(client, "198.51.100.99")
    register_links(None, "acme", "x", *(f"u{i}" for i in range(PER_CLIENT)))
    for i in range(PER_CLIENT):  # PER_CLIENT fresh sessions (the creation limit), each in crisis at once
        r = flood.post("/api/v1/sessions", json={"org": "acme", "unit": f"u{i}"})
        sid, auth = r.json()["session_id"], {"Authorization": f"Bearer {r.json()['token']}"}
        say(flood, sid, auth, payload="/agree")
        reply = say(flood, sid, auth, text="我不想活了", client_msg_id=uuid.uuid4().hex)
        assert any(m.get("card") and m["card"]["type"] == "resources" for m in reply), reply  # each one answered
    lone = _as(client, "192.0.2.10")
    r = lone.post("/api/v1/sessions", json={"org": "acme", "unit": "x"})
    sid, auth = r.json()["session_id"], {"Authorization": f"Bearer {r.json()['token']}"}
    say(lone, sid, auth, payload="/agree")
    say(lone, sid, auth, text="我不想活了")

    queue = client.get("/api/v1/escalations", headers=counsellor).json()["escalations"]
    urgent = [e for e in queue if e["priority"] == "urgent" and e["status"] == "open"]
    assert len(urgent) == PER_CLIENT + 1  # nothing held back
    bursts = {e["burst_id"] for e in urgent if e["burst_size"] > 1}
    assert len(bursts) == 1 and sum(e["burst_size"] == PER_CLIENT for e in urgent) == PER_CLIENT
    alone = [e for e in urgent if e["burst_size"] == 1]
    assert len(alone) == 1 and alone[0]["burst_id"] not in bursts


def test_a_bad_link_is_refused_before_the_per_link_limit(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Made-up links are answered "not valid" every time (never "try again in a minute"): the check comes before the
    per-link limiter, so random strings neither take its keys nor read as a busy link."""
    client, _ = app_client
    codes = [_new(_as(client, f"203.0.113.{i}"), unit="ghost") for i in range(PER_UNIT + 2)]
    assert codes == [422] * (PER_UNIT + 2)
    assert _new(_as(client, "203.0.113.200")) == 201
