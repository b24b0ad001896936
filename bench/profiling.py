"""Where a bench's processes spend their time: py-spy profiles of the app and of Rasa (--profile) and their
garbage-collection pauses (--gc-pauses), summarised for the bench's printout."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.config import ROOT
from app.rasa.process import PYTHONPATH
from scripts.devstack import Stack

OUT = ROOT / "test-output"
HERE = Path(__file__).resolve().parent
GC_PROBE = HERE / "gc_pauses"  # a sitecustomize that records each garbage collection (load_bench --gc-pauses)
CPROFILE_PROBE = HERE / "cprofile_probe"  # a sitecustomize that cProfiles on SIGUSR1 (app_overhead_bench --cprofile)


def probe_env(probe: Path, **variables: str) -> dict[str, str]:
    """Environment that starts a process with a probe's sitecustomize loaded: the probe first on the path the app
    and Rasa are started with (app.rasa.process.rasa_env), and the variables that switch it on."""
    return {**variables, "PYTHONPATH": os.pathsep.join((str(probe), PYTHONPATH))}


def start_profiles(stack: Stack, rate: int = 50) -> list[subprocess.Popen]:
    """py-spy (non-blocking, so it does not pause the process it samples) on the app and on Rasa, `rate` samples/s."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    OUT.mkdir(exist_ok=True)
    procs = []
    for name, p in stack.procs.items():
        for fmt, ext in (("flamegraph", "svg"), ("raw", "txt")):
            procs.append(subprocess.Popen([spy, "record", "--nonblocking", "--rate", str(rate), "--format", fmt, "-o",
                                           str(OUT / f"profile-{name}.{ext}"), "--pid", str(p.pid)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs


def stop_profiles(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.send_signal(2)  # SIGINT: py-spy writes its output and exits
    for p in procs:
        p.wait(60)


# Leaf frames where a process waits for work (its event loop's poll, an idle worker thread): not busy time.
IDLE_LEAVES = ("Runner.run (asyncio/runners.py", "serve (sanic/server/runners.py", "select (selectors.py",
               "wait (threading.py", "Condition.wait (threading.py", "_worker (concurrent/futures/thread.py")


def busy_stacks(raw: Path) -> tuple[int, list[tuple[list[str], int]]]:
    """All samples, and the busy ones as (frames, count) from py-spy's collapsed stacks. The event loop's poll is
    most samples of a process that waits between turns, so it is left out."""
    total, busy = 0, []
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        total += int(count)
        frames = stack.split(";")
        if not frames[-1].startswith(IDLE_LEAVES):
            busy.append((frames, int(count)))
    return total, busy


def top_frames(stacks: list[tuple[list[str], int]], n: int = 12) -> list[tuple[str, float, float]]:
    """The n frames with most own time, as (frame, self %, inclusive %) of the busy samples."""
    self_: dict[str, int] = {}
    incl: dict[str, int] = {}
    for frames, c in stacks:
        self_[frames[-1]] = self_.get(frames[-1], 0) + c
        for f in set(frames):
            incl[f] = incl.get(f, 0) + c
    busy = sum(c for _, c in stacks)
    top = sorted(self_, key=lambda f: self_[f], reverse=True)[:n]
    return [(f, 100 * self_[f] / busy, 100 * incl[f] / busy) for f in top]


def top_inclusive(stacks: list[tuple[list[str], int]], n: int = 15, trunk: float = 0.9) -> list[tuple[str, float]]:
    """The n functions (file and name, any line) holding most busy samples below the trunk: the chain from the
    busiest root down while one child holds `trunk` of its parent's samples (server, framework, handler entry).
    Where a turn's time goes by part (parse, predict, store), which own time alone scatters."""
    stacks = [([f.rsplit(":", 1)[0] + ")" for f in frames], c) for frames, c in stacks]
    busy = sum(c for _, c in stacks)
    chain: list[str] = []
    within = stacks
    while True:
        children: dict[str, int] = {}
        for frames, c in within:
            if len(frames) > len(chain):
                children[frames[len(chain)]] = children.get(frames[len(chain)], 0) + c
        if not children:
            break
        child = max(children, key=lambda f: children[f])
        if chain and children[child] < trunk * sum(c for _, c in within):
            break
        chain.append(child)
        within = [(frames, c) for frames, c in within if len(frames) >= len(chain) and frames[len(chain) - 1] == child]
    incl: dict[str, int] = {}
    for frames, c in stacks:
        for f in set(frames) - set(chain):
            incl[f] = incl.get(f, 0) + c
    return sorted(((f, 100 * c / busy) for f, c in incl.items()), key=lambda x: -x[1])[:n]


def print_profile(name: str, inclusive: int = 15) -> None:
    """The summary of py-spy's profile of one process (start_profiles), if there is one."""
    raw = OUT / f"profile-{name}.txt"
    if not raw.exists():
        return
    total, stacks = busy_stacks(raw)
    print(f"\n{name}: {sum(c for _, c in stacks)} busy samples of {total} (the rest waited for work); "
          f"flamegraph {raw.with_suffix('.svg')}\n  top frames by own time (self %, inclusive %, of busy)")
    if not stacks:
        return
    for frame, own, inner in top_frames(stacks):
        print(f"  {own:5.1f} {inner:5.1f}  {frame}")
    print("  where the busy time goes (inclusive %, below the frames most requests share)")
    for func, share in top_inclusive(stacks, n=inclusive):
        print(f"  {share:5.1f}  {func}")


def gc_pause_report(folder: Path, pids: dict[str, int], since: float) -> None:
    """Each process's garbage-collection pauses after the warm-up, per generation: a full (generation 2) collection
    stops the process for as long as it takes to walk every tracked object."""
    print("\ngarbage collection after the warm-up (count, total ms, longest ms per generation; frozen: objects "
          "gc.freeze() took out of collection)")
    for name, pid in pids.items():
        f = folder / f"{pid}.txt"
        rows = [line.split() for line in f.read_text().splitlines()] if f.exists() else []
        pauses = [(int(gen), float(ms)) for t, gen, ms, _ in rows if float(t) >= since]
        gens = []
        for g in (0, 1, 2):
            ms = [p for gen, p in pauses if gen == g]
            gens.append(f"gen{g} {len(ms)} / {sum(ms):.0f} / {max(ms, default=0):.1f}")
        print(f"  {name:<5} {'   '.join(gens)}   frozen {rows[-1][3] if rows else '?'}")
