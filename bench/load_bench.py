"""Load benchmark: N simulated employees each complete a PHQ-9 through the app, and the same conversations go
straight to Rasa's REST channel, so the app's own overhead shows as a ratio.

Run: `.venv/bin/python bench/load_bench.py [--levels 1,10,50,200 | --quick] [--think 3] [--postgres] [--profile]
[--repeat R] [--gc-pauses]`.
It starts one Rasa and one app on free loopback ports (the trained model in var/models is reused, never retrained)
on a throw-away SQLite store (or a fresh PostgreSQL database with --postgres, dropped afterwards). The app's rate
limits are raised for the bench's app process: every simulated employee shares 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import db as app_db  # noqa: E402
from app.config import ROOT, Settings  # noqa: E402
from app.rasa.client import CHANNEL_HEADER, WEBHOOK  # noqa: E402
from app.rasa.process import CHANNEL_SECRET, secret  # noqa: E402
from app.reports import orgs  # noqa: E402
from app.secrets_store import load_pepper  # noqa: E402
from bench.databases import drop_pg_db, make_pg_db  # noqa: E402
from bench.load_report import RATE_ENV, cpu_delta, cpu_seconds, percentile, report  # noqa: E402
from bench.processes import free_port, peak_rss_mb  # noqa: E402
from bench.profiling import (  # noqa: E402
    GC_PROBE,
    OUT,
    gc_pause_report,
    print_profile,
    probe_env,
    start_profiles,
    stop_profiles,
)
from scripts.devstack import Stack  # noqa: E402

BENCH_REDIS = "redis://127.0.0.1:6379/7"  # a database of its own (the scale-out test uses 5)
LABELS = {0: "完全不会", 1: "好几天", 2: "一半以上的天数", 3: "几乎每天"}
TYPED = {0: "完全没有", 1: "好几天", 2: "一半以上的天数", 3: "差不多天天都这样"}  # free-text answers
ITEMS = 9
RETRIES = 2  # a failed message is tried again twice (the widget offers a retry), then the employee leaves
TLS = httpx.create_ssl_context()  # loaded once: each client loading the CA bundle itself costs 20 ms


@dataclass
class Phase:
    """The latencies and failures of one run (one level, app or direct Rasa)."""

    latencies: list[float] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # which message of the plan each latency timed (--by-step)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    incomplete: int = 0
    retyped: int = 0  # typed answers the bot did not take, re-sent as the button
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds each process used during the phase

    def add(self, other: Phase) -> None:
        """Pool another run of the same level and path into this one (--repeat)."""
        self.latencies += other.latencies
        self.steps += other.steps
        self.errors += other.errors
        self.wall += other.wall
        self.incomplete += other.incomplete
        self.retyped += other.retyped
        self.cpu = {k: self.cpu.get(k, 0.0) + v for k, v in other.cpu.items()}

    def pct(self, p: float) -> float:
        """The p-th percentile turn latency, ms."""
        return percentile(self.latencies, p) * 1000

    def cpu_ms(self, process: str) -> float:
        """CPU ms the process ("app", "rasa", "bench") spent per successful turn of this phase."""
        return 1000 * self.cpu.get(process, 0.0) / max(1, len(self.latencies))


def plan(k: int) -> list[tuple[str, dict[str, Any]]]:
    """Employee k's conversation: consent, PHQ-9, then nine answers, odd items typed, even items tapped."""
    rng = random.Random(k)
    steps: list[tuple[str, dict[str, Any]]] = [("payload", {"payload": "/agree"}),
                                               ("payload", {"payload": '/request_scale{"scale":"phq9"}'})]
    for item in range(1, ITEMS + 1):
        value = rng.choice((0, 0, 1, 1, 2, 3)) if item < ITEMS else int(k % 10 == 0)  # some item-9 escalations
        if item % 2:
            steps.append(("text", {"text": TYPED[value], "_value": value}))
        else:
            steps.append(("payload", {"payload": f'/answer{{"option":"phq9:{item}:{value}"}}', "_value": value}))
    return steps


