"""Measures how well the answer parser understands free-text questionnaire answers, on a held-out set of phrasings.

A wrong answer silently changes a score (and can hide risk), so the bench counts it apart from "asked to confirm".
Each set in bench/data/answer_phrasings_v*.yaml was written by a helper who saw neither the synonyms nor the parser
nor the earlier sets; its `first_run` records the parser's figures the first time it met the set (the honest
held-out figure), since every set then guided fixes. By default every set is run and compared with its first run.
Run: .venv/bin/python bench/answer_understanding_bench.py [--strict] [--data FILE ...] [--scales DIR] [--details]
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from app.answers.parser import ParseResult, parse_answer  # noqa: E402
from app.scales.definitions import LOCALES, ScaleDefinition  # noqa: E402
from app.scales.registry import ScaleRegistry  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / "data"
SETS = sorted(DATA_DIR.glob("answer_phrasings_v*.yaml"), key=lambda p: int(p.stem.rsplit("_v", 1)[1]))
SCALES = ROOT / "scales"
GOAL_RIGHT = 95.0  # % of phrasings with an expected value that the parser gets right on its own
GOAL_WRONG = 1.0  # % of all phrasings where the parser is sure and should not be


class Outcome(StrEnum):
    RIGHT = "right"
    CONFIRM = "confirm"
    WRONG = "wrong"
    NOT_UNDERSTOOD = "not understood"


@dataclass(frozen=True)
class Phrasing:
    scale: str
    text: str
    expected: int | None
    lang: str


@dataclass(frozen=True)
class Scored:
    phrasing: Phrasing
    result: ParseResult
    outcome: Outcome

    @property
    def expected_among_candidates(self) -> bool:
        return self.phrasing.expected is not None and self.phrasing.expected in self.result.candidates


@dataclass
class Tally:
    """Counts for one slice (a language, a scale, or everything)."""

    rows: list[Scored] = field(default_factory=list)

    def count(self, outcome: Outcome, labelled: bool | None = None) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome
                   and (labelled is None or (r.phrasing.expected is not None) == labelled))

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def labelled(self) -> int:
        return sum(1 for r in self.rows if r.phrasing.expected is not None)

    @property
    def pct_right(self) -> float:
        return _pct(self.count(Outcome.RIGHT), self.labelled)

    @property
    def pct_wrong(self) -> float:
        return _pct(self.count(Outcome.WRONG), self.total)

    @property
    def pct_confirm(self) -> float:
        return _pct(self.count(Outcome.CONFIRM), self.total)

    @property
    def confirm_with_expected(self) -> int:
        return sum(1 for r in self.rows if r.outcome is Outcome.CONFIRM and r.expected_among_candidates)

    @property
    def meets_goal(self) -> bool:
        return self.pct_right >= GOAL_RIGHT and self.pct_wrong <= GOAL_WRONG


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def load_phrasings(path: Path, registry: ScaleRegistry) -> list[Phrasing]:
    """Reads the data file and refuses a phrasing that names an unknown scale, option or language."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["phrasings"]
    phrasings: list[Phrasing] = []
    for i, entry in enumerate(raw, start=1):
        p = Phrasing(scale=entry["scale"], text=str(entry["text"]), expected=entry["expected"], lang=entry["lang"])
        scale = registry.get(p.scale)
        if scale is None:
            raise ValueError(f"{path.name} #{i}: unknown scale {p.scale!r}")
        if p.expected is not None and p.expected not in {o.value for o in scale.options}:
            raise ValueError(f"{path.name} #{i}: {p.scale} has no option {p.expected!r}")
        if p.lang not in LOCALES:
            raise ValueError(f"{path.name} #{i}: unknown lang {p.lang!r}")
        phrasings.append(p)
    return phrasings


def first_run(path: Path) -> dict | None:
    """The figures recorded when the parser first met this set, before the set could guide any fix."""
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("first_run")


def classify(expected: int | None, result: ParseResult) -> Outcome:
    if result.sure:
        return Outcome.RIGHT if result.value == expected else Outcome.WRONG
    return Outcome.CONFIRM if result.candidates else Outcome.NOT_UNDERSTOOD


def run(
    registry: ScaleRegistry,
    phrasings: Iterable[Phrasing],
    parser: Callable[[ScaleDefinition, str, str], ParseResult] = parse_answer,
) -> Tally:
    tally = Tally()
    for p in phrasings:
        result = parser(registry[p.scale], p.text, p.lang)  # the employee's locale, as the bot knows it
        tally.rows.append(Scored(p, result, classify(p.expected, result)))
    return tally


def slice_by(tally: Tally, key: Callable[[Phrasing], str]) -> dict[str, Tally]:
    slices: dict[str, Tally] = {}
    for row in tally.rows:
        slices.setdefault(key(row.phrasing), Tally()).rows.append(row)
    return dict(sorted(slices.items()))


HEADER = (f"{'slice':<14}{'n':>5}{'labelled':>9}{'right':>7}{'confirm':>9}{'(exp in)':>9}{'wrong':>7}"
          f"{'not und.':>9}{'% right':>9}{'% wrong':>9}{'% confirm':>10}")


