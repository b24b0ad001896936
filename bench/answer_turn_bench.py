"""What the service does with a typed questionnaire answer, on the held-out answer sets: the crisis decision before
Rasa, the trained Rasa model's intent, the rule that a command yields to a sure answer, then the answer reader.

An answer is taken (right / wrong), asked to confirm, not understood, or *diverted*: a command runs instead (stop
deletes the questionnaire, pause leaves it) or the safety question is asked. The answer bench measures the reader
alone; this measures the turn. Each set's first run on this path is kept in bench/data/answer_turn_first_runs.json.

    .venv/bin/python bench/answer_turn_bench.py [--data FILE ...] [--model PATH] [--details]

`--model` measures another Rasa model and records nothing. Phrasings that are Rasa NLU examples are left out.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.answers.parser import parse_answer  # noqa: E402
from app.config import Settings  # noqa: E402
from app.conversation.questionnaire import DIGRESSIONS  # noqa: E402
from app.conversation.turn import answer_wins  # noqa: E402
from app.safety.classifier import nlu_examples, prepare  # noqa: E402
from app.safety.decision import CrisisDecider, RasaIntent, get_decider  # noqa: E402
from app.scales.registry import ScaleRegistry  # noqa: E402
from bench.answer_understanding_bench import SCALES, SETS, Outcome, Phrasing, classify, load_phrasings  # noqa: E402
from bench.crisis_decision_bench import rasa_intents  # noqa: E402
from bench.crisis_sets import head_commit  # noqa: E402

FIRST_RUNS = ROOT / "bench" / "data" / "answer_turn_first_runs.json"
TAKEN = (Outcome.RIGHT, Outcome.WRONG, Outcome.CONFIRM, Outcome.NOT_UNDERSTOOD)


@dataclass(frozen=True)
class Turned:
    phrasing: Phrasing
    outcome: str  # an Outcome's value, or "diverted: <what ran instead>"
    intent: str
    confidence: float


def turn(decider: CrisisDecider, registry: ScaleRegistry, p: Phrasing, intent: dict[str, object]) -> Turned:
    """The service's path for words typed to an open item (app/safety/crisis_flow.py before_rasa, then
    app/conversation/questionnaire.py read and ActionCrisis); no earlier messages, as on a first answer."""
    scale = registry[p.scale]
    read = parse_answer(scale, p.text, p.lang)
    name, conf = str(intent.get("intent") or ""), float(intent.get("confidence") or 0.0)  # type: ignore[arg-type]
    before = decider.decide_typed(p.text, (), lambda: read.sure or bool(read.candidates))
    if before.outcome != "none":
        return Turned(p, f"diverted: {before.outcome} (before Rasa)", name, conf)
    if name in DIGRESSIONS and not answer_wins(scale, p.text, p.lang, conf):
        if name != "crisis":
            return Turned(p, f"diverted: {name}", name, conf)
        if (signal := decider.rasa_signal(p.text, RasaIntent(name, conf))) is not None:
            return Turned(p, f"diverted: {signal.floor} (Rasa crisis)", name, conf)
    return Turned(p, classify(p.expected, read).value, name, conf)


def figures(rows: list[Turned]) -> dict[str, float]:
    n = len(rows) or 1
    labelled = sum(1 for r in rows if r.phrasing.expected is not None) or 1
    count = Counter(r.outcome for r in rows)
    diverted = sum(v for k, v in count.items() if k.startswith("diverted"))
    return {"n": len(rows), "right": round(100 * count[Outcome.RIGHT.value] / labelled, 1),
            "wrong": round(100 * count[Outcome.WRONG.value] / n, 1),
            "confirm": round(100 * count[Outcome.CONFIRM.value] / n, 1),
            "diverted": round(100 * diverted / n, 2), "diverted_n": diverted}


def _line(name: str, f: dict[str, float]) -> str:
    return (f"{name:<22}{int(f['n']):>5}  right {f['right']:5.1f} %  wrong {f['wrong']:4.1f} %  confirm "
            f"{f['confirm']:4.1f} %  diverted {f['diverted']:5.2f} % ({int(f['diverted_n'])})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, nargs="+", default=SETS)
    ap.add_argument("--model", type=Path, help="another Rasa model (.tar.gz): measured, nothing recorded")
    ap.add_argument("--details", action="store_true", help="list every diverted phrasing")
    args = ap.parse_args(argv)
    settings = Settings()
    registry = ScaleRegistry.from_dir(SCALES)
    sets = {path.stem: load_phrasings(path, registry) for path in args.data}
    known = {prepare(e.text) for e in nlu_examples()}  # Rasa learnt these: measuring them would measure memory
    seen = sum(1 for ps in sets.values() for p in ps if prepare(p.text) in known)
    sets = {name: [p for p in ps if prepare(p.text) not in known] for name, ps in sets.items()}
    texts = [p.text for ps in sets.values() for p in ps]
    intents = iter(rasa_intents(settings, texts, model=args.model))
    decider = get_decider(settings)
    runs = {name: [turn(decider, registry, p, next(intents)) for p in ps] for name, ps in sets.items()}
    firsts = json.loads(FIRST_RUNS.read_text(encoding="utf-8")) if FIRST_RUNS.exists() else {}
    print("Answer turn bench: typed answers through the crisis decision, Rasa and the answer reader")
    print(f"({seen} phrasings that are Rasa NLU examples are left out)\n")
    for name, rows in runs.items():
        now = figures(rows)
        first = firsts.get(name)
        if first is None and args.model is None:
            first = firsts[name] = {**now, "commit": head_commit(), "date": date.today().isoformat()}
            print(_line(name, now) + "  (first run, recorded now)")
        else:
            print(_line(name, now) + (f"  first run {first['diverted']:.2f} % diverted on {first['commit']}"
                                      if first else ""))
    if args.model is None:
        FIRST_RUNS.write_text(json.dumps(firsts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rows = [r for rs in runs.values() for r in rs]
    print("\n" + _line("all", figures(rows)))
    by_what = Counter(r.outcome for r in rows if r.outcome.startswith("diverted"))
    print("diverted by what ran instead: " + (", ".join(f"{k[10:]} {v}" for k, v in by_what.most_common()) or "none"))
    if args.details:
        for r in rows:
            if r.outcome.startswith("diverted"):
                print(f"  [{r.phrasing.scale}/{r.phrasing.lang}] {r.phrasing.text!r}: {r.outcome[10:]}, "
                      f"Rasa {r.intent} {r.confidence:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
