"""The report rollup equals a recount of the completed assessments after every way they come and go: completes
through the chat (with and without a campaign), the employee's erasure, the retention purge, and direct changes
and deletes (the demo moves dates; an operator may delete), on SQLite and PostgreSQL."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.assessments.models import Assessment
from app.config import Settings
from app.db import session_scope
from app.privacy.erasure import purge_expired
from app.reports.models import ReportRollup
from app.sessions.models import EmployeeSession
from app.timeutil import utcnow
from tests.campaigns.helpers import auth, create, seed
from tests.fakes import FakeRasa

Key = tuple[str, str, date, str, str, str, str]


def _recount(db: Session) -> dict[Key, tuple[int, int]]:
    """What the rollup must hold, counted from the assessments themselves ("" for null, as the rollup keys)."""
    counts: Counter[Key] = Counter()
    sums: Counter[Key] = Counter()
    for a in db.exec(select(Assessment).where(Assessment.status == "completed")):
        assert a.completed_on is not None
        for grain, day in (("m", a.completed_on.replace(day=1)), ("d", a.completed_on)):
            key = (a.scale_id, grain, day, a.org or "", a.unit or "", a.campaign_id or "", a.band or "")
            counts[key] += 1
            sums[key] += a.score or 0
    return {k: (counts[k], sums[k]) for k in counts}


def _rollup(db: Session) -> dict[Key, tuple[int, int]]:
    rows = db.exec(select(ReportRollup).where(col(ReportRollup.n) != 0))
    return {(r.scale_id, r.grain, r.day, r.org, r.unit, r.campaign_id, r.band): (r.n, r.score_sum) for r in rows}


def _assert_exact() -> dict[Key, tuple[int, int]]:
    with session_scope() as db:
        rollup, recount = _rollup(db), _recount(db)
        zero_sums = db.exec(select(ReportRollup).where(col(ReportRollup.n) == 0, col(ReportRollup.score_sum) != 0))
        assert list(zero_sums) == []  # a key whose assessments all went holds nothing
    assert rollup == recount
    return rollup


def _complete(client: TestClient, values: list[int], **link: str) -> tuple[str, dict[str, str]]:
    """A conversation through a link (org, unit, campaign) that completes PHQ-9 with `values`."""
    j = client.post("/api/v1/sessions", json={"locale": "en", **link}).json()
    sid, headers = j["session_id"], {"Authorization": f"Bearer {j['token']}"}
    client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": "/agree"}, headers=headers)
    client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": '/request_scale{"scale":"phq9"}'},
                headers=headers)
    for i, value in enumerate(values):
        client.post(f"/api/v1/sessions/{sid}/messages",
                    json={"payload": f'/answer{{"option":"phq9:{i + 1}:{value}"}}'}, headers=headers)
    return sid, headers


def test_rollup_equals_a_recount_after_completes_erasure_and_retention(app_client: tuple[TestClient, FakeRasa],
                                                                      settings: Settings) -> None:
    client, _ = app_client
    seed()
    campaign = create(client, auth(client, "hr-acme"))["id"]
    mild, severe = [1] * 8 + [0], [3] * 8 + [0]
    plain, _ = _complete(client, mild, org="acme", unit="plant-1")
    in_campaign, campaign_auth = _complete(client, severe, org="acme", unit="plant-1", campaign=campaign)
    _complete(client, mild, org="acme", unit="plant-2", campaign=campaign)
    _complete(client, mild)
    rollup = _assert_exact()
    this_month = utcnow().date().replace(day=1)
    assert sum(n for k, (n, _) in rollup.items() if k[1] == "m" and k[2] == this_month) == 4
    assert sum(n for k, (n, _) in rollup.items() if k[1] == "m" and k[5] == campaign) == 2
    with session_scope() as db:  # an older result of the same conversation, in a month already published
        db.add(Assessment(id="published", session_id=in_campaign, scale_id="phq9", scale_version="1",
                          status="completed", org="acme", unit="plant-1", campaign_id=campaign, score=20,
                          band="severe", completed_on=this_month - timedelta(days=3)))
    _assert_exact()

    assert client.delete(f"/api/v1/sessions/{in_campaign}", headers=campaign_auth).status_code == 204
    rollup = _assert_exact()  # this month's result is gone from the rollup; the published one stays, unlinked
    assert sum(n for k, (n, _) in rollup.items() if k[1] == "m" and k[5] == campaign) == 2
    assert sum(n for k, (n, _) in rollup.items() if k[1] == "m" and k[2] == this_month) == 3

    old = utcnow() - timedelta(days=settings.retention_days + 1)
    with session_scope() as db:
        db.exec(update(EmployeeSession).where(col(EmployeeSession.id) == plain)  # type: ignore[call-overload]
                .values(last_active_at=old))
    with session_scope() as db:
        assert purge_expired(db, settings)["sessions"] >= 1
    rollup = _assert_exact()  # the purged conversation's result stays counted, without its session
    assert sum(n for k, (n, _) in rollup.items() if k[1] == "m" and k[2] == this_month) == 3

    with session_scope() as db:  # direct changes: moved to another day and band, then deleted
        moved = db.exec(select(Assessment).where(Assessment.status == "completed",
                                                 col(Assessment.campaign_id).is_(None))).first()
        assert moved is not None
        moved.completed_on, moved.band, moved.score = this_month - timedelta(days=40), "minimal", 2
        db.add(moved)
    _assert_exact()
    with session_scope() as db:
        db.exec(delete(Assessment).where(col(Assessment.id) == moved.id))  # type: ignore[call-overload]
    rollup = _assert_exact()
    assert sum(n for k, (n, _) in rollup.items() if k[1] == "m") == 3


def test_a_closed_month_splits_at_its_units_registration_day() -> None:
    """In the closed month a unit was registered, its answers up to that day stay in the org's own leaf and the later
    ones are the unit's: read from the rollup's day rows, as the running month's are."""
    from datetime import UTC, datetime

    from app.reports.models import Unit
    from app.reports.release import true_counts
    from app.reports.service import load_tree
    from tests.reports.test_attacker import Row, _store

    early = [Row(f"e{i}", "o1", "late", date(2026, 5, 2 + i), "minimal", 1) for i in range(6)]
    later = [Row(f"l{i}", "o1", "late", date(2026, 5, 20 + i), "mild", 6) for i in range(4)]
    db = _store([], [*early, *later], "gad7")
    db.add(Unit(id="late", org_id="o1", name="Late", created_at=datetime(2026, 5, 15, 8, tzinfo=UTC)))
    db.flush()
    tree = load_tree(db)
    counts = true_counts(db, "gad7", [(2026, 4), (2026, 5)], None, date(2026, 6, 10), tree.leaf_of, None,
                         {u.id: tree.since[f"unit:{u.id}"] for u in tree.units})
    assert {b: n for b, n in counts.bands[(("o1", None), "2026-05")].items() if n} == {"minimal": 6}
    assert {b: n for b, n in counts.bands[(("o1", "late"), "2026-05")].items() if n} == {"mild": 4}
    assert counts.sums[(("o1", None), "2026-05")] == 6 and counts.sums[(("o1", "late"), "2026-05")] == 24
    db.close()
