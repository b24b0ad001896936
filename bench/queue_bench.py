"""Counsellor queue on the service network's shape: the demo's centres (1 city, 10 counties, 91 stations), 100 orgs per
county on average, 100,000 escalations; the queue list for a station counsellor and a city counsellor, claims by 8
concurrent counsellors, all through the app's HTTP API (a real uvicorn process), and the plans of the queue queries.

Run: `.venv/bin/python bench/queue_bench.py [--rows 100000] [--orgs-per-county 100] [--runs 200] [--sqlite] [--keep]`
(PostgreSQL on 127.0.0.1:5432, user postgres, trust auth; a fresh database is created and dropped afterwards;
`--sqlite`: a temporary SQLite file instead).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import bindparam, create_engine, insert, text
from sqlalchemy.dialects import postgresql, sqlite

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import ROOT, Settings  # noqa: E402
from app.db import make_engine, session_scope, upgrade  # noqa: E402
from app.demo.network import CITY, COUNTIES, build_shape  # noqa: E402
from app.escalations.models import PRIORITY_RANK, Escalation  # noqa: E402
from app.escalations.service import list_queue, to_out  # noqa: E402
from app.network.models import Centre  # noqa: E402
from app.reports.models import Org, Unit  # noqa: E402
from app.runtime import load_runtime, set_runtime  # noqa: E402
from app.sessions.models import EmployeeSession  # noqa: E402
from app.staff.models import StaffUser  # noqa: E402
from app.staff.service import create_user  # noqa: E402
from app.timeutil import utcnow  # noqa: E402
from bench.databases import db_options, throwaway_db  # noqa: E402
from bench.processes import free_port  # noqa: E402

CLAIMERS = 8
PASSWORD = "bench-password-1"
STATION = "dongcheng-s01"  # the station counsellor's centre (a demo station)
PRIORITIES = (("urgent", 0.05), ("high", 0.25), ("routine", 0.70))
DUE = {"urgent": timedelta(minutes=10), "high": timedelta(hours=4), "routine": timedelta(days=3)}


def network(url: str, orgs_per_county: int) -> list[tuple[str, str]]:
    """The demo's centres; orgs_per_county × 10 orgs, 85 % served by a station of their county and the rest by the
    county centre, one unit each. Returns (org, unit) pairs."""
    rng = random.Random(7)
    shape = build_shape()
    stations = {cid: [c.id for c in shape.centres if c.parent_id == cid] for cid, _ in COUNTIES}
    orgs, units = [], []
    for i in range(orgs_per_county * len(COUNTIES)):
        cid = COUNTIES[i % len(COUNTIES)][0]
        centre = rng.choice(stations[cid]) if rng.random() < 0.85 else cid
        orgs.append({"id": f"bo-{i:05d}", "name": f"Bench org {i}", "centre_id": centre, "created_at": utcnow()})
        units.append({"id": f"bo-{i:05d}-u1", "org_id": f"bo-{i:05d}", "parent_id": None, "name": "Unit",
                      "headcount": rng.randint(20, 800), "created_at": utcnow()})
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(insert(Centre.__table__), [{"id": x.id, "name": x.name, "parent_id": x.parent_id,  # type: ignore[attr-defined]
                                              "created_at": utcnow()} for x in shape.centres])
        c.execute(insert(Org.__table__), orgs)  # type: ignore[attr-defined]
        c.execute(insert(Unit.__table__), units)  # type: ignore[attr-defined]
    engine.dispose()
    return [(u["id"].rsplit("-", 1)[0], u["id"]) for u in units]


def seed(url: str, places: list[tuple[str, str]], rows: int, open_share: float, holder: int) -> None:
    """Escalations over the last year (a few orgs busy, most quiet); the open share is recent, the rest mostly
    resolved, a few held or withdrawn; 5 % urgent, 25 % high."""
    rng = random.Random(11)
    now = utcnow()
    sessions, escs = [], []
    for g in range(rows):
        org, unit = places[int(len(places) * rng.random() ** 1.5)]
        priority = rng.choices([p for p, _ in PRIORITIES], [w for _, w in PRIORITIES])[0]
        r = rng.random()
        status = ("open" if r < open_share else "claimed" if r < open_share + 0.02
                  else "withdrawn" if r < open_share + 0.03 else "resolved")
        age = timedelta(days=rng.random() * (7 if status in ("open", "claimed") else 365))
        created = now - age
        sessions.append({"id": f"s{g:07d}", "token_hash": f"t{g:07d}", "locale": "zh-CN", "org": org, "unit": unit,
                         "consent": "agreed", "handoff": False, "last_seq": 20, "created_at": created,
                         "last_active_at": created})
        held = status in ("claimed", "resolved")
        escs.append({"id": f"e{g:07d}", "session_id": f"s{g:07d}", "source": "risk_rule", "priority": priority,
                     "priority_rank": PRIORITY_RANK[priority], "reason": "PHQ-9 total ≥ 10 (further evaluation)",
                     "status": status, "scale": "phq9", "score": 10 + g % 18, "org": org, "unit": unit,
                     "created_at": created, "due_at": created + DUE[priority],
                     "claimed_by_id": holder if held else None,
                     "claimed_at": created + timedelta(minutes=10) if held else None,
                     "resolved_at": created + timedelta(days=1) if status == "resolved" else None,
                     "outcome": "contacted" if status == "resolved" else None})
    engine = create_engine(url)
    with engine.begin() as c:
        for i in range(0, rows, 5000):
            c.execute(insert(EmployeeSession.__table__), sessions[i:i + 5000])  # type: ignore[attr-defined]
            c.execute(insert(Escalation.__table__), escs[i:i + 5000])  # type: ignore[attr-defined]
        c.execute(text("ANALYZE"))
    engine.dispose()


def make_staff(url: str) -> int:
    """c0…c7 counsellors of the city centre (c0 is "the city counsellor"), and `station` of one station."""
    with session_scope(make_engine(url)) as db:
        users = [create_user(db, username=f"c{i}", password=PASSWORD, role="counsellor", centre=CITY[0])
                 for i in range(CLAIMERS)]
        create_user(db, username="station", password=PASSWORD, role="counsellor", centre=STATION)
        return int(users[0].id or 0)


def explain(url: str, user: StaffUser, status: str) -> list[str]:
    """The plan of the exact statement the list endpoint runs for `user` (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN
    QUERY PLAN on SQLite)."""

    class Capture:  # the scope's own small reads go to the database; the list statement is kept, not run
        stmt: Any = None

        def __init__(self, db: Any) -> None:
            self.get, self.scalars = db.get, db.scalars

        def exec(self, stmt: Any) -> list[Any]:
            self.stmt = stmt
            return []

    with session_scope(make_engine(url)) as db:
        cap = Capture(db)
        list_queue(cap, user, status=status)  # type: ignore[arg-type]
    pg = url.startswith("postgresql")
    sql = str(cap.stmt.compile(dialect=postgresql.dialect() if pg else sqlite.dialect(),
                               compile_kwargs={"literal_binds": True}))
    engine = create_engine(url)
    with engine.connect() as c:
        rows = c.execute(text(("EXPLAIN (ANALYZE, BUFFERS) " if pg else "EXPLAIN QUERY PLAN ") + sql))
        plan = [r[0] if pg else f"{r[1]}→{r[0]} {r[3]}" for r in rows]
    engine.dispose()
    return plan


def time_service(url: str, settings: Settings, user: StaffUser, status: str, runs: int) -> tuple[list[float], int]:
    """The route's own work without HTTP: list_queue and to_out in a unit of work, as GET /api/v1/escalations."""
    set_runtime(load_runtime(settings))
    engine = make_engine(url)
    times, n = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        with session_scope(engine) as db:
            n = len(to_out(db, list_queue(db, user, status=status)))
        times.append(time.perf_counter() - t0)
    engine.dispose()
    return times, n


