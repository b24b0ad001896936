"""What the dashboard's campaign screens read beyond the campaign itself: the create form's options (the org's units,
the loaded scales, today) and the campaign report (the unit report of one of its scales, kept to its units)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.assessments.models import Assessment
from app.campaigns import router as campaigns_router
from app.campaigns.models import Campaign
from app.db import session_scope
from app.reports import noise
from app.reports.models import Org, Unit
from app.reports.noise import Budget
from app.timeutil import utcnow
from tests.campaigns.helpers import auth, create, seed, today
from tests.fakes import FakeRasa

CID = "d" * 32
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # units registered before every month reported on


def _day() -> date:
    return (utcnow().date().replace(day=1) - timedelta(days=1)).replace(day=10)


def _world(answers: dict[str, int], opens_on: date | None = None) -> None:
    """Acme's units registered long ago, a gad7 + phq9 campaign over plant-1 and plant-2 opened last month,
    `answers` gad7 assessments per unit last month made in the campaign (a quarter of them moderate), and 7 more
    per unit through the ordinary unit link (the campaign report leaves those out)."""
    seed()
    with session_scope() as db:
        for row in [*db.exec(select(Org)), *db.exec(select(Unit))]:
            row.created_at = LONG_AGO
            db.add(row)
        db.add(Campaign(id=CID, org_id="acme", name="Autumn", scales_json='["gad7", "phq9"]',
                        units_json='["plant-1", "plant-2"]', opens_on=opens_on or _day().replace(day=1),
                        closes_on=today() + timedelta(days=10)))
        n = 0
        for unit, count in answers.items():
            for i in range(count):
                n += 1
                band, score = ("moderate", 12) if i % 4 == 0 else ("minimal", 2)
                db.add(Assessment(id=f"a{n}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                                  unit=unit, campaign_id=CID, completed_on=_day(), score=score, band=band))
            for i in range(7):
                db.add(Assessment(id=f"o-{unit}-{i}", scale_id="gad7", scale_version="1", status="completed",
                                  org="acme", unit=unit, completed_on=_day(), score=15, band="severe"))


@pytest.fixture
def zero_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact figures (OpenDP's draws zero, a generous budget) for the structure and the k rules."""
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    monkeypatch.setattr(campaigns_router, "budget_of", lambda settings: Budget(10.0, 10.0, 0.5))


def test_options_give_the_orgs_units_and_the_loaded_scales(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    body = client.get("/api/v1/orgs/acme/campaigns/options", headers=auth(client, "hr-acme")).json()
    assert [u["id"] for u in body["units"]] == ["plant-1", "plant-2", "tiny"]
    assert body["units"][0] == {"id": "plant-1", "name": "Unit plant-1", "parent": None, "headcount": 400}
    assert {"phq9", "gad7"} <= set(body["scales"]) and body["today"] == str(today())
    assert body["max_days"] == 366 and body["max_message"] == 280
    assert client.get("/api/v1/orgs/acme/campaigns/options", headers=auth(client, "hr-globex")).status_code == 404
    assert client.get("/api/v1/orgs/acme/campaigns/options", headers=auth(client, "counsellor")).status_code == 403
    made = create(client, auth(client, "hr-acme"))  # a campaign id is never read as "options", nor the reverse
    assert client.get(f"/api/v1/orgs/acme/campaigns/{made['id']}", headers=auth(client, "hr-acme")).status_code == 200


def test_report_keeps_the_campaigns_units_and_suppresses_few_answers(app_client: tuple[TestClient, FakeRasa],
                                                                    zero_noise: None) -> None:
    client, _ = app_client
    _world({"plant-1": 40, "plant-2": 4, "tiny": 30})
    hr = auth(client, "hr-acme")
    res = client.get(f"/api/v1/orgs/acme/campaigns/{CID}/report", headers=hr)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["scale"] == "gad7" and body["scales"] == ["gad7", "phq9"] and body["status"] == "open"
    assert [c["group"] for c in body["units"]] == ["plant-1", "plant-2"]  # tiny is not in the campaign
    cells = {c["group"]: c for c in body["units"]}
    assert cells["plant-1"]["n"] == 40 and not cells["plant-1"]["suppressed"]
    assert cells["plant-2"]["suppressed"] and cells["plant-2"]["n"] is None  # 4 answers < k
    assert body["from"] == str(_day().replace(day=1)) and body["k"] == 10 and body["privacy"] is not None
    assert [b["id"] for b in body["bands"]][:2] == ["minimal", "mild"] and "campaign's links" in body["note"]
    phq = client.get(f"/api/v1/orgs/acme/campaigns/{CID}/report?scale=phq9", headers=hr).json()
    assert all(c["suppressed"] for c in phq["units"])  # no phq9 answers: nothing shown


def test_report_refuses_other_scales_scope_and_roles(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    _world({"plant-1": 12})
    url = f"/api/v1/orgs/acme/campaigns/{CID}/report"
    res = client.get(url + "?scale=pss10", headers=auth(client, "hr-acme"))
    assert res.status_code == 422 and "not one of this campaign's" in res.text
    assert client.get(url + "?scale=" + "x" * 300, headers=auth(client, "hr-acme")).status_code == 422
    assert client.get(url, headers=auth(client, "hr-globex")).status_code == 404
    assert client.get(f"/api/v1/orgs/globex/campaigns/{CID}/report", headers=auth(client, "hr-globex")).status_code \
        == 404
    assert client.get(url, headers=auth(client, "counsellor")).status_code == 403
    assert client.get(url, headers=auth(client, "east-admin")).status_code == 200


def test_report_of_a_campaign_not_open_yet_has_no_figures(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    _world({"plant-1": 40}, opens_on=today() + timedelta(days=3))
    body = client.get(f"/api/v1/orgs/acme/campaigns/{CID}/report", headers=auth(client, "hr-acme")).json()
    assert body["status"] == "scheduled" and body["units"] == [] and body["from"] is None


def test_share_at_moderate_or_above_only_where_the_pools_allow(app_client: tuple[TestClient, FakeRasa],
                                                              zero_noise: None) -> None:
    """plant-1: 10 of 40 moderate, a pool of its own from moderate up; plant-2: 4 of 14, pooled with the mild
    bands (below k alone), so its share cannot be told and is not given."""
    client, _ = app_client
    _world({"plant-1": 40, "plant-2": 14})
    body = client.get(f"/api/v1/orgs/acme/campaigns/{CID}/report", headers=auth(client, "hr-acme")).json()
    cells = {c["group"]: c for c in body["units"]}
    p1, p2 = cells["plant-1"], cells["plant-2"]
    assert p1["share_moderate_plus"] == 0.25 and 0 < p1["share_moderate_plus_margin"] < 0.25
    assert not p2["suppressed"] and p2["n"] == 14
    assert p2["share_moderate_plus"] is None and p2["share_moderate_plus_margin"] is None
