"""Crisis-screen bench: recall, false alarms and speed on bench/data/crisis_utterances.yaml.

Run with `.venv/bin/python bench/crisis_screen_bench.py`. Exits 2 if the bench set copies the lexicon (it would
measure nothing) and 1 if recall < 100 % or false alarms > 5 %.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.safety.crisis_screen import get_lexicon, screen  # noqa: E402
from app.safety.evaluation import LANGUAGES, evaluate, load_bench_set, verbatim_copies  # noqa: E402

BENCH_SET = ROOT / "bench" / "data" / "crisis_utterances.yaml"
MAX_FALSE_ALARM_RATE = 0.05


def main() -> int:
    bench = load_bench_set(BENCH_SET)
    copies = verbatim_copies(bench, get_lexicon())
    if copies:
        print("FAIL: bench utterances appear verbatim in the lexicon file:", file=sys.stderr)
        for text in copies:
            print(f"  {text}", file=sys.stderr)
        return 2
    report = evaluate(bench, screen, timing_rounds=20)
    for lang in (*LANGUAGES, "all"):
        r = report.total() if lang == "all" else report.per_language[lang]
        print(
            f"[{lang}] recall {r.hits}/{r.crisis} = {r.recall:.1%} (crisis judged 'check': {r.crisis_checks})  "
            f"false alarms {r.false_alarms}/{r.ordinary} = {r.false_alarm_rate:.1%}  "
            f"ordinary 'check': {r.ordinary_checks}"
        )
    total = report.total()
    print(f"\nmisses ({len(total.misses)}):")
    for text, res in total.misses:
        print(f"  [{res.level} {res.matched}] {text}")
    print(f"false alarms ({len(total.false_alarm_texts)}):")
    for text, res in total.false_alarm_texts:
        print(f"  [{res.matched}] {text}")
    print(f"\nmean time per screen: {report.mean_seconds * 1e6:.1f} µs")
    ok = total.recall == 1.0 and total.false_alarm_rate <= MAX_FALSE_ALARM_RATE
    print("GOAL MET" if ok else "GOAL NOT MET (recall 100 %, false alarms <= 5 %)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
