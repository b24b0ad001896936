"""Read-only share links of a campaign's participation: created, listed and revoked by whoever reads the campaign,
stored only as a keyed hash, opened by anyone until revoked or a month after closing, and never showing more than
HR's own participation view (the same stored noisy figures, suppression included, and no budget spent again)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from app.campaigns import service as campaign_service
from app.campaigns import shares
from app.campaigns.models import Campaign, CampaignEvent, CampaignShare
from app.campaigns.schemas import Participation
from app.db import session_scope
from app.reports.models import ReportNoise
from app.timeutil import utcnow
from tests.campaigns.helpers import auth, seed, today
from tests.fakes import FakeRasa

CID = "5" * 32
BASE = f"/api/v1/orgs/acme/campaigns/{CID}"


def _world(closes_on: date | None = None) -> None:
    """Acme's campaign over three units since last month: plant-1 with many participants, plant-2 with 4 (below k),
    tiny with 6 employees (below k whatever happens)."""
    seed()
    day = (utcnow().date().replace(day=1) - timedelta(days=1)).replace(day=10)
    with session_scope() as db:
        db.add(Campaign(id=CID, org_id="acme", name="Autumn", scales_json='["gad7"]',
                        units_json='["plant-1", "plant-2", "tiny"]', opens_on=day.replace(day=1),
                        closes_on=closes_on or today() + timedelta(days=10)))
        db.flush()
        for unit, counts in {"plant-1": (300, 250, 200), "plant-2": (4, 4, 4), "tiny": (6, 6, 6)}.items():
            for kind, n in zip(("opened", "consented", "completed"), counts, strict=True):
                db.add_all(CampaignEvent(campaign_id=CID, unit=unit, kind=kind, day=day) for _ in range(n))


def _public(client: TestClient, token: str) -> tuple[int, dict]:
    r = client.get(f"/api/v1/campaigns/shared/{token}/participation")
    return r.status_code, r.json()


def test_create_list_revoke(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    _world()
    hr = auth(client, "hr-acme")
    made = client.post(f"{BASE}/shares", json={"label": "一厂负责人"}, headers=hr)
    assert made.status_code == 201, made.text
    share = made.json()
    token = share["token"]
    assert share["link"].endswith(f"/hr/shared/{token}") and share["active"] and share["label"] == "一厂负责人"
    assert share["expires_on"] == str(today() + timedelta(days=10 + shares.SHARE_DAYS))
    with session_scope() as db:  # only the keyed hash is stored: the database cannot hand out a working link
        row = db.get(CampaignShare, share["id"])
        assert row is not None and token not in row.token_hash and token not in repr(row.model_dump())
    listed = client.get(f"{BASE}/shares", headers=hr).json()["shares"]
    assert [s["id"] for s in listed] == [share["id"]] and "token" not in listed[0] and "link" not in listed[0]
    assert _public(client, token)[0] == 200 and client.get(f"/hr/shared/{token}").status_code == 200

    assert client.delete(f"{BASE}/shares/{share['id']}", headers=hr).status_code == 204
    listed = client.get(f"{BASE}/shares", headers=hr).json()["shares"]
    assert not listed[0]["active"] and listed[0]["revoked_at"]
    status, body = _public(client, token)
    assert status == 404 and "Autumn" not in str(body)
    page = client.get(f"/hr/shared/{token}")  # the friendly page, with the status a revoked link deserves
    assert page.status_code == 404 and "shared.js" in page.text and page.headers["x-robots-tag"].startswith("noindex")
    assert client.delete(f"{BASE}/shares/{share['id']}", headers=hr).status_code == 204  # again: nothing changes


def test_expires_a_month_after_closing(app_client: tuple[TestClient, FakeRasa],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The link opens through closes_on + SHARE_DAYS in the org's days and not a day longer (the clock is moved, not
    slept); a link for a campaign already past that is refused."""
    client, _ = app_client
    _world()
    hr = auth(client, "hr-acme")
    share = client.post(f"{BASE}/shares", json={}, headers=hr).json()
    last = date.fromisoformat(share["expires_on"])

    def at(day: date) -> None:  # the org's (Asia/Shanghai) noon of that day
        monkeypatch.setattr(campaign_service, "utcnow", lambda: datetime.combine(day, time(4), UTC))

    at(last)
    assert _public(client, share["token"])[0] == 200
    assert client.get(f"/hr/shared/{share['token']}").status_code == 200
    at(last + timedelta(days=1))
    assert _public(client, share["token"])[0] == 404
    assert client.get(f"/hr/shared/{share['token']}").status_code == 404
    listed = client.get(f"{BASE}/shares", headers=hr).json()["shares"]
    assert not listed[0]["active"] and listed[0]["revoked_at"] is None  # expired, not revoked
    late = client.post(f"{BASE}/shares", json={}, headers=hr)
    assert late.status_code == 422 and "closed on" in late.json()["detail"]


