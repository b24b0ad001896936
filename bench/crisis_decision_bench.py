"""The crisis decision on blind sets: what the service decides (lexicon + classifier + context + the trained Rasa
model's intent), per set and pooled, first runs and today, by category and language; and how long it takes.

    .venv/bin/python bench/crisis_decision_bench.py                 # every set; records first runs not yet taken
    .venv/bin/python bench/crisis_decision_bench.py --add FILE      # copy a new blind set in as the next set_NN
    .venv/bin/python bench/crisis_decision_bench.py --misses        # also list today's misses and false alarms
    .venv/bin/python bench/crisis_decision_bench.py --retire        # move every measured set into the training data
    .venv/bin/python bench/crisis_decision_bench.py --model PATH    # another Rasa model; records no first run

Exits 2 when a set overlaps the training data, Rasa's NLU examples or the lexicon (bench/crisis_sets.py).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.rasa.process import DIALOGS, RASA_BIN, model_path, train  # noqa: E402
from app.safety.decision import CrisisDecider, RasaIntent, get_decider  # noqa: E402
from bench.crisis_sets import (  # noqa: E402
    CORE,
    SETS_DIR,
    BlindSet,
    Run,
    head_commit,
    load_first_run,
    load_set,
    load_sets,
    next_number,
    overlaps,
    retire,
    save_first_run,
)

POOL = 5  # the goal is stated on the pooled first runs of the last five sets


def rasa_intents(settings: Settings, texts: list[str], model: Path | None = None) -> list[dict[str, object]]:
    """The trained Rasa model's intent (or `model`'s) for each text (bench/rasa_parse.py in Rasa's interpreter)."""
    model = model or train(settings)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(DIALOGS), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
        subprocess.run([str(RASA_BIN.parent / "python"), str(ROOT / "bench" / "rasa_parse.py"), str(model), str(src),
                        str(dst)], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return list(json.loads(dst.read_text(encoding="utf-8")))


def run_set(decider: CrisisDecider, s: BlindSet, intents: list[dict[str, object]]) -> list[str]:
    out = []
    for item, intent in zip(s.items, intents, strict=True):
        rasa = RasaIntent(str(intent["intent"]), float(intent["confidence"])) if intent.get("intent") else None  # type: ignore[arg-type]
        out.append(decider.decide(item.text, context=item.before, rasa=rasa).outcome)
    return out


def wilson(k: int, n: int) -> str:
    if n == 0:
        return "   -    "
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"[{max(0, centre - half):.1%}-{min(1, centre + half):.1%}]"


class Tally:
    def __init__(self) -> None:
        self.n = defaultdict(int)  # type: ignore[var-annotated]

    def add(self, items: list, outcomes: list[str]) -> None:  # type: ignore[type-arg]
        for item, o in zip(items, outcomes, strict=True):
            kind = "crisis" if item.crisis else "ordinary"
            for key in (kind, f"{kind}:{item.lang}", f"{kind}:{item.category}"):
                self.n[(key, "all")] += 1
                self.n[(key, o)] += 1
            if item.crisis and item.category in CORE:
                self.n[("core", "all")] += 1
                self.n[("core", o)] += 1

    def line(self, label: str) -> str:
        c, o, core = self.n[("crisis", "all")], self.n[("ordinary", "all")], self.n[("core", "all")]
        caught = self.n[("crisis", "urgent")] + self.n[("crisis", "ask")]
        return (f"{label:<14} crisis {c:4d}  caught {caught / max(c, 1):6.1%} {wilson(caught, c)}  urgent core "
                f"{self.n[('core', 'urgent')] / max(core, 1):6.1%} (n={core})   ordinary {o:4d}  escalated "
                f"{self.n[('ordinary', 'urgent')] / max(o, 1):5.1%} {wilson(self.n[('ordinary', 'urgent')], o)}  "
                f"asked {self.n[('ordinary', 'ask')] / max(o, 1):5.1%}")

    def breakdown(self) -> None:
        keys = sorted({k for k, _ in self.n if ":" in k})
        for key in keys:
            total = self.n[(key, "all")]
            u, a = self.n[(key, "urgent")], self.n[(key, "ask")]
            print(f"    {key:<22} n={total:4d}  urgent {u / total:6.1%}  ask {a / total:6.1%}  none "
                  f"{(total - u - a) / total:6.1%}")


def latency(decider: CrisisDecider, sets: list[BlindSet], rounds: int = 3) -> tuple[float, float]:
    """The decision on a message the service has not seen: the classifier forgets every score first; the earlier
    messages of the item were scored in their own turns, as in the service, so they are scored before the clock."""
    times = []
    for _ in range(rounds):
        decider.classifier.forget()
        for s in sets:
            for item in s.items:
                for earlier in item.before:
                    decider.classifier.score(earlier)
                t0 = time.perf_counter()
                decider.decide(item.text, context=item.before)
                times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def add_set(source: Path) -> None:
    """Copy a new blind set in as the next set_NN. Messages that also occur in what the decision learnt from are
    set aside in the file (`overlapping`), not measured: on them the bench would measure memory."""
    number = next_number()
    target = SETS_DIR / f"set_{number:02d}.yaml"
    SETS_DIR.mkdir(parents=True, exist_ok=True)
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    s = load_set(source)
    known = {text for _, text in overlaps([s])}
    keep = [m for m in raw["messages"] if m["text"] not in known and not set(m.get("before") or ()) & known]
    lines = [f"# Blind set {number}: written by a helper who saw no code, no training data, no lexicon and no other",
             "# set; copied in unchanged but for the messages set aside under `overlapping` (bench/crisis_sets.py).",
             f"set: {number}", f"angle: {json.dumps(raw.get('angle', ''), ensure_ascii=False)}", "messages:"]
    for m in keep:
        fields = {k: m[k] for k in ("text", "lang", "expect", "category", "before") if k in m}
        lines.append(f"  - {json.dumps(fields, ensure_ascii=False)}")
    lines.append("overlapping:")
    lines += [f"  - {json.dumps(m, ensure_ascii=False)}" for m in raw["messages"] if m not in keep]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"added {target.relative_to(ROOT)}: {len(keep)} messages, {len(raw['messages']) - len(keep)} set aside")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--add", type=Path, help="a new blind set file to copy in as the next set")
    ap.add_argument("--misses", action="store_true", help="list today's misses and ordinary messages not 'none'")
    ap.add_argument("--retire", action="store_true", help="move every set with a first run into the training data"
                    " (retrain the classifier afterwards)")
    ap.add_argument("--model", type=Path, help="another Rasa model (.tar.gz): measured, no first run recorded")
    args = ap.parse_args()
    settings = Settings(data_dir=ROOT / "var")  # type: ignore[call-arg]
    if args.retire:
        for s in load_sets():
            if load_first_run(s) is not None:  # a set not measured yet stays a bench set
                print(f"retired set {s.number} to {retire(s).relative_to(ROOT)}")
        return 0
    if args.add:
        add_set(args.add)
    sets = load_sets()
    if bad := overlaps(sets):
        print("refusing to run: these bench messages are in the training data, Rasa's NLU or the lexicon:")
        for number, text in bad:
            print(f"  set {number}: {text}")
        return 2
    if not sets:
        print(f"no blind sets in {SETS_DIR.relative_to(ROOT)}: former ones train the classifier; add one with --add")
        return 0
    decider = get_decider(settings)
    print(f"Rasa model {(args.model or model_path(settings)).name}; classifier and lexicon as of {head_commit()}\n")
    today: dict[int, list[str]] = {}
    for s in sets:
        intents = rasa_intents(settings, [i.text for i in s.items], model=args.model)
        today[s.number] = run_set(decider, s, intents)
        if load_first_run(s) is None and args.model is None:
            save_first_run(s, Run(today[s.number], intents, head_commit(), date.today().isoformat()))
            print(f"recorded the first run of set {s.number} ({s.first_run_path.name})")
    print("\nFirst runs (each set's first run on the code of its day):")
    pooled = Tally()
    last = sets[-POOL:]
    for s in sets:
        first = load_first_run(s)
        if first is None:  # measured with --model only
            continue
        t = Tally()
        t.add(s.items, first.outcomes)
        print(t.line(f"set {s.number} {first.date}"))
        if s in last:
            pooled.add(s.items, first.outcomes)
    print(pooled.line(f"POOLED last {len(last)}"))
    pooled.breakdown()
    print("\nToday (current code, every set):")
    everything = Tally()
    for s in sets:
        t = Tally()
        t.add(s.items, today[s.number])
        everything.add(s.items, today[s.number])
        print(t.line(f"set {s.number}"))
    print(everything.line("all sets"))
    p50, p99 = latency(decider, sets)
    print(f"\ndecision time without Rasa, on unseen messages: p50 {p50:.2f} ms, p99 {p99:.2f} ms "
          f"({sum(len(s.items) for s in sets)} messages x 3)")
    if args.misses:
        for s in sets:
            for item, o in zip(s.items, today[s.number], strict=True):
                if (item.crisis and o == "none") or (not item.crisis and o != "none"):
                    print(f"  set {s.number} {'MISS ' if item.crisis else o.upper():6} [{item.category}] {item.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
