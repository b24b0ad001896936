"""Claim exactly once: 50 concurrent counsellors, each a thread with its own HTTP client, on 1,000 open
escalations, on SQLite and on PostgreSQL. Every escalation ends claimed by exactly one of them, and that one is
the counsellor who got the 200."""
from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import col, func, select

from app.db import session_scope
from app.escalations.models import PRIORITY_RANK, Escalation
from app.runtime import get_runtime
from app.sessions.tokens import new_id
from app.staff.models import StaffUser
from app.staff.service import issue_token
from app.timeutil import utcnow
from tests.escalations.helpers import PASSWORD, ensure_centre
from tests.fakes import FakeRasa

CLAIMERS = 50
ESCALATIONS = 1000
HERD = 10  # escalations that all 50 claimers hit at the same instant


@dataclass
class Claimer:
    username: str
    headers: dict[str, str]
    won: list[str] = field(default_factory=list)
    lost: int = 0
    errors: list[str] = field(default_factory=list)


def _counsellors(n: int) -> list[Claimer]:
    """Accounts and tokens made directly: 100 argon2 hashes would only slow the race down."""
    rt = get_runtime()
    from app.staff.service import _hasher

    digest = _hasher.hash(PASSWORD)
    out = []
    centre = ensure_centre()  # the root centre: the seeded cases have no org, so only a root's counsellors see them
    with session_scope() as db:
        for i in range(n):
            user = StaffUser(username=f"c{i:02d}", password_hash=digest, role="counsellor", centre_id=centre)
            db.add(user)
            db.flush()
            token = issue_token(db, rt.settings, rt.pepper, user)
            out.append(Claimer(user.username, {"Authorization": f"Bearer {token}"}))
    return out


def _seed_many(n: int) -> list[str]:
    now = utcnow()
    rows = [Escalation(id=new_id(), source="risk_rule", priority=p, priority_rank=PRIORITY_RANK[p], reason="race",
                       created_at=now - timedelta(minutes=random.uniform(0, 600)), due_at=now)
            for p in random.choices(list(PRIORITY_RANK), k=n)]
    with session_scope() as db:
        db.add_all(rows)
    return [r.id for r in rows]


def test_fifty_claimers_thousand_escalations_each_claimed_once(app_client: tuple[TestClient, FakeRasa],
                                                                db_url: str) -> None:
    client, _ = app_client
    app = client.app
    claimers = _counsellors(CLAIMERS)
    ids = _seed_many(ESCALATIONS)
    herd, rest = ids[:HERD], set(ids[HERD:])
    barrier = threading.Barrier(CLAIMERS)

    def run(c: Claimer) -> None:
        rng = random.Random(c.username)
        with TestClient(app) as http:
            for esc_id in herd:  # everyone at once on the same escalation
                barrier.wait()
                r = http.post(f"/api/v1/escalations/{esc_id}/claim", headers=c.headers)
                _tally(c, esc_id, r.status_code, r.text)
            while True:  # then like counsellors at a queue: look at the top, take one, try again on 409
                r = http.get("/api/v1/escalations", params={"status": "open", "limit": 40}, headers=c.headers)
                page = [e["id"] for e in r.json()["escalations"]]
                if not page:
                    return
                esc_id = rng.choice(page)
                r = http.post(f"/api/v1/escalations/{esc_id}/claim", headers=c.headers)
                _tally(c, esc_id, r.status_code, r.text)

    threads = [threading.Thread(target=run, args=(c,)) for c in claimers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads)

    wins = Counter(esc_id for c in claimers for esc_id in c.won)
    doubles = [i for i, n in wins.items() if n > 1]
    errors = [e for c in claimers for e in c.errors]
    with session_scope() as db:
        by_status = dict(db.exec(select(Escalation.status, func.count()).group_by(col(Escalation.status))).all())
        holders = {e.id: e.claimed_by_id for e in db.exec(select(Escalation))}
        names = {u.id: u.username for u in db.exec(select(StaffUser))}
    backend = db_url.split(":", 1)[0]
    print(f"\n[{backend}] claimers={CLAIMERS} escalations={ESCALATIONS} claimed={sum(wins.values())} "
          f"distinct={len(wins)} double_claims={len(doubles)} conflicts_409={sum(c.lost for c in claimers)} "
          f"errors={len(errors)} db_status={by_status} "
          f"per_claimer_min={min(len(c.won) for c in claimers)} max={max(len(c.won) for c in claimers)}")
    assert errors == []
    assert doubles == []
    assert set(wins) == set(herd) | rest and sum(wins.values()) == ESCALATIONS
    assert by_status == {"claimed": ESCALATIONS}
    for c in claimers:  # the 200 went to the counsellor the store names
        assert all(names[holders[i]] == c.username for i in c.won)
    assert sum(c.lost for c in claimers) >= HERD * (CLAIMERS - 1)  # every herd round had 49 losers


def _tally(c: Claimer, esc_id: str, status: int, body: str) -> None:
    if status == 200:
        c.won.append(esc_id)
    elif status == 409:
        c.lost += 1
    else:
        c.errors.append(f"{status} {body[:200]}")
