"""The referral job on the service network's shape: the demo's centres (1 city, 10 counties, 91 stations), 100 orgs
per county, 10,000 open unclaimed escalations past their claim window (held where their org is served) among
resolved and not-yet-due ones; the time of one pass of app/network/referrals.py that moves every due case, checked
by a second pass right after that must find nothing. Median of a few runs, the state restored between runs.

Run: `.venv/bin/python bench/referral_bench.py [--due 10000] [--background 40000] [--runs 5] [--sqlite] [--keep]`
(PostgreSQL on 127.0.0.1:5432, user postgres, trust auth; a fresh database is created and dropped afterwards;
`--sqlite`: a temporary SQLite file instead).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import Settings  # noqa: E402
from app.db import make_engine, session_scope, upgrade  # noqa: E402
from app.escalations.models import PRIORITY_RANK, Escalation  # noqa: E402
from app.network import referrals  # noqa: E402
from app.sessions.models import EmployeeSession  # noqa: E402
from app.timeutil import utcnow  # noqa: E402
from bench.databases import db_options, throwaway_db  # noqa: E402
from bench.queue_bench import PRIORITIES, network  # noqa: E402


def seed(url: str, due: int, background: int) -> int:
    """`due` open cases a few minutes to a day past due at the centre serving their org, and `background` others
    (resolved, or open and not yet due); a copy of every case's holder and due time in `bench_orig` for restoring.
    Returns how many distinct (holder, priority) groups the due cases form."""
    rng = random.Random(23)
    now = utcnow()
    engine = create_engine(url)
    with engine.connect() as c:
        served = dict(c.execute(text("SELECT id, centre_id FROM org")).all())
    orgs = sorted(served)
    sessions, escs = [], []
    for g in range(due + background):
        org = orgs[int(len(orgs) * rng.random() ** 1.5)]
        priority = rng.choices([p for p, _ in PRIORITIES], [w for _, w in PRIORITIES])[0]
        is_due = g < due
        resolved = not is_due and rng.random() < 0.9
        created = now - timedelta(hours=rng.uniform(1, 72) if is_due else rng.uniform(0, 24 * 365))
        sessions.append({"id": f"s{g:07d}", "token_hash": f"t{g:07d}", "locale": "zh-CN", "org": org,
                         "unit": f"{org}-u1", "consent": "agreed", "handoff": False, "last_seq": 20,
                         "created_at": created, "last_active_at": created})
        escs.append({"id": f"e{g:07d}", "session_id": f"s{g:07d}", "source": "risk_rule", "priority": priority,
                     "priority_rank": PRIORITY_RANK[priority], "reason": "PHQ-9 total ≥ 10 (further evaluation)",
                     "status": "resolved" if resolved else "open", "scale": "phq9", "score": 10 + g % 18, "org": org,
                     "unit": f"{org}-u1", "created_at": created, "holding_centre_id": served[org],
                     "due_at": now - timedelta(minutes=rng.uniform(1, 1440)) if is_due
                     else now + timedelta(minutes=rng.uniform(30, 4320)),
                     "resolved_at": created + timedelta(days=1) if resolved else None,
                     "outcome": "contacted" if resolved else None})
    with engine.begin() as c:
        for i in range(0, len(escs), 5000):
            c.execute(insert(EmployeeSession.__table__), sessions[i:i + 5000])  # type: ignore[attr-defined]
            c.execute(insert(Escalation.__table__), escs[i:i + 5000])  # type: ignore[attr-defined]
        c.execute(text("CREATE TABLE bench_orig AS SELECT id, holding_centre_id, due_at FROM escalation"))
        c.execute(text("CREATE UNIQUE INDEX bench_orig_id ON bench_orig (id)"))
    engine.dispose()
    return len({(e["holding_centre_id"], e["priority"]) for e in escs[:due]})


def restore(url: str) -> None:
    """Every case back at its seeded holder and due time, no referral: the state before the first pass."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("DELETE FROM referral"))
        c.execute(text("UPDATE escalation SET holding_centre_id = o.holding_centre_id, due_at = o.due_at "
                       "FROM bench_orig o WHERE o.id = escalation.id"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
    engine.dispose()


def one_run(url: str, settings: Settings, due: int) -> tuple[float, float, int]:
    """One timed pass (a unit of work as `python -m app referrals run`: the pass and its commit), then a second
    pass at the same instant. Returns the seconds of each and the referral rows written."""
    engine = make_engine(url)
    now = utcnow()
    t0 = time.perf_counter()
    with session_scope(engine) as db:
        first = referrals.run(db, settings, now)
    t1 = time.perf_counter()
    with session_scope(engine) as db:
        second = referrals.run(db, settings, now)
    t2 = time.perf_counter()
    with engine.connect() as c:
        rows = int(c.execute(text("SELECT count(*) FROM referral")).scalar_one())
        left = int(c.execute(text("SELECT count(*) FROM escalation WHERE status = 'open' AND due_at <= :now"),
                             {"now": now}).scalar_one())
    engine.dispose()
    assert first == {"referred": due, "realerted": 0}, f"the first pass did {first}, expected {due} referred"
    assert second == {"referred": 0, "realerted": 0}, f"a second pass right after still did {second}"
    assert left == 0 and rows >= due, f"{left} cases still due, {rows} referral rows"
    return t1 - t0, t2 - t1, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--due", type=int, default=10_000, help="open unclaimed escalations past their claim window")
    ap.add_argument("--background", type=int, default=40_000, help="other escalations (resolved or not yet due)")
    ap.add_argument("--orgs-per-county", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5, help="timed passes, the state restored before each")
    db_options(ap)
    args = ap.parse_args()
    with throwaway_db("xinan-rbench-", args) as (tmp, url):
        settings = Settings(data_dir=tmp / "var", database_url=url)  # type: ignore[call-arg]
        upgrade(settings)
        t0 = time.perf_counter()
        places = network(url, args.orgs_per_county)
        groups = seed(url, args.due, args.background)
        print(f"seeded 102 centres, {len(places):,} orgs, {args.due:,} due + {args.background:,} other escalations "
              f"({groups} holder × priority groups due) in {time.perf_counter() - t0:.1f} s on "
              f"{url.split('@')[-1]}")
        print(f"\n{'run':>4} {'first pass s':>13} {'second pass s':>14} {'referral rows':>14} {'load (1 min)':>13}")
        firsts = []
        for i in range(args.runs):
            restore(url)
            first, second, rows = one_run(url, settings, args.due)
            firsts.append(first)
            print(f"{i + 1:>4} {first:>13.2f} {second:>14.3f} {rows:>14,} {os.getloadavg()[0]:>13.1f}")
        print(f"\nmedian first pass: {statistics.median(firsts):.2f} s for {args.due:,} due escalations "
              f"({args.runs} runs, min {min(firsts):.2f}, max {max(firsts):.2f}); a second pass right after found "
              f"nothing each time; {os.cpu_count()} CPUs")
    return 0

if __name__ == "__main__":
    sys.exit(main())