def test_the_link_shows_exactly_hr_participation(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Real OpenDP noise: the link's figures are HR's own (the same stored draws, suppression included), the page
    itself carries no figure, and reading through the link draws no new noise (spends no budget)."""
    client, _ = app_client
    _world()
    hr = auth(client, "hr-acme")
    token = client.post(f"{BASE}/shares", json={}, headers=hr).json()["token"]
    seen = client.get(f"{BASE}/participation", headers=hr).json()
    with session_scope() as db:
        drawn = db.exec(select(func.count()).select_from(ReportNoise)).one()
    status, shared = _public(client, token)
    assert status == 200 and shared == seen and set(shared) == set(Participation.model_fields)
    rows = {r["unit"]: r for r in shared["units"]}
    assert rows["tiny"]["suppressed"] and rows["tiny"]["opened"] is None  # 6 employees: never shown
    assert all(rows[u][k] is None for u in ("tiny",) for k in ("opened", "consented", "completed"))
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(ReportNoise)).one() == drawn
    page = client.get(f"/hr/shared/{token}").text
    assert "Autumn" not in page and "plant-1" not in page and "Unit" not in page  # a shell: figures come from the API
    again = _public(client, token)[1]
    assert again == shared  # drawn once, reused


def test_scope_roles_and_bad_input(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    _world()
    hr, east = auth(client, "hr-acme"), auth(client, "east-admin")
    share = client.post(f"{BASE}/shares", json={"label": "east"}, headers=east).json()  # a centre admin of acme's
    assert client.get(f"{BASE}/shares", headers=hr).json()["shares"][0]["id"] == share["id"]
    for user, status in (("hr-globex", 404), ("west-admin", 404), ("counsellor", 403)):
        who = auth(client, user)
        assert client.post(f"{BASE}/shares", json={}, headers=who).status_code == status
        assert client.get(f"{BASE}/shares", headers=who).status_code == status
        assert client.delete(f"{BASE}/shares/{share['id']}", headers=who).status_code == status
    assert client.get(f"{BASE}/shares").status_code == 401
    assert _public(client, share["token"])[0] == 200  # nobody outside the scope revoked it
    for bad in ({"label": "x" * 81}, {"label": "a\u0000b"}, {"label": 7}, {"extra": 1}):
        assert client.post(f"{BASE}/shares", json=bad, headers=hr).status_code == 422, bad
    assert client.delete(f"{BASE}/shares/not-a-share", headers=hr).status_code == 404
    assert client.delete(f"{BASE}/shares/{'0' * 32}", headers=hr).status_code == 404
    for token in ("short", share["token"][:-1] + "!", "x" * 43, "a" * 500):
        assert _public(client, token)[0] == 404 and client.get(f"/hr/shared/{token}").status_code == 404


def test_live_links_are_bounded(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    _world()
    hr = auth(client, "hr-acme")
    made = [client.post(f"{BASE}/shares", json={}, headers=hr) for _ in range(shares.MAX_ACTIVE)]
    assert all(r.status_code == 201 for r in made)
    refused = client.post(f"{BASE}/shares", json={}, headers=hr)
    assert refused.status_code == 422 and "revoke one" in refused.json()["detail"]
    assert client.delete(f"{BASE}/shares/{made[0].json()['id']}", headers=hr).status_code == 204
    assert client.post(f"{BASE}/shares", json={}, headers=hr).status_code == 201
    assert len({r.json()["token"] for r in made}) == shares.MAX_ACTIVE  # every token its own


def test_created_at_is_listed_newest_first(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    _world()
    hr = auth(client, "hr-acme")
    ids = [client.post(f"{BASE}/shares", json={"label": str(i)}, headers=hr).json()["id"] for i in range(3)]
    with session_scope() as db:  # spread them out in time (creation within one millisecond is common)
        for i, share_id in enumerate(ids):
            row = db.get(CampaignShare, share_id)
            assert row is not None
            row.created_at = datetime(2026, 1, 1 + i, tzinfo=UTC)
            db.add(row)
    listed = client.get(f"{BASE}/shares", headers=hr).json()["shares"]
    assert [s["id"] for s in listed] == ids[::-1]
