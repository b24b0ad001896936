"""The campaign report's trend: per unit, the previous campaign of the org covering that unit and scale (the latest
closing before this one opens), its share at moderate or above with its ±, and higher/lower only when the two 95 %
intervals do not overlap; read from the stored noise both reports share, so it spends no budget."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.assessments.models import Assessment
from app.campaigns import router as campaigns_router
from app.campaigns.models import Campaign
from app.db import session_scope
from app.reports import noise, orgs
from app.reports.models import Org, ReportNoise, Unit
from app.reports.noise import Budget
from app.timeutil import utcnow
from tests.campaigns.helpers import auth, seed, today
from tests.fakes import FakeRasa

NOW, SPRING, WINTER, PHQ, LATER, OTHER = (c * 32 for c in "abcdef")
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _month(back: int) -> date:
    """The first day of the month `back` months before the current one."""
    d = utcnow().date().replace(day=1)
    for _ in range(back):
        d = (d - timedelta(days=1)).replace(day=1)
    return d


def _campaign(db, cid: str, name: str, units: str, opens_on: date, closes_on: date,  # type: ignore[no-untyped-def]
              scales: str = '["gad7"]', org: str = "acme") -> None:
    db.add(Campaign(id=cid, org_id=org, name=name, scales_json=scales, units_json=units, opens_on=opens_on,
                    closes_on=closes_on))


def _answers(db, unit: str, day: date, n: int, moderate: int, prefix: str,  # type: ignore[no-untyped-def]
             campaign: str) -> None:
    """`n` answers made in `campaign`'s conversations, `moderate` of them moderate."""
    for i in range(n):
        band, score = ("moderate", 12) if i < moderate else ("minimal", 2)
        db.add(Assessment(id=f"{prefix}-{unit}-{i}", scale_id="gad7", scale_version="1", status="completed",
                          org="acme", unit=unit, campaign_id=campaign, completed_on=day, score=score, band=band))


