"""Blind sets for the crisis decision: loading them, refusing overlap with what the decision learnt from, and
keeping each set's first run (the honest figure: taken before the set could guide any change).

A set is bench/data/crisis_sets/set_NN.yaml, written by someone who saw no code, no training data, no lexicon and
no other set. Its first run is bench/data/crisis_sets/set_NN.first_run.json, written once and never rewritten.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS_DIR = ROOT / "bench" / "data" / "crisis_sets"
CORE = ("explicit", "method", "plan", "self_harm")  # urgent >= 90 % is the goal on these
CRISIS_CATEGORIES = ("explicit", "passive", "method", "plan", "farewell", "burden", "self_harm", "dont_tell", "slang",
                     "dialect", "typo")


class SetError(RuntimeError):
    """A set is malformed or overlaps what the decision learnt from (it would measure nothing)."""


@dataclass(frozen=True)
class Item:
    text: str
    lang: str
    crisis: bool
    category: str
    before: tuple[str, ...] = ()


@dataclass
class BlindSet:
    number: int
    path: Path
    items: list[Item]
    angle: str = ""

    @property
    def first_run_path(self) -> Path:
        return self.path.with_suffix(".first_run.json")


def load_set(path: Path) -> BlindSet:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for i, m in enumerate(raw.get("messages") or []):
        if m.get("expect") not in ("crisis", "ordinary") or not str(m.get("text") or "").strip():
            raise SetError(f"{path.name}: messages[{i}] needs text and expect crisis|ordinary")
        items.append(Item(str(m["text"]), str(m.get("lang") or ""), m["expect"] == "crisis", str(m.get("category")),
                          tuple(str(b) for b in m.get("before") or ())))
    return BlindSet(int(raw["set"]), path, items, str(raw.get("angle") or ""))


def load_sets(directory: Path = SETS_DIR) -> list[BlindSet]:
    return sorted((load_set(p) for p in directory.glob("set_*.yaml")), key=lambda s: s.number)


def next_number(directory: Path = SETS_DIR) -> int:
    """The next set's number: after every bench set and every former set now in the classifier's training data."""
    from app.safety.classifier import TRAINING_DIR

    numbers = [s.number for s in load_sets(directory)]
    numbers += [int(p.stem.removeprefix("blind_set_")) for p in TRAINING_DIR.glob("blind_set_*.yaml")]
    return max(numbers, default=0) + 1


def overlaps(sets: list[BlindSet]) -> list[tuple[int, str]]:
    """Bench messages that appear (after the shared normalisation) in the classifier's training data, Rasa's NLU
    examples or among the lexicon's literal phrases: measuring on them would measure memory."""
    from app.safety.classifier import all_examples, prepare
    from app.safety.crisis_screen import get_lexicon

    known = {prepare(e.text) for e in all_examples()} | set(get_lexicon().phrases)
    return [(s.number, text) for s in sets for item in s.items for text in (item.text, *item.before)
            if prepare(text) in known]


@dataclass
class Run:
    """The decision's outcome (urgent / ask / none) for each message of a set, and Rasa's intent for it."""

    outcomes: list[str]
    intents: list[dict[str, object]]
    commit: str = ""
    date: str = ""
    notes: dict[str, object] = field(default_factory=dict)


def load_first_run(s: BlindSet) -> Run | None:
    if not s.first_run_path.exists():
        return None
    raw = json.loads(s.first_run_path.read_text(encoding="utf-8"))
    if len(raw["outcomes"]) != len(s.items):
        raise SetError(f"{s.first_run_path.name}: {len(raw['outcomes'])} outcomes for {len(s.items)} messages")
    return Run(raw["outcomes"], raw["intents"], raw.get("commit", ""), raw.get("date", ""), raw.get("notes", {}))


def save_first_run(s: BlindSet, run: Run) -> None:
    if s.first_run_path.exists():
        raise SetError(f"{s.first_run_path.name} exists: a first run is never rewritten")
    s.first_run_path.write_text(json.dumps({"set": s.number, "commit": run.commit, "date": run.date,
                                            "outcomes": run.outcomes, "intents": run.intents, "notes": run.notes},
                                           ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def retire(s: BlindSet) -> Path:
    """Move a measured set into the classifier's training data (blind_set_NN.yaml), once its first run is kept in
    git: from then on it teaches, and the overlap check keeps its messages out of every later set."""
    from app.safety.classifier import TRAINING_DIR

    first = load_first_run(s)
    if first is None:
        raise SetError(f"set {s.number} has no first run: run the bench before retiring it")
    target = TRAINING_DIR / f"blind_set_{s.number:02d}.yaml"
    lines = [f"# Training data for the crisis classifier: once blind set {s.number} of bench/crisis_decision_bench.py,"
             " written", "# by a helper who saw no code, training data, lexicon or other set; its first run was taken"
             f" on {first.commit} ({first.date})", "# before it joined the training data; a new bench set sets aside"
             " any message found here.", f"# Angle: {s.angle}", "messages:"]
    for item in s.items:
        fields: dict[str, object] = {"text": item.text, "lang": item.lang,
                                     "label": "crisis" if item.crisis else "ordinary", "category": item.category}
        if item.before:
            fields["before"] = list(item.before)
        lines.append(f"  - {json.dumps(fields, ensure_ascii=False)}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s.path.unlink()
    s.first_run_path.unlink()
    return target


def head_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "app", "dialogs"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return out.stdout.strip() + ("+uncommitted" if dirty else "")
