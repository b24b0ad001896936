"""Participation per unit of a campaign: noisy figures near the truth with their ±, drawn once and reused; units with
fewer than k employees or participants suppressed and left out of the total; today's events wait for tomorrow."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.campaigns import router as campaigns_router
from app.campaigns.models import Campaign, CampaignEvent
from app.campaigns.participation import NOISE_SCOPE
from app.db import session_scope
from app.reports import noise
from app.reports.models import ReportNoise
from app.reports.noise import Budget
from app.timeutil import utcnow
from tests.campaigns.helpers import auth, seed
from tests.fakes import FakeRasa

CID = "c" * 32


def _last_month_day() -> date:
    return (utcnow().date().replace(day=1) - timedelta(days=1)).replace(day=10)


def _world(events: dict[str, tuple[int, int, int]], day: date | None = None) -> None:
    """A campaign over three units that opened last month, and (opened, consented, completed) events per unit."""
    seed()
    day = day or _last_month_day()
    with session_scope() as db:
        db.add(Campaign(id=CID, org_id="acme", name="Autumn", scales_json='["gad7"]',
                        units_json='["plant-1", "plant-2", "tiny"]', opens_on=day.replace(day=1),
                        closes_on=utcnow().date() + timedelta(days=10)))
        db.flush()
        for unit, counts in events.items():
            for kind, n in zip(("opened", "consented", "completed"), counts, strict=True):
                db.add_all(CampaignEvent(campaign_id=CID, unit=unit, kind=kind, day=day) for _ in range(n))


def _get(client: TestClient, user: str = "hr-acme") -> dict:
    res = client.get(f"/api/v1/orgs/acme/campaigns/{CID}/participation", headers=auth(client, user))
    assert res.status_code == 200, res.text
    return res.json()


@pytest.fixture
def zero_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact figures (OpenDP's draws zero, a generous budget) for the structure and the k rules."""
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    monkeypatch.setattr(campaigns_router, "budget_of", lambda settings: Budget(10.0, 10.0, 0.5))
    monkeypatch.setattr(campaigns_router, "participation_budget_of", lambda settings: Budget(10.0, 10.0, 0.5))


def test_k_rules_on_exact_figures(app_client: tuple[TestClient, FakeRasa], zero_noise: None) -> None:
    client, _ = app_client
    _world({"plant-1": (30, 25, 9), "plant-2": (9, 9, 9), "tiny": (40, 40, 40)})
    body = _get(client)
    rows = {r["unit"]: r for r in body["units"]}
    assert body["k"] == 10 and [r["unit"] for r in body["units"]] == ["plant-1", "plant-2", "tiny"]
    p1 = rows["plant-1"]
    assert (p1["opened"], p1["consented"], p1["completed"]) == (30, 25, None)  # completed below k: not shown
    assert not p1["suppressed"] and p1["headcount"] == 400 and p1["completed_share"] is None
    assert rows["plant-2"]["suppressed"] and rows["plant-2"]["opened"] is None  # 9 participants < k
    assert rows["tiny"]["suppressed"] and rows["tiny"]["completed"] is None  # 6 employees < k, however many took part
    total = body["total"]
    assert (total["opened"], total["consented"], total["completed"]) == (30, 25, None)  # suppressed units left out
    assert body["privacy"]["counted_through"] == str(utcnow().date() - timedelta(days=1))


def test_noisy_figures_near_the_truth_drawn_once(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    truth = {"plant-1": (300, 250, 200), "plant-2": (3, 2, 1), "tiny": (5, 5, 5)}
    _world(truth)
    with session_scope() as db:  # today's events are counted from tomorrow: they change nothing now
        db.add_all(CampaignEvent(campaign_id=CID, unit="plant-1", kind="opened", day=utcnow().date())
                   for _ in range(50))
    body = _get(client)
    rows = {r["unit"]: r for r in body["units"]}
    p1 = rows["plant-1"]
    for kind, true in zip(("opened", "consented", "completed"), truth["plant-1"], strict=True):
        margin = p1[f"{kind}_margin"]
        assert 5 <= margin <= 200, (kind, margin)  # the default budget's noise (up to 5 running runs late in a month)
        assert abs(p1[kind] - true) <= 2 * margin, (kind, p1[kind], true)
    assert p1["completed_share"] == round(min(1.0, max(0, p1["completed"]) / 400), 3)
    assert rows["tiny"]["suppressed"]  # 6 employees: never shown
    assert body["privacy"]["epsilon_month"] == 0.5 and body["privacy"]["confidence"] == 0.95
    with session_scope() as db:  # every figure is the truth plus the stored noise of its cells
        cells = list(db.exec(select(ReportNoise).where(ReportNoise.scale_id == NOISE_SCOPE)))
    stored = {(n.leaf, n.period, n.cell): n.noise for n in cells}
    # plant-2 (3 took part) is shown only when its noisy count passes both k and its own ±, as reports decide
    small = [n for n in cells if n.leaf == f"{CID}|plant-2" and n.cell == "opened"]
    scales: dict[float, int] = {}
    for n in small:
        scales[n.scale] = scales.get(n.scale, 0) + 1
    noisy = 3 + sum(n.noise for n in small)
    assert rows["plant-2"]["suppressed"] == (noisy < max(10, noise.margin(scales)))
    if not rows["plant-2"]["suppressed"]:
        assert rows["plant-2"]["opened"] == noisy
    assert {leaf for leaf, _, _ in stored} == {f"{CID}|{u}" for u in truth}  # every unit gets noise, empty or not
    for kind, true in zip(("opened", "consented", "completed"), truth["plant-1"], strict=True):
        assert p1[kind] == true + sum(v for (leaf, _, cell), v in stored.items()
                                      if leaf == f"{CID}|plant-1" and cell == kind)
    again = _get(client, "east-admin")  # another reader, another day's read: the same figures
    assert again["units"] == body["units"] and again["total"] == body["total"]