def _world(n: int = 40) -> None:
    """NOW opened last month over plant-1..3; SPRING (3 months back) covered all three, WINTER (4 back) plant-1,
    PHQ (2 back) plant-1 with phq9 only, LATER closes after NOW opens, OTHER is globex's. Shares of moderate:
    plant-1 25 % then 75 %, plant-2 75 % then 25 %, plant-3 25 % then 25 %."""
    seed()
    with session_scope() as db:
        orgs.create_unit(db, "acme", "plant-3", "Unit plant-3", None, 100)
        for row in [*db.exec(select(Org)), *db.exec(select(Unit))]:
            row.created_at = LONG_AGO
            db.add(row)
        last, spring, winter, phq = _month(1), _month(3), _month(4), _month(2)
        _campaign(db, NOW, "Autumn", '["plant-1", "plant-2", "plant-3"]', last, today() + timedelta(days=10))
        _campaign(db, SPRING, "Spring", '["plant-1", "plant-2", "plant-3"]', spring, _month(2) - timedelta(days=1))
        _campaign(db, WINTER, "Winter", '["plant-1"]', winter, _month(3) - timedelta(days=1))
        _campaign(db, PHQ, "Phq only", '["plant-1"]', phq, last - timedelta(days=1), scales='["phq9"]')
        _campaign(db, LATER, "Overlapping", '["plant-1"]', spring, last + timedelta(days=2))
        _campaign(db, OTHER, "Globex", '["g-1"]', phq, last - timedelta(days=1), org="globex")
        before, after = spring.replace(day=10), last.replace(day=10)
        for unit, (was, now) in {"plant-1": (n // 4, 3 * n // 4), "plant-2": (3 * n // 4, n // 4),
                                 "plant-3": (n // 4, n // 4)}.items():
            _answers(db, unit, before, n, was, "b", SPRING)
            _answers(db, unit, after, n, now, "a", NOW)
        # 75 %: NOW would read "lower" from it
        _answers(db, "plant-1", winter.replace(day=10), n, 3 * n // 4, "w", WINTER)


@pytest.fixture
def zero_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact figures (OpenDP's draws zero, a generous budget): which way each unit moved is certain."""
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    monkeypatch.setattr(campaigns_router, "budget_of", lambda settings: Budget(10.0, 10.0, 0.5))


def _units(client: TestClient, cid: str, scale: str = "gad7") -> dict[str, dict]:  # type: ignore[type-arg]
    res = client.get(f"/api/v1/orgs/acme/campaigns/{cid}/report?scale={scale}", headers=auth(client, "hr-acme"))
    assert res.status_code == 200, res.text
    return {c["group"]: c for c in res.json()["units"]}


def test_each_unit_compares_with_the_last_campaign_that_covered_it(app_client: tuple[TestClient, FakeRasa],
                                                                   zero_noise: None) -> None:
    client, _ = app_client
    _world()
    units = _units(client, NOW)
    p1, p2, p3 = (units[u]["previous"] for u in ("plant-1", "plant-2", "plant-3"))
    # SPRING, not WINTER (older), PHQ (another scale), LATER (closes after NOW opens) nor OTHER (another org)
    assert {p["campaign"] for p in (p1, p2, p3)} == {SPRING} and p1["name"] == "Spring"
    assert p1["share_moderate_plus"] == 0.25 and 0 <= p1["share_moderate_plus_margin"] < 0.1
    assert units["plant-1"]["share_moderate_plus"] == 0.75
    assert p1["change"] == "higher" and p1["says"] == {"zh-CN": "高于上次", "en": "higher than last time"}
    assert p2["share_moderate_plus"] == 0.75 and p2["change"] == "lower" and p2["says"]["en"] == "lower than last time"
    assert p3["change"] == "no_clear_change" and p3["says"]["zh-CN"] == "与上次相比无明显变化"
    assert p1["opens_on"] == str(_month(3))
    # SPRING itself has no earlier gad7 campaign for plant-2 and plant-3; for plant-1 it has WINTER (75 %)
    spring = _units(client, SPRING)
    assert spring["plant-2"]["previous"] is None and spring["plant-3"]["previous"] is None
    assert spring["plant-1"]["previous"]["campaign"] == WINTER and spring["plant-1"]["previous"]["change"] == "lower"


def test_overlapping_intervals_say_no_clear_change(app_client: tuple[TestClient, FakeRasa]) -> None:
    """With the default budget and 12 answers a unit, a 25 → 75 % move is inside the noise: no claim is made."""
    client, _ = app_client
    _world(n=12)
    for cell in _units(client, NOW).values():
        before = cell["previous"]
        if cell["share_moderate_plus"] is None or before["share_moderate_plus"] is None:
            assert before["change"] is None and before["says"] is None  # nothing to compare
            continue
        now_low = cell["share_moderate_plus"] - cell["share_moderate_plus_margin"]
        now_high = cell["share_moderate_plus"] + cell["share_moderate_plus_margin"]
        was_low = before["share_moderate_plus"] - before["share_moderate_plus_margin"]
        was_high = before["share_moderate_plus"] + before["share_moderate_plus_margin"]
        overlap = now_low <= was_high and was_low <= now_high
        assert before["change"] == ("no_clear_change" if overlap else "higher" if now_low > was_high else "lower")


def test_the_trend_reuses_the_published_noise_and_draws_none_of_its_own(app_client: tuple[TestClient, FakeRasa],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Real OpenDP noise: the previous figures are exactly those SPRING's own report published, no stored noise
    changes, and the only cells drawn when NOW is first read lie in NOW's own months (what NOW's page would draw
    anyway). Reading it again draws nothing and gives the same figures."""
    monkeypatch.setattr(campaigns_router, "budget_of", lambda settings: Budget(1.0, 1.0, 0.5))
    client, _ = app_client
    _world(n=200)
    spring = _units(client, SPRING)

    def stored() -> dict[tuple[str, str, str, str], int]:
        with session_scope() as db:
            return {(r.scale_id, r.leaf, r.period, r.cell): r.noise for r in db.exec(select(ReportNoise))}

    published = stored()
    assert published  # SPRING's months were drawn by its own report
    now = _units(client, NOW)
    after = stored()
    assert {k: after[k] for k in published} == published  # nothing already published is redrawn
    now_months = {f"{m:%Y-%m}" for m in (_month(1), _month(0))}
    assert {k[2][:7] for k in set(after) - set(published)} <= now_months  # new cells are NOW's own months only
    for unit, cell in now.items():
        before = cell["previous"]
        assert before["campaign"] == SPRING
        assert before["share_moderate_plus"] == spring[unit]["share_moderate_plus"]
        assert before["share_moderate_plus_margin"] == spring[unit]["share_moderate_plus_margin"]
    assert _units(client, NOW) == now and stored() == after  # a second read draws and changes nothing