def uses_index(plan: list[str]) -> bool:
    return any("ix_escalation" in line and ("Index" in line or "INDEX" in line) for line in plan)


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))] * 1000 if s else float("nan")


async def login(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    r = await http.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def time_list(http: httpx.AsyncClient, auth: dict[str, str], status: str, runs: int) -> tuple[list[float], int]:
    times, n = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        r = await http.get("/api/v1/escalations", params={"status": status}, headers=auth)
        times.append(time.perf_counter() - t0)
        r.raise_for_status()
        n = len(r.json()["escalations"])
    return times, n


async def claim_all(http: httpx.AsyncClient, auths: list[dict[str, str]], ids_per_claimer: list[list[str]]
                    ) -> tuple[float, list[float], dict[int, int]]:
    """Each claimer claims its ids one after another; returns wall time, latencies, and counts by HTTP status."""
    lat: list[float] = []
    codes: dict[int, int] = {}

    async def claimer(auth: dict[str, str], ids: list[str]) -> None:
        for esc_id in ids:
            t0 = time.perf_counter()
            r = await http.post(f"/api/v1/escalations/{esc_id}/claim", headers=auth)
            lat.append(time.perf_counter() - t0)
            codes[r.status_code] = codes.get(r.status_code, 0) + 1

    t0 = time.perf_counter()
    await asyncio.gather(*(claimer(a, ids) for a, ids in zip(auths, ids_per_claimer, strict=True)))
    return time.perf_counter() - t0, lat, codes


def open_ids(url: str, n: int) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as c:
        ids = [r[0] for r in c.execute(text("SELECT id FROM escalation WHERE status = 'open' ORDER BY priority_rank, "
                                            "created_at, id LIMIT :n"), {"n": n})]
    engine.dispose()
    return ids


def claimed_once(url: str, ids: list[str]) -> int:
    engine = create_engine(url)
    with engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM escalation WHERE id IN :ids AND status = 'claimed' "
                           "AND claimed_by_id IS NOT NULL").bindparams(bindparam("ids", expanding=True)),
                      {"ids": ids}).scalar_one()
    engine.dispose()
    return int(n)


