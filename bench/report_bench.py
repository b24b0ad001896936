"""Report speed on PostgreSQL: seed 1,000,000 completed assessments into a fresh database, time every report variant.

Run: `.venv/bin/python bench/report_bench.py [--rows N] [--keep]` (PostgreSQL on 127.0.0.1:5432, user postgres,
trust auth). The goal is <= 0.5 s per variant; the figure printed is the median of three runs, end to end from the
read of the report rollup to the JSON or CSV body, with differential privacy noise and suppression (the default
budget). The first run of a variant also draws and stores the noise of cells no report needed before; it is printed
apart. The rows go in through the database triggers that keep the rollup, as the app's completes do; each org has a
running campaign and the one before it, and about a third of their units' answers in their months are the
campaign's, so the campaign reports (each with its predecessor's figures) are timed too.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.__main__ import freeze_startup_objects  # noqa: E402
from app.campaigns.models import Campaign  # noqa: E402
from app.campaigns.report import campaign_report  # noqa: E402
from app.config import ROOT, Settings  # noqa: E402
from app.db import make_engine, session_scope, upgrade  # noqa: E402
from app.reports.service import budget_of, scale_bands, summary, to_csv, to_summary  # noqa: E402
from app.scales.registry import ScaleRegistry  # noqa: E402
from bench.databases import drop_pg_db, make_pg_db  # noqa: E402

SINCE = "2000-01-01"  # the tree predates every reported month (a month is pooled with the tree as it closed)
ORGS, TOP_UNITS, SUB_UNITS = 3, 6, 4  # 3 orgs x (6 top units x (1 + 4 sub-units)) = 90 units
CAMPAIGN_SHARE = 0.35  # of a campaign unit's answers in the campaign's days


def campaign_days(today: date) -> dict[str, tuple[date, date]]:
    """Each org's running campaign (opened 10 months ago, closing next month) and the one before it."""
    opens = (today.replace(day=1) - timedelta(days=300)).replace(day=1)
    before = (opens - timedelta(days=365)).replace(day=1)
    return {"now": (opens, today + timedelta(days=30)), "before": (before, opens - timedelta(days=30))}


def campaign_id(which: str, org: int) -> str:
    return hashlib.md5(f"{which}{org}".encode()).hexdigest()


def band_sql(scale_id: str, registry: ScaleRegistry) -> tuple[int, str]:
    """The score range and a CASE that gives the band of a score (random band when bands are not on the total)."""
    scale = registry[scale_id]
    top = scale.score_range("total")[1]
    order, _, ranges = scale_bands(scale)
    if ranges is None:
        picks = " ".join(f"WHEN {i} THEN '{b}'" for i, b in enumerate(order))
        return top, f"(CASE floor(random() * {len(order)})::int {picks} END)"
    bands = [b for bs in scale.bands if bs.score == "total" for b in bs.bands]
    whens = " ".join(f"WHEN x.s <= {b.max} THEN '{b.id}'" for b in sorted(bands, key=lambda b: b.min))
    return top, f"(CASE {whens} END)"