def _line(name: str, t: Tally) -> str:
    return (f"{name:<14}{t.total:>5}{t.labelled:>9}{t.count(Outcome.RIGHT):>7}{t.count(Outcome.CONFIRM):>9}"
            f"{t.confirm_with_expected:>9}{t.count(Outcome.WRONG):>7}{t.count(Outcome.NOT_UNDERSTOOD):>9}"
            f"{t.pct_right:>8.1f}%{t.pct_wrong:>8.1f}%{t.pct_confirm:>9.1f}%")


def _describe(r: Scored) -> str:
    got = f"sure {r.result.value}" if r.result.sure else f"candidates {r.result.candidates or '—'}"
    exp = "null (should ask)" if r.phrasing.expected is None else str(r.phrasing.expected)
    return f"  [{r.phrasing.scale}/{r.phrasing.lang}] {r.phrasing.text!r}: expected {exp}, got {got}"


def report(tally: Tally) -> str:
    out = [f"Answer understanding bench — {tally.total} held-out phrasings ({tally.labelled} with an expected "
           f"value, {tally.total - tally.labelled} ambiguous: expected null)",
           f"Goal: >= {GOAL_RIGHT:.0f} % right (of phrasings with an expected value), <= {GOAL_WRONG:.0f} % wrong "
           "(of all phrasings; wrong = sure but different, or sure where a careful rater would ask)",
           "confirm = asked to confirm (acceptable); (exp in) = the expected option was among the candidates", ""]
    for title, key in (("per language", lambda p: p.lang), ("per scale", lambda p: p.scale),
                       ("per scale and language", lambda p: f"{p.scale}/{p.lang}")):
        out += [f"— {title}", HEADER] + [_line(name, t) for name, t in slice_by(tally, key).items()] + [""]
    out += ["— overall", HEADER, _line("all", tally), ""]
    null_sure = tally.count(Outcome.WRONG, labelled=False)
    out.append(f"wrong on labelled phrasings: {tally.count(Outcome.WRONG, labelled=True)}; "
               f"sure on ambiguous phrasings: {null_sure}")
    out.append(f"overall: {tally.pct_right:.1f} % right, {tally.pct_wrong:.1f} % wrong, "
               f"{tally.pct_confirm:.1f} % confirm — goal {'MET' if tally.meets_goal else 'MISSED'}")
    for outcome in (Outcome.WRONG, Outcome.CONFIRM, Outcome.NOT_UNDERSTOOD):
        rows = [r for r in tally.rows if r.outcome is outcome]
        out += ["", f"{outcome.value} ({len(rows)}):"] + [_describe(r) for r in rows]
    return "\n".join(out)


def _set_line(path: Path, tally: Tally, first: dict | None) -> str:
    then = "not yet recorded: this run is the set's first" if first is None else (
        f"first run {first['right']} % right, {first['wrong']} % wrong" +
        (f", {first['confirm']} % confirm" if first.get("confirm") is not None else ""))
    return (f"{path.stem:<20}{tally.total:>5}  now {tally.pct_right:5.1f} % right, {tally.pct_wrong:4.1f} % wrong, "
            f"{tally.pct_confirm:4.1f} % confirm — {then}")


def _pooled_first_runs(label: str, sets: list[tuple[Path, dict, Tally]]) -> str:
    """The held-out figure over several sets: each set's first run, weighted by its size."""
    right = sum(first["right"] / 100 * t.labelled for _, first, t in sets)
    wrong = sum(first["wrong"] / 100 * t.total for _, first, t in sets)
    labelled, total = sum(t.labelled for *_, t in sets), sum(t.total for *_, t in sets)
    names = f"{sets[0][0].stem.rsplit('_', 1)[1]}–{sets[-1][0].stem.rsplit('_', 1)[1]}"
    return (f"first runs pooled, {label} ({names}, {total} phrasings): {100 * right / labelled:.1f} % right, "
            f"{100 * wrong / total:.1f} % wrong")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    ap.add_argument("--data", type=Path, nargs="+", default=SETS, help="phrasing sets (default: every set)")
    ap.add_argument("--scales", type=Path, default=SCALES)
    ap.add_argument("--details", action="store_true", help="list every confirm and not-understood phrasing")
    args = ap.parse_args(argv)
    registry = ScaleRegistry.from_dir(args.scales)
    combined = Tally()
    lines = ["— per set (each written by someone who had seen neither the parser nor the earlier sets)"]
    firsts: list[tuple[Path, dict, Tally]] = []
    for path in args.data:
        tally, first = run(registry, load_phrasings(path, registry)), first_run(path)
        combined.rows += tally.rows
        lines.append(_set_line(path, tally, first))
        if first is not None:
            firsts.append((path, first, tally))
    for label, chosen in (("all sets", firsts), ("the last five", firsts[-5:])):
        if len(chosen) > 1:
            lines.append(_pooled_first_runs(label, chosen))
    text = report(combined)
    if not args.details:
        text = text.split("\nconfirm (")[0]
    print(text + "\n\n" + "\n".join(lines))
    return 1 if args.strict and not combined.meets_goal else 0


if __name__ == "__main__":
    sys.exit(main())