async def measure(base: str, url: str, claims: int, runs: int) -> None:
    limits = httpx.Limits(max_connections=CLAIMERS * 2, max_keepalive_connections=CLAIMERS * 2)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        auths = [await login(http, f"c{i}") for i in range(CLAIMERS)]
        station = await login(http, "station")
        await time_list(http, auths[0], "active", 5)  # warm-up
        print(f"\n{'queue list (GET /api/v1/escalations), ' + str(runs) + ' each':<44} {'rows':>5} {'p50 ms':>8} "
              f"{'p95 ms':>8} {'max ms':>8}")
        for who, auth in (("station counsellor", station), ("city counsellor", auths[0])):
            for status in ("active", "open"):
                times, n = await time_list(http, auth, status, runs)
                print(f"  {who + ', status=' + status:<42} {n:>5} {pct(times, 50):>8.1f} {pct(times, 95):>8.1f} "
                      f"{max(times) * 1000:>8.1f}")
        if claims <= 0:
            return
        distinct = open_ids(url, claims)
        wall, lat, codes = await claim_all(http, auths, [distinct[i::CLAIMERS] for i in range(CLAIMERS)])
        print(f"\n{'claims (8 concurrent city counsellors)':<44} {'claims/s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
        print(f"  {'distinct escalations (' + str(len(distinct)) + ')':<42} {codes.get(200, 0) / wall:>8.1f} "
              f"{pct(lat, 50):>8.1f} {pct(lat, 95):>8.1f}  {codes}")
        race = open_ids(url, claims // CLAIMERS)
        wall, lat, codes = await claim_all(http, auths, [race] * CLAIMERS)
        won = claimed_once(url, race)
        print(f"  {'all 8 race for the same ' + str(len(race)):<42} {codes.get(200, 0) / wall:>8.1f} "
              f"{pct(lat, 50):>8.1f} {pct(lat, 95):>8.1f}  {codes}")
        ok = codes.get(200, 0) == len(race) == won and codes.get(409, 0) == len(race) * (CLAIMERS - 1)
        print(f"  exactly one winner per escalation: {'yes' if ok else 'NO'} ({won} claimed of {len(race)})")


def serve(url: str, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {"XINAN_DATABASE_URL": url, "XINAN_DATA_DIR": str(tmp / "var"), "XINAN_PORT": str(port),
           "XINAN_LOGIN_ATTEMPTS_PER_MINUTE": "1000", "PYTHONUNBUFFERED": "1", "PATH": "/usr/bin:/bin",
           # the start-up retention purge would delete the year of seeded transcripts while the lists are timed
           # (and hold SQLite's write lock for seconds): keep everything
           "XINAN_RETENTION_DAYS": "3650", "XINAN_CASE_RECORD_RETENTION_DAYS": "3650"}
    log = open(tmp / "app.log", "wb")  # noqa: SIM115
    app = subprocess.Popen([sys.executable, "-m", "app", "serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return app, base


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--orgs-per-county", type=int, default=100)
    ap.add_argument("--open-share", type=float, default=0.03, help="share of escalations still open")
    ap.add_argument("--runs", type=int, default=200, help="queue list requests per counsellor and status")
    ap.add_argument("--claims", type=int, default=2000, help="distinct escalations claimed (0: no claim run)")
    db_options(ap)
    args = ap.parse_args()
    with throwaway_db("xinan-qbench-", args) as (tmp, url):
        run(args, tmp, url)
    return 0


def run(args: argparse.Namespace, tmp: Path, url: str) -> None:
    settings = Settings(data_dir=tmp / "var", database_url=url)  # type: ignore[call-arg]
    app: subprocess.Popen | None = None
    try:
        upgrade(settings)
        t0 = time.perf_counter()
        places = network(url, args.orgs_per_county)
        holder = make_staff(url)
        seed(url, places, args.rows, args.open_share, holder)
        print(f"seeded 102 centres, {len(places):,} orgs, {args.rows:,} escalations (+ sessions) in "
              f"{time.perf_counter() - t0:.1f} s on {url}; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        users = {who: StaffUser(id=holder, username="x", password_hash="", role="counsellor", centre_id=centre)
                 for who, centre in (("station counsellor", STATION), ("city counsellor", CITY[0]))}
        print(f"\n{'in process: list_queue + to_out, ' + str(args.runs) + ' each':<44} {'rows':>5} {'p50 ms':>8} "
              f"{'p95 ms':>8} {'max ms':>8}")
        for who, user in users.items():
            for status in ("active", "open"):
                times, n = time_service(url, settings, user, status, args.runs)
                print(f"  {who + ', status=' + status:<42} {n:>5} {pct(times, 50):>8.1f} {pct(times, 95):>8.1f} "
                      f"{max(times) * 1000:>8.1f}")
        app, base = serve(url, tmp)
        asyncio.run(measure(base, url, args.claims, args.runs))
        for who, user in users.items():  # after the runs, so the plans show a warm cache as the console sees it
            for status in ("active", "open"):
                plan = explain(url, user, status)
                print(f"\nplan, {who} ({user.centre_id}), status={status}: index used: "
                      f"{'yes' if uses_index(plan) else 'NO'}")
                print("\n".join("  " + line for line in plan))
    finally:
        if app is not None:
            app.terminate()
            app.wait(15)


if __name__ == "__main__":
    sys.exit(main())
