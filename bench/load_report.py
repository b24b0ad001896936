"""The load bench's figures: percentiles, the app/direct ratio with its bootstrap interval, CPU per process, and
the printed table (bench/load_bench.py runs the employees)."""
from __future__ import annotations

import os
import random
from typing import Any

from bench.processes import pids_named, proc_cpu
from scripts.devstack import Stack

RATE_ENV = {"XINAN_SESSION_RATE_PER_MINUTE": "1000000", "XINAN_CLIENT_RATE_PER_MINUTE": "1000000",
            "XINAN_SESSIONS_PER_CLIENT_PER_MINUTE": "1000000",  # every simulated employee shares 127.0.0.1
            "XINAN_SESSIONS_PER_UNIT_PER_MINUTE": "1000000"}  # ... and one unit link


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def ratio_interval(app: list[float], direct: list[float], p: float = 95, reps: int = 2000) -> tuple[float, float]:
    """A bootstrap 90 % interval of the p-th percentile ratio: how far the figure could move on a rerun by chance."""
    rng = random.Random(0)
    ratios = sorted(percentile(rng.choices(app, k=len(app)), p) / percentile(rng.choices(direct, k=len(direct)), p)
                    for _ in range(reps))
    return ratios[int(0.05 * reps)], ratios[int(0.95 * reps) - 1]


def cpu_seconds(stacks: list[Stack]) -> dict[str, float]:
    """User + system CPU time so far of the apps and of the Rasas, each summed over the replicas
    (/proc/<pid>/stat fields 14 and 15, in clock ticks), of this bench process, and with PostgreSQL of the database
    and Redis processes ("db")."""
    t = os.times()
    out: dict[str, float] = {"bench": t.user + t.system}  # the load generator itself shares the two cores
    if any(s.settings.database_url for s in stacks):
        out["db"] = sum(proc_cpu(pid, children=True) for pid in pids_named(("postgres", "redis-server")))
    for stack in stacks:
        for name, p in stack.procs.items():
            out[name] = out.get(name, 0.0) + proc_cpu(p.pid)
    return out


def cpu_delta(stacks: list[Stack], before: dict[str, float]) -> dict[str, float]:
    now = cpu_seconds(stacks)
    return {k: now[k] - before.get(k, 0.0) for k in now}


def report(rows: list[dict[str, Any]], think_s: float, db: str, repeat: int = 1, in_flight: int = 0,
           by_step: bool = False) -> None:
    print(f"\nstore: {db}; think time per turn: {think_s:g} s mean (uniform ±50%); "
          f"rate limits raised to {RATE_ENV['XINAN_CLIENT_RATE_PER_MINUTE']}/min for the bench's app process; "
          f"the app sends at most {in_flight} turns to Rasa at once (XINAN_RASA_MAX_TURNS_IN_FLIGHT)")
    if repeat > 1:
        print(f"each level run {repeat} times, app and direct Rasa in turn (app first, then Rasa first, ...); "
              "the turns of the runs are pooled")
    db_cpu = any("db" in r["app"].cpu for r in rows)
    head = (f"{'N':>4} {'path':<6} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'errors':>7} {'incompl':>7} {'app MB':>7} {'rasa MB':>8} {'app cpu':>8} {'rasa cpu':>9} "
            f"{'bench cpu':>10}" + (f" {'db cpu':>7}" if db_cpu else ""))
    print("(app cpu, rasa cpu, bench cpu: CPU ms each process (the bench: its simulated employees) spent per turn"
          + ("; db cpu: PostgreSQL's and Redis's" if db_cpu else "") + "; MB: peak RSS, VmHWM)")
    print(head + "\n" + "-" * len(head))
    for r in rows:
        for path, ph in (("app", r["app"]), ("rasa", r["direct"])):
            turns = len(ph.latencies)
            err = len(ph.errors) / max(1, turns + len(ph.errors))
            print(f"{r['n']:>4} {path:<6} {turns:>6} {turns / ph.wall:>8.1f} {ph.pct(50):>8.0f} {ph.pct(95):>8.0f} "
                  f"{ph.pct(99):>8.0f} {err:>7.1%} {ph.incomplete:>7} {r['app_mb']:>7.0f} {r['rasa_mb']:>8.0f} "
                  f"{ph.cpu_ms('app'):>8.1f} {ph.cpu_ms('rasa'):>9.1f} {ph.cpu_ms('bench'):>10.1f}"
                  + (f" {ph.cpu_ms('db'):>7.1f}" if db_cpu else ""))
    print("\noverhead (app turn latency / direct Rasa turn latency); [bootstrap 90 % interval]")
    for r in rows:
        a, d = r["app"], r["direct"]
        lo50, hi50 = ratio_interval(a.latencies, d.latencies, 50)
        lo95, hi95 = ratio_interval(a.latencies, d.latencies, 95)
        print(f"{r['n']:>4}: p50 {a.pct(50) / d.pct(50):.2f} [{lo50:.2f}-{hi50:.2f}]   "
              f"p95 {a.pct(95) / d.pct(95):.2f} [{lo95:.2f}-{hi95:.2f}]")
    if by_step:
        print("\np50 turn latency per message of the plan, ms: app / direct Rasa (turns pooled over the runs)")
        for r in rows:
            a, d = r["app"], r["direct"]
            cells = []
            for label in dict.fromkeys(a.steps):
                xs = [x for x, s in zip(a.latencies, a.steps, strict=True) if s == label]
                ys = [y for y, s in zip(d.latencies, d.steps, strict=True) if s == label]
                cells.append(f"{label} {percentile(xs, 50) * 1000:.0f}/{percentile(ys, 50) * 1000:.0f}")
            print(f"{r['n']:>4}: " + ", ".join(cells))
    for r in rows:
        if r["app"].retyped:
            print(f"N={r['n']}: {r['app'].retyped} typed answers not taken by the bot, re-sent as the button (timed)")
        errs = sorted(set(r["app"].errors + r["direct"].errors))
        if errs:
            print(f"N={r['n']} errors (distinct): {errs[:5]}")
