"""The answer parser against the held-out sets of real-world phrasings, and the bench's bookkeeping (issue 3).

A wrong answer silently changes a score (and can hide risk), so its rate has its own, hard limit. The parser's
promises, kind by kind, are in test_parser.py.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.answers.parser import ParseResult
from app.config import ROOT
from app.scales.registry import ScaleRegistry
from bench.answer_understanding_bench import (
    GOAL_RIGHT,
    GOAL_WRONG,
    SETS,
    Outcome,
    Phrasing,
    Tally,
    classify,
    first_run,
    load_phrasings,
    report,
    run,
)


@pytest.fixture(scope="module")
def registry() -> ScaleRegistry:
    return ScaleRegistry.from_dir(ROOT / "scales")


@pytest.fixture(scope="module", params=SETS, ids=lambda p: p.stem.rsplit("_", 1)[1])
def phrasing_set(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture(scope="module")
def phrasings(registry: ScaleRegistry, phrasing_set: Path) -> list[Phrasing]:
    return load_phrasings(phrasing_set, registry)


@pytest.fixture(scope="module")
def tally(registry: ScaleRegistry, phrasings: list[Phrasing]) -> Tally:
    return run(registry, phrasings)


# ---------------------------------------------------------------- the held-out set itself

def test_data_covers_every_option_of_every_scale_in_both_languages(
    registry: ScaleRegistry, phrasings: list[Phrasing]
) -> None:
    assert len(phrasings) >= 240
    langs = Counter(p.lang for p in phrasings)
    assert min(langs["zh-CN"], langs["en"]) >= 0.35 * len(phrasings), langs  # the brief asks for about 40 % en
    for scale in registry.all():
        for lang in ("zh-CN", "en"):
            seen = {p.expected for p in phrasings if p.scale == scale.id and p.lang == lang}
            assert {o.value for o in scale.options} <= seen, (scale.id, lang, seen)
    ambiguous = sum(p.expected is None for p in phrasings)
    assert 0.05 * len(phrasings) <= ambiguous <= 0.16 * len(phrasings)  # asked for 10-15 %


def test_data_has_no_duplicate_phrasing(phrasings: list[Phrasing]) -> None:
    """Per language: a bare "1" on DASS-21 is the value in English and asks in Chinese."""
    dupes = [k for k, n in Counter((p.scale, p.lang, p.text) for p in phrasings).items() if n > 1]
    assert dupes == []


# ---------------------------------------------------------------- the bench's bookkeeping

@pytest.mark.parametrize(
    ("expected", "result", "outcome"),
    [
        (2, ParseResult(value=2), Outcome.RIGHT),
        (2, ParseResult(value=3), Outcome.WRONG),
        (None, ParseResult(value=1), Outcome.WRONG),
        (2, ParseResult(candidates=[1, 2]), Outcome.CONFIRM),
        (None, ParseResult(candidates=[1, 2]), Outcome.CONFIRM),
        (2, ParseResult(), Outcome.NOT_UNDERSTOOD),
        (None, ParseResult(), Outcome.NOT_UNDERSTOOD),
    ],
)
def test_classify(expected: int | None, result: ParseResult, outcome: Outcome) -> None:
    assert classify(expected, result) is outcome


def test_bench_counts_a_sure_answer_to_an_ambiguous_phrasing_as_wrong(registry: ScaleRegistry) -> None:
    rows = [Phrasing("phq9", "x", None, "en"), Phrasing("phq9", "y", 1, "en"), Phrasing("phq9", "z", 0, "en")]
    tally = run(registry, rows,
                parser=lambda _scale, text, _lang: ParseResult(value=1) if text != "z" else ParseResult())
    assert [r.outcome for r in tally.rows] == [Outcome.WRONG, Outcome.RIGHT, Outcome.NOT_UNDERSTOOD]
    assert tally.pct_right == pytest.approx(50.0)  # of the two with an expected value
    assert tally.pct_wrong == pytest.approx(100 / 3)  # of all three
    assert not tally.meets_goal
    assert "'x': expected null (should ask), got sure 1" in report(tally)


# ---------------------------------------------------------------- the goals (issue 3)

# Every set is held out when written, then guides fixes, so these check the sets the parser has since seen; the
# honest held-out figure of each set is its `first_run` (see the bench's output and bench/README.md).
def test_wrong_rate_is_at_most_one_percent(tally: Tally) -> None:
    wrong = [f"{r.phrasing.scale} {r.phrasing.text!r} → {r.result}" for r in tally.rows if r.outcome is Outcome.WRONG]
    assert tally.pct_wrong <= GOAL_WRONG, f"{tally.pct_wrong:.1f} % wrong:\n" + "\n".join(wrong)


def test_right_rate_is_at_least_95_percent(tally: Tally) -> None:
    assert tally.pct_right >= GOAL_RIGHT, f"{tally.pct_right:.1f} % right (run the bench for the misses)"


def test_every_set_records_its_first_run(phrasing_set: Path) -> None:
    """A set without its first-run figures could not show how the parser does on phrasings it has never met."""
    first = first_run(phrasing_set)
    assert first is not None and {"right", "wrong"} <= set(first), phrasing_set.name