def seed(url: str, rows: int, registry: ScaleRegistry) -> None:
    engine = create_engine(url)
    today = date.today()
    start = today.replace(day=1) - timedelta(days=730)
    days = {f"{which}_{end}": day for which, span in campaign_days(today).items()
            for end, day in zip(("opens", "closes"), span, strict=True)}
    with engine.begin() as c:
        for o in range(ORGS):
            c.execute(text("INSERT INTO org (id, name, created_at) VALUES (:id, :name, :since)"),
                      {"id": f"org{o}", "name": f"Org {o}", "since": SINCE})
            for t in range(TOP_UNITS):
                top = f"o{o}-u{t}"
                c.execute(text("INSERT INTO unit (id, org_id, parent_id, name, headcount, created_at) "
                               "VALUES (:id, :org, NULL, :id, :hc, :since)"),
                          {"id": top, "org": f"org{o}", "hc": 200, "since": SINCE})
                for s in range(SUB_UNITS):
                    c.execute(text("INSERT INTO unit (id, org_id, parent_id, name, headcount, created_at) "
                                   "VALUES (:id, :org, :p, :id, :hc, :since)"),
                              {"id": f"{top}-{s}", "org": f"org{o}", "p": top, "hc": [4, 12, 40, 80][s],
                               "since": SINCE})
            units = [f"o{o}-u{t}{f'-{s}' if s >= 0 else ''}" for t in range(TOP_UNITS) for s in range(-1, SUB_UNITS)]
            for which, (opens, closes) in campaign_days(today).items():
                c.execute(text("INSERT INTO campaign (id, org_id, name, scales_json, units_json, opens_on, closes_on, "
                               "created_at) VALUES (:id, :org, :name, :scales, :units, :opens, :closes, :since)"),
                          {"id": campaign_id(which, o), "org": f"org{o}", "name": which,
                           "scales": json.dumps(registry.ids()), "units": json.dumps(units), "opens": opens,
                           "closes": closes, "since": SINCE})
        ids = registry.ids()
        per_scale = rows // len(ids)
        for scale_id in ids:
            top, band_case = band_sql(scale_id, registry)
            c.execute(text(f"""
                INSERT INTO assessment (id, scale_id, scale_version, status, current_item, org, unit, started_at,
                                        completed_at, completed_on, score, max_score, band, risk, campaign_id)
                SELECT md5(:sid || g::text)::varchar(32), :sid, '1', 'completed', 0, 'org' || o, u,
                       d::timestamp, d::timestamp, d, s, {top}, {band_case}, 'none',
                       (CASE WHEN u IS NULL OR random() >= {CAMPAIGN_SHARE} THEN NULL
                             WHEN d BETWEEN :now_opens AND :now_closes THEN md5('now' || o)
                             WHEN d BETWEEN :before_opens AND :before_closes THEN md5('before' || o) END)
                FROM (
                  SELECT g, o, (CASE WHEN random() < 0.03 THEN NULL ELSE
                                 'o' || o || '-u' || floor(random() * {TOP_UNITS})::int ||
                                 (CASE WHEN random() < 0.8 THEN '-' || floor(random() * {SUB_UNITS})::int ELSE '' END)
                                END) AS u,
                         :start + floor(random() * 760)::int AS d, floor(random() * ({top} + 1))::int AS s
                  FROM generate_series(1, :n) g, LATERAL (SELECT floor(random() * {ORGS})::int + (g * 0) AS o) oo
                ) x
            """), {"sid": scale_id, "n": per_scale, "start": start, **days})
        c.execute(text("ANALYZE assessment"))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = make_pg_db()
    name = url.rsplit("/", 1)[1]
    registry = ScaleRegistry.from_dir(ROOT / "scales")
    try:
        upgrade(Settings(data_dir=Path("/tmp/xinan-bench")), url=url)  # type: ignore[call-arg]
        t0 = time.perf_counter()
        seed(url, args.rows, registry)
        engine = make_engine(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE report_rollup"))  # as autovacuum leaves it after the seed's upserts
        with engine.connect() as c:
            count = c.execute(text("SELECT count(*) FROM assessment WHERE status = 'completed'")).scalar_one()
            grains = dict(c.execute(text("SELECT grain, count(*) FROM report_rollup GROUP BY grain")).all())
        print(f"seeded {count:,} completed assessments in {time.perf_counter() - t0:.1f} s ({name}); rollup rows: "
              f"{grains.get('m', 0):,} month, {grains.get('d', 0):,} day")
        today = date.today()
        last = today.replace(day=1) - timedelta(days=1)
        periods = {"1 month": (last.replace(day=1), last), "12 months": (date(last.year - 1, last.month, 1), last),
                   "24 months": (date(last.year - 2, last.month, 1), last),
                   "this month": (today.replace(day=1), today),  # the running month, through yesterday
                   "24 to today": (date(today.year - 2, today.month, 1), today)}
        budget = budget_of(Settings(data_dir=Path("/tmp/xinan-bench")))  # type: ignore[call-arg]
        freeze_startup_objects()  # as `python -m app serve` does after start-up
        worst = 0.0
        print("median s: wall time; cpu s: this process's CPU time (the app's share, apart from PostgreSQL's)")
        print(f"{'scale':7} {'group_by':8} {'period':11} {'format':6} {'first s':>8} {'median s':>9} {'cpu s':>6}")
        for scale_id in ("gad7", "dass21"):
            for group_by in ("unit", "org", "month"):
                for label, (f, t) in periods.items():
                    for fmt in ("json", "csv"):
                        times, cpu = [], []
                        for _ in range(4):
                            start, cpu0 = time.perf_counter(), time.process_time()
                            with session_scope(engine) as db:
                                report = summary(db, registry[scale_id], 10, group_by, f, t, today, budget=budget)
                            _ = to_csv(report) if fmt == "csv" else to_summary(report).model_dump_json()
                            times.append(time.perf_counter() - start)
                            cpu.append(time.process_time() - cpu0)
                        med = statistics.median(times[1:])
                        worst = max(worst, med)
                        print(f"{scale_id:7} {group_by:8} {label:11} {fmt:6} {times[0]:8.3f} {med:9.3f} "
                              f"{statistics.median(cpu[1:]):6.3f}")
        print(f"{'scale':7} {'campaign report of':27} {'first s':>8} {'median s':>9} {'cpu s':>6}")
        for scale_id in ("gad7", "dass21"):
            for o in range(ORGS):
                times, cpu = [], []
                for _ in range(4):
                    start, cpu0 = time.perf_counter(), time.process_time()
                    with session_scope(engine) as db:
                        camp = db.get(Campaign, campaign_id("now", o))
                        assert camp is not None
                        rep = campaign_report(db, camp, registry[scale_id], 10, budget, today)
                    assert rep.summary is not None and rep.previous
                    _ = rep.summary.model_dump_json()
                    times.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - cpu0)
                med = statistics.median(times[1:])
                worst = max(worst, med)
                print(f"{scale_id:7} {f'org{o} (and its previous)':27} {times[0]:8.3f} {med:9.3f} "
                      f"{statistics.median(cpu[1:]):6.3f}")
        print(f"slowest variant: {worst:.3f} s (goal <= 0.5 s)")
        engine.dispose()
    finally:
        if not args.keep:
            drop_pg_db(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
