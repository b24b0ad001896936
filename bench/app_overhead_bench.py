"""The app's own work per employee turn, with Rasa replaced by a stub that costs next to nothing (stub_rasa.py).

load_bench's employees go through the app and straight to the stub, in alternating order, so what the employee
route adds to a turn shows without Rasa's ~35 ms per turn and its noise: load_bench's overhead ratio is that extra
over Rasa's turn. Both paths run the real action endpoint, conversation and store (SQLite, the embedded default).

Run: `.venv/bin/python bench/app_overhead_bench.py [--levels 1,10] [--rounds 10] [--profile | --cprofile]`
"""
from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import ROOT, Settings  # noqa: E402
from bench.load_bench import (  # noqa: E402
    RATE_ENV,
    Phase,
    browser,
    employee_via_app,
    employee_via_rasa,
    register_bench_link,
    run_level,
    run_rounds,
)
from bench.processes import free_port  # noqa: E402
from bench.profiling import (  # noqa: E402
    CPROFILE_PROBE,
    OUT,
    print_profile,
    probe_env,
    start_profiles,
    stop_profiles,
)
from scripts.devstack import Stack  # noqa: E402

STUB = Path(__file__).resolve().parent / "stub_rasa.py"


class StubStack(Stack):
    """The app as `make run` starts it, and the stub where Rasa would be."""

    def start_rasa(self) -> None:
        out = self._out("rasa")
        self.procs["rasa"] = subprocess.Popen([sys.executable, str(STUB), str(self.rasa_port)], cwd=ROOT,
                                              env=self._env(), stdout=out, stderr=out, start_new_session=True)


def row(n: int, path: str, ph: Phase) -> str:
    return (f"{n:>4} {path:<6} {len(ph.latencies):>6} {ph.pct(50):>7.1f} {ph.pct(95):>7.1f} {len(ph.errors):>6} "
            f"{ph.cpu_ms('app'):>8.2f} {ph.cpu_ms('rasa'):>9.2f}")


async def one_path(stack: Stack, path: str, employees: int) -> int:
    """`employees` employees one after the other through the app or straight to the stub; the turns taken."""
    phase = Phase()
    for k in range(employees):
        async with browser(stack.app_url) as app, browser(stack.rasa_url) as stub:
            await (employee_via_app(app, k, phase, 0) if path == "app" else
                   employee_via_rasa(app, stub, k, phase, 0))
    return len(phase.latencies)


def cprofile_paths(stack: Stack, out: Path, employees: int) -> str:
    """cProfile the app (cprofile_probe, toggled by SIGUSR1) over the turns of each path, and print the functions
    whose own time differs most per turn: where the employee route's extra work goes, function by function."""
    own: dict[str, dict[str, float]] = {}
    for path in ("app", "stub"):
        os.kill(stack.procs["app"].pid, signal.SIGUSR1)
        turns = asyncio.run(one_path(stack, path, employees))
        os.kill(stack.procs["app"].pid, signal.SIGUSR1)
        for _ in range(50):  # the app's signal handler writes the profile (whole: renamed into place)
            if out.exists():
                break
            time.sleep(0.1)
        stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
        own[path] = {f"{Path(f[0]).name}:{f[1]}({f[2]})": v[2] * 1000 / turns for f, v in stats.items()}
        out.unlink()
    a, d = own["app"], own["stub"]
    lines = [f"\ncProfile of the app, {employees} employees per path, closed loop: own time per turn, ms (cProfile's "
             f"own overhead inflates every figure)", f"total: app path {sum(a.values()):.2f}, stub path "
             f"{sum(d.values()):.2f}", "   extra    app   stub  function"]
    for name in sorted(set(a) | set(d), key=lambda n: d.get(n, 0.0) - a.get(n, 0.0))[:25]:
        lines.append(f"  {a.get(name, 0.0) - d.get(name, 0.0):6.3f} {a.get(name, 0.0):6.3f} {d.get(name, 0.0):6.3f}"
                     f"  {name}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", default="1,10", help="comma-separated numbers of concurrent employees")
    ap.add_argument("--rounds", type=int, default=10, help="rounds per level (each: app then stub, or reversed)")
    ap.add_argument("--profile", action="store_true", help="py-spy the app during the largest level (250 samples/s)")
    ap.add_argument("--cprofile", type=int, metavar="EMPLOYEES", default=0,
                    help="afterwards, cProfile the app over EMPLOYEES employees per path and print the difference")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="xinan-overhead-"))
    env = dict(RATE_ENV)
    if args.cprofile:
        env.update(probe_env(CPROFILE_PROBE, XINAN_CPROFILE_OUT=str(tmp / "app.prof")))
    # the crisis classifier set-up trained (var/models), not a fresh one per run
    settings = Settings(data_dir=tmp / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    stack = StubStack(settings, app_port=free_port(), rasa_port=free_port(), extra_env=env,
                      log_dir=OUT / "logs" / "overhead")
    rows: list[dict[str, Any]] = []
    try:
        stack.start_rasa()
        stack.start_app()
        stack.wait_ready(timeout=120)
        register_bench_link(settings)
        asyncio.run(run_level([stack], 2, 0))  # warm-up
        for n in levels:
            spies = start_profiles(stack, rate=250) if args.profile and n == max(levels) else []
            via_app, direct = run_rounds([stack], n, 0, args.rounds)
            stop_profiles(spies)
            rows.append({"n": n, "app": via_app, "direct": direct})
        by_function = cprofile_paths(stack, tmp / "app.prof", args.cprofile) if args.cprofile else ""
    finally:
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("\nclosed loop (no think time), SQLite; 'stub' = straight to the stub's REST channel; ms; "
          "cpu: CPU ms per turn of the app and of the stub")
    head = f"{'N':>4} {'path':<6} {'turns':>6} {'p50':>7} {'p95':>7} {'errors':>6} {'app cpu':>8} {'stub cpu':>9}"
    print(head + "\n" + "-" * len(head))
    for r in rows:
        print(row(r["n"], "app", r["app"]))
        print(row(r["n"], "stub", r["direct"]))
    print("\nwhat the employee route adds to a turn (app path minus stub path)")
    for r in rows:
        a, d = r["app"], r["direct"]
        cpu_a, cpu_d = a.cpu_ms("app"), d.cpu_ms("app")
        print(f"{r['n']:>4}: p50 +{a.pct(50) - d.pct(50):.1f} ms, p95 +{a.pct(95) - d.pct(95):.1f} ms, "
              f"app CPU +{cpu_a - cpu_d:.2f} ms per turn ({cpu_a:.2f} vs {cpu_d:.2f})")
    if args.profile:
        print_profile("app", inclusive=25)
    if by_function:
        print(by_function)
    errors = [e for r in rows for e in (*r["app"].errors, *r["direct"].errors)]
    if errors:
        print(f"\n{len(errors)} errors, the first: {errors[0]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
