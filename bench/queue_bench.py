"""Counsellor queue on PostgreSQL: 100,000 escalations, claim throughput with 8 concurrent counsellors, and the
latency of the queue list, all through the app's HTTP API (a real uvicorn process).

Run: `.venv/bin/python bench/queue_bench.py [--rows 100000] [--open-share 0.2] [--claims 2000] [--keep]`
(PostgreSQL on 127.0.0.1:5432, user postgres, trust auth; a fresh database is created and dropped afterwards).
The statement plan of the list query is printed too, so a missing index shows.
"""
from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import postgresql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import ROOT, Settings  # noqa: E402
from app.db import make_engine, session_scope, upgrade  # noqa: E402
from app.escalations.service import list_queue  # noqa: E402
from app.network.models import Centre
from app.staff.models import StaffUser  # noqa: E402
from app.staff.service import create_user  # noqa: E402
from bench.load_bench import drop_pg_db, free_port, make_pg_db  # noqa: E402

CLAIMERS = 8
PASSWORD = "bench-password-1"
LIST_RUNS = 60


def seed(url: str, rows: int, open_share: float, holder_id: int) -> None:
    """Sessions and escalations with one INSERT … SELECT each; open ones recent, older ones claimed or resolved."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("""
            INSERT INTO employee_session (id, token_hash, locale, org, unit, consent, handoff, last_seq,
                                          created_at, last_active_at)
            SELECT md5('s' || g), md5('t' || g), 'zh-CN', 'org' || (g % 3), 'u' || (g % 90), 'agreed', false, 20,
                   now() - make_interval(days => g % 365), now() - make_interval(days => g % 365)
            FROM generate_series(1, :n) g"""), {"n": rows})
        c.execute(text("""
            INSERT INTO escalation (id, session_id, assessment_id, source, priority, priority_rank, reason, status,
                                    scale, score, org, unit, created_at, due_at, claimed_by_id, claimed_at,
                                    resolved_at, outcome)
            SELECT md5('e' || g), md5('s' || g), NULL, 'risk_rule', p.name, p.rank, 'phq9 item 9 >= 1', x.status,
                   'phq9', 10 + (g % 18), 'org' || (g % 3), 'u' || (g % 90), x.created, x.created + p.due,
                   CASE WHEN x.status = 'open' THEN NULL ELSE :holder END,
                   CASE WHEN x.status = 'open' THEN NULL ELSE x.created + interval '10 minutes' END,
                   CASE WHEN x.status = 'resolved' THEN x.created + interval '1 day' END,
                   CASE WHEN x.status = 'resolved' THEN 'contacted' END
            FROM (SELECT g, random() AS r, CASE WHEN random() < :open THEN 'open'
                                               WHEN random() < 0.05 THEN 'claimed' ELSE 'resolved' END AS status,
                         now() - make_interval(secs => random() * 365 * 86400) AS created
                  FROM generate_series(1, :n) g) x
            CROSS JOIN LATERAL (SELECT * FROM (VALUES ('urgent', 0, interval '15 minutes', 0.05),
                                                      ('high', 1, interval '4 hours', 0.30),
                                                      ('routine', 2, interval '3 days', 1.01)) v(name, rank, due, upto)
                                WHERE x.r < v.upto ORDER BY v.upto LIMIT 1) p"""),
                  {"n": rows, "open": open_share, "holder": holder_id})
        c.execute(text("ANALYZE employee_session"))
        c.execute(text("ANALYZE escalation"))
    engine.dispose()


def make_staff(url: str) -> int:
    with session_scope(make_engine(url)) as db:
        db.add(Centre(id="city", name="City"))  # a root centre: its counsellors see the bench's org-less cases
        db.flush()
        users = [create_user(db, username=f"c{i}", password=PASSWORD, role="counsellor", centre="city")
                 for i in range(CLAIMERS)]
        return int(users[0].id or 0)


def explain(url: str, status: str) -> list[str]:
    """EXPLAIN ANALYZE of the exact statement the list endpoint runs for a counsellor."""

    class Capture:
        stmt: Any = None

        def exec(self, stmt: Any) -> list[Any]:
            self.stmt = stmt
            return []

    cap = Capture()
    list_queue(cap, StaffUser(id=2, username="c1", password_hash="", role="counsellor"), status=status)  # type: ignore[arg-type]
    sql = str(cap.stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    engine = create_engine(url)
    with engine.connect() as c:
        plan = [r[0] for r in c.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql))]
    engine.dispose()
    return plan


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))] * 1000 if s else float("nan")


async def login(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    r = await http.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def time_list(http: httpx.AsyncClient, auth: dict[str, str], status: str) -> tuple[list[float], int]:
    times, n = [], 0
    for _ in range(LIST_RUNS):
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


def open_ids(url: str, n: int, offset: int) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as c:
        ids = [r[0] for r in c.execute(text("SELECT id FROM escalation WHERE status = 'open' ORDER BY priority_rank, "
                                            "created_at, id LIMIT :n OFFSET :o"), {"n": n, "o": offset})]
    engine.dispose()
    return ids


def claimed_once(url: str, ids: list[str]) -> int:
    engine = create_engine(url)
    with engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM escalation WHERE id = ANY(:ids) AND status = 'claimed' "
                           "AND claimed_by_id IS NOT NULL"), {"ids": ids}).scalar_one()
    engine.dispose()
    return int(n)


async def measure(base: str, url: str, claims: int) -> None:
    limits = httpx.Limits(max_connections=CLAIMERS * 2, max_keepalive_connections=CLAIMERS * 2)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        auths = [await login(http, f"c{i}") for i in range(CLAIMERS)]
        await time_list(http, auths[0], "open")  # warm-up
        print(f"\n{'queue list (GET /api/v1/escalations)':<44} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for status in ("open", "active"):
            times, n = await time_list(http, auths[0], status)
            print(f"  status={status:<35} {n:>5} {pct(times, 50):>8.1f} {pct(times, 95):>8.1f} "
                  f"{max(times) * 1000:>8.1f}")
        distinct = open_ids(url, claims, 0)
        wall, lat, codes = await claim_all(http, auths, [distinct[i::CLAIMERS] for i in range(CLAIMERS)])
        print(f"\n{'claims (8 concurrent counsellors)':<44} {'claims/s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
        print(f"  {'distinct escalations (' + str(len(distinct)) + ')':<42} {codes.get(200, 0) / wall:>8.1f} "
              f"{pct(lat, 50):>8.1f} {pct(lat, 95):>8.1f}  {codes}")
        race = open_ids(url, claims // CLAIMERS, 0)
        wall, lat, codes = await claim_all(http, auths, [race] * CLAIMERS)
        won = claimed_once(url, race)
        print(f"  {'all 8 race for the same ' + str(len(race)):<42} {codes.get(200, 0) / wall:>8.1f} "
              f"{pct(lat, 50):>8.1f} {pct(lat, 95):>8.1f}  {codes}")
        ok = codes.get(200, 0) == len(race) == won and codes.get(409, 0) == len(race) * (CLAIMERS - 1)
        print(f"  exactly one winner per escalation: {'yes' if ok else 'NO'} ({won} claimed of {len(race)})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--open-share", type=float, default=0.2, help="share of escalations still open")
    ap.add_argument("--claims", type=int, default=2000, help="distinct escalations claimed in the throughput run")
    ap.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    args = ap.parse_args()
    url = make_pg_db()
    tmp = Path(tempfile.mkdtemp(prefix="xinan-qbench-"))
    settings = Settings(data_dir=tmp / "var", database_url=url)  # type: ignore[call-arg]
    app: subprocess.Popen | None = None
    try:
        upgrade(settings)
        t0 = time.perf_counter()
        seed(url, args.rows, args.open_share, make_staff(url))
        print(f"seeded {args.rows:,} escalations (+ sessions) in {time.perf_counter() - t0:.1f} s on {url}")
        for status in ("open", "active"):
            print(f"\nEXPLAIN ANALYZE, counsellor list status={status}:")
            print("\n".join("  " + line for line in explain(url, status)))
        port = free_port()
        env = {"XINAN_DATABASE_URL": url, "XINAN_DATA_DIR": str(tmp / "var"), "XINAN_PORT": str(port),
               "XINAN_LOGIN_ATTEMPTS_PER_MINUTE": "1000", "PYTHONUNBUFFERED": "1", "PATH": "/usr/bin:/bin"}
        log = open(tmp / "app.log", "wb")  # noqa: SIM115
        app = subprocess.Popen([sys.executable, "-m", "app", "serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        asyncio.run(measure(base, url, args.claims))
    finally:
        if app is not None:
            app.terminate()
            app.wait(15)
        if args.keep:
            print(f"kept {url}")
        else:
            drop_pg_db(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
