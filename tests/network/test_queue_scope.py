"""The queue list's scope (scope.queue_scope, which names a non-root centre's orgs in the list's WHERE so the
org index serves it) holds exactly the rows of escalation_scope, for every demo account, on SQLite and PostgreSQL."""
from __future__ import annotations

import random

from sqlmodel import col, select

from app.db import session_scope
from app.demo.cli import demo
from app.escalations.models import PRIORITY_RANK, Escalation
from app.escalations.service import list_queue
from app.network.models import Centre
from app.network.scope import escalation_scope, queue_scope
from app.reports.models import Org
from app.runtime import get_runtime
from app.staff.models import StaffUser


def _cases() -> None:
    """Escalations over random demo orgs, plus the unserved kinds: no org, an unknown org, an org with no centre."""
    rng = random.Random(5)
    with session_scope() as db:
        db.add(Org(id="lonely", name="No centre yet"))
        org_ids = list(db.exec(select(Org.id)))
        for i in range(400):
            org = rng.choice([*org_ids, None, "ghost"])
            priority = rng.choice(list(PRIORITY_RANK))
            db.add(Escalation(id=f"e{i:04d}", source="request", priority=priority,
                              priority_rank=PRIORITY_RANK[priority], reason="r", org=org,
                              status=rng.choice(["open", "open", "claimed", "resolved", "withdrawn"])))


def test_queue_scope_holds_exactly_the_escalation_scope(app_client: tuple) -> None:
    with session_scope() as db:
        demo(db, get_runtime(), activity=False)
    _cases()
    with session_scope() as db:
        users = list(db.exec(select(StaffUser)))
        roots = {c.id for c in db.exec(select(Centre).where(col(Centre.parent_id).is_(None)))}
        seen_by: dict[str, set[str]] = {}
        for user in users:
            expected = set(db.exec(select(Escalation.id).where(escalation_scope(user))))
            got = set(db.exec(select(Escalation.id).where(queue_scope(db, user))))
            assert got == expected, user.username
            seen_by[user.username] = got
        station = next(u for u in users if u.username == "dongcheng-s01-counsellor")
        served = set(db.exec(select(Org.id).where(Org.centre_id == "dongcheng-s01")))
        listed = list_queue(db, station, status="all")
        assert listed and {e.org for e in listed} <= served
    assert "city" in roots and len(seen_by["city-counsellor-1"]) == 400  # the root also holds every unserved case
    assert 0 < len(seen_by["dongcheng-s01-counsellor"]) < len(seen_by["dongcheng-counsellor"]) < 400
    assert seen_by["hr-org-001"] == set() and len(seen_by["demo-admin"]) == 400