def step_label(step: int, kind: str, attempt: int) -> str:
    """What --by-step groups a latency under: consent, choosing the scale, then each item typed or tapped."""
    if step < 2:
        return ("consent", "choose")[step]
    return f"item{step - 1} " + ("tap" if kind == "payload" or attempt else "typed")


def answered(messages: list[dict[str, Any]]) -> int | None:
    return next((m["progress"]["answered"] for m in reversed(messages) if m.get("progress")), None)


def rasa_answered(items: list[dict[str, Any]]) -> int | None:
    """Rasa's REST output carries the progress as a custom payload item after the text it belongs to."""
    for item in reversed(items):
        custom = item.get("custom")
        if isinstance(custom, dict) and (custom.get("xinan") or {}).get("progress"):
            return int(custom["xinan"]["progress"]["answered"])
    return None


def register_bench_link(settings: Settings) -> None:
    """The employees open the widget link of unit "u1" of org "bench", which must be registered like any link."""
    engine = app_db.make_engine(settings.sqlalchemy_url)
    with app_db.session_scope(engine) as db:
        if orgs.link_problem(db, "bench", "u1") is not None:
            orgs.create_org(db, "bench", "Bench")
            orgs.create_unit(db, "bench", "u1", "Unit 1", None, None)
    engine.dispose()


async def new_session(http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    r = await http.post("/api/v1/sessions", json={"locale": "zh-CN", "org": "bench", "unit": "u1"})
    r.raise_for_status()
    j = r.json()
    return j["session_id"], {"Authorization": f"Bearer {j['token']}"}


async def think(mean: float) -> None:
    if mean > 0:
        await asyncio.sleep(random.uniform(0.5 * mean, 1.5 * mean))


class TurnFailed(Exception):
    """A turn answered with an error status or an empty reply."""


Send = Callable[[dict[str, Any]], Awaitable[int | None]]  # one message -> questions answered so far (None: unknown)


async def converse(k: int, phase: Phase, think_s: float, send: Send) -> None:
    """Employee k's plan, each message timed; a typed answer the bot did not take is re-sent as the button. A message
    that fails is sent again after a pause, with the same client_msg_id (the widget's retry), up to RETRIES times;
    after that the employee leaves (counted incomplete)."""
    done = 0
    for step, (kind, body) in enumerate(plan(k)):
        bodies = [{key: v for key, v in body.items() if not key.startswith("_")}]
        if kind == "text":
            bodies.append({"payload": f'/answer{{"option":"phq9:{step - 1}:{body["_value"]}"}}'})
        for attempt, msg in enumerate(bodies):
            msg = {**msg, "client_msg_id": uuid.uuid4().hex}
            for _ in range(1 + RETRIES):
                await think(think_s)
                t0 = time.perf_counter()
                try:
                    got = await send(msg)
                    break
                except (httpx.HTTPError, TurnFailed) as exc:
                    phase.errors.append(f"{kind}: {exc!r}")
            else:
                phase.incomplete += 1
                return
            phase.latencies.append(time.perf_counter() - t0)  # successful turns only; errors are counted apart
            phase.steps.append(step_label(step, kind, attempt))
            if step < 2 or (got is not None and got > done):
                done = got or done
                break
            if attempt == 0 and len(bodies) > 1:
                phase.retyped += 1
    if done != ITEMS:
        phase.incomplete += 1


async def employee_via_app(http: httpx.AsyncClient, k: int, phase: Phase, think_s: float) -> None:
    """One employee through the app's employee API."""
    try:
        sid, auth = await new_session(http)
    except httpx.HTTPError as exc:
        phase.errors.append(f"create: {exc!r}")
        phase.incomplete += 1
        return

    async def send(msg: dict[str, Any]) -> int | None:
        r = await http.post(f"/api/v1/sessions/{sid}/messages", headers=auth, json=msg)
        if r.status_code != 200:
            raise TurnFailed(f"HTTP {r.status_code}")
        return answered(r.json()["messages"])

    await converse(k, phase, think_s, send)


async def employee_via_rasa(app: httpx.AsyncClient, rasa: httpx.AsyncClient, k: int, phase: Phase,
                            think_s: float) -> None:
    """The same plan straight to Rasa's input channel (with the app's channel secret, as the app sends it); the
    sender is a real app session (the actions need it)."""
    try:
        sid, _ = await new_session(app)
    except httpx.HTTPError as exc:
        phase.errors.append(f"create: {exc!r}")
        phase.incomplete += 1
        return

    async def send(msg: dict[str, Any]) -> int | None:
        said = msg.get("payload") or msg["text"]
        r = await rasa.post(WEBHOOK, json={"sender": sid, "message": said})
        if r.status_code != 200:
            raise TurnFailed(f"rasa HTTP {r.status_code}")
        if not (items := r.json()):  # Rasa's REST channel answers [] when its --response-timeout (30 s) expires
            raise TurnFailed("rasa: empty reply (response timeout)")
        return rasa_answered(items)

    await converse(k, phase, think_s, send)


@contextlib.asynccontextmanager
async def browser(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """One simulated employee's own connection, as each employee has a browser of their own. One client shared by
    the N employees would cost the bench O(N) work per request (httpx's pool walks its connections), CPU taken from
    the app and Rasa on the same cores. Idle connections are let go after 4 s, before uvicorn closes them at 5 s: a
    browser resends a request that met a keep-alive connection closing under it; httpx does not, and would count
    that race as a failed turn."""
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2, keepalive_expiry=4.0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=httpx.Timeout(120.0), verify=TLS) as c:
        yield c


async def run_level(stacks: list[Stack], n: int, think_s: float, direct_first: bool = False) -> tuple[Phase, Phase]:
    """One round of a level: N employees through the app and N straight to Rasa, one path after the other.
    With several replicas employee k stays on replica k mod R (app and Rasa), as behind a sticky balancer."""
    r = len(stacks)
    via_app, direct = Phase(), Phase()

    async def through_app(k: int) -> None:
        async with browser(stacks[k % r].app_url) as app:
            await employee_via_app(app, k, via_app, think_s)

    async def straight_to_rasa(k: int) -> None:
        async with browser(stacks[k % r].app_url) as app, browser(stacks[k % r].rasa_url) as rasa:
            rasa.headers[CHANNEL_HEADER] = secret(load_pepper(stacks[k % r].settings), CHANNEL_SECRET)
            await employee_via_rasa(app, rasa, k, direct, think_s)

    runs: list[tuple[Phase, Callable[[int], Awaitable[None]]]] = [(via_app, through_app), (direct, straight_to_rasa)]
    for phase, employee in reversed(runs) if direct_first else runs:
        t0, c0 = time.perf_counter(), cpu_seconds(stacks)
        await asyncio.gather(*(employee(k) for k in range(n)))
        phase.wall, phase.cpu = time.perf_counter() - t0, cpu_delta(stacks, c0)
    return via_app, direct


def run_rounds(stacks: list[Stack], n: int, think_s: float, rounds: int) -> tuple[Phase, Phase]:
    """`rounds` rounds of a level, app and direct in alternating order, the turns of each path pooled."""
    via_app, direct = Phase(), Phase()
    for round_ in range(rounds):
        a, d = asyncio.run(run_level(stacks, n, think_s, direct_first=round_ % 2 == 1))
        via_app.add(a)
        direct.add(d)
    return via_app, direct


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", default="1,10,50,200", help="comma-separated numbers of concurrent employees")
    ap.add_argument("--quick", action="store_true", help="levels 1 and 10 only")
    ap.add_argument("--think", type=float, default=3.0,
                    help="mean pause before each message, seconds (people read each item; 0: closed loop)")
    ap.add_argument("--postgres", action="store_true", help="app store and Rasa tracker on a fresh PostgreSQL db")
    ap.add_argument("--profile", action="store_true", help="py-spy the app and Rasa during the largest level")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each level this many times, app and direct Rasa in alternating order, and pool the "
                         "turns: the p95 of one run at N=10 rests on its 6 slowest of 110 turns")
    ap.add_argument("--gc-pauses", action="store_true",
                    help="record the garbage-collection pauses of the app and of Rasa (bench/gc_pauses)")
    ap.add_argument("--by-step", action="store_true",
                    help="also print each message of the plan's p50 through the app and straight to Rasa")
    ap.add_argument("--replicas", type=int, default=1,
                    help="app + Rasa replicas sharing PostgreSQL and Redis (with --postgres); employee k on k mod R")
    args = ap.parse_args()
    levels = [1, 10] if args.quick else [int(x) for x in args.levels.split(",")]
    if args.replicas > 1:
        if not args.postgres:
            ap.error("--replicas needs --postgres (the replicas share PostgreSQL and Redis)")
        redis.Redis.from_url(BENCH_REDIS).flushdb()
    tmp = Path(tempfile.mkdtemp(prefix="xinan-bench-"))
    pg_url = make_pg_db() if args.postgres else None
    settings = Settings(data_dir=tmp / "var", rasa_models_dir=ROOT / "var" / "models",  # type: ignore[call-arg]
                        database_url=pg_url, redis_url=BENCH_REDIS if args.replicas > 1 else None)
    env = dict(RATE_ENV)
    if args.gc_pauses:
        (tmp / "gc").mkdir(parents=True)
        env.update(probe_env(GC_PROBE, XINAN_GC_PAUSES_DIR=str(tmp / "gc")))
    stacks = [Stack(settings, app_port=free_port(), rasa_port=free_port(), extra_env=env,
                    log_dir=OUT / "logs" / "bench" / (f"replica-{i}" if args.replicas > 1 else ""))
              for i in range(args.replicas)]
    stack = stacks[0]
    rows: list[dict[str, Any]] = []
    try:
        for s in stacks:
            s.start_rasa()
        for s in stacks:  # one after the other: the first migrates the shared database
            s.start_app()
            s.wait_ready(timeout=300)
        register_bench_link(settings)
        asyncio.run(run_level(stacks, 2 * args.replicas, 0))  # warm-up: first-call costs are not measured
        measured_from = time.time()
        for n in levels:
            spies = start_profiles(stack) if args.profile and n == max(levels) else []
            via_app, direct = run_rounds(stacks, n, args.think, args.repeat)
            stop_profiles(spies)
            rows.append({"n": n, "app": via_app, "direct": direct,
                         "app_mb": max(peak_rss_mb(s.procs["app"].pid) for s in stacks),
                         "rasa_mb": max(peak_rss_mb(s.procs["rasa"].pid) for s in stacks)})
            print(f"N={n}: app {len(via_app.latencies)} turns in {via_app.wall:.1f} s, "
                  f"rasa {len(direct.latencies)} turns in {direct.wall:.1f} s", flush=True)
        if args.gc_pauses:
            time.sleep(1.5)  # the probe writes every second
            gc_pause_report(tmp / "gc", {f"{n}{i or ''}": p.pid for i, s in enumerate(stacks)
                                         for n, p in s.procs.items()}, measured_from)
    finally:
        for s in stacks:
            s.stop()
        if pg_url:
            drop_pg_db(pg_url)
        shutil.rmtree(tmp, ignore_errors=True)
    db = "PostgreSQL" if args.postgres else "SQLite (embedded default)"
    if args.replicas > 1:
        db += f", {args.replicas} app + {args.replicas} Rasa replicas sharing it and Redis (CPU columns: summed)"
    report(rows, args.think, db, args.repeat,
           settings.rasa_max_turns_in_flight, args.by_step)
    if args.profile:
        for name in ("app", "rasa"):
            print_profile(name)
    bad = any(r["app"].errors or r["direct"].errors or r["app"].incomplete for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
