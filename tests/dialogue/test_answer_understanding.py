"""The answer parser against a held-out set of real-world phrasings, and the promises issue 3 makes about it.

A wrong answer silently changes a score (and can hide risk), so its rate has its own, hard limit.
"""
from __future__ import annotations

from collections import Counter

import pytest

from app.config import ROOT
from app.dialogue.answer_parser import ParseResult, parse_answer
from app.scales.registry import ScaleRegistry
from bench.answer_understanding_bench import (
    DATA,
    GOAL_RIGHT,
    GOAL_WRONG,
    Outcome,
    Phrasing,
    Tally,
    classify,
    load_phrasings,
    report,
    run,
)


@pytest.fixture(scope="module")
def registry() -> ScaleRegistry:
    return ScaleRegistry.from_dir(ROOT / "scales")


@pytest.fixture(scope="module")
def phrasings(registry: ScaleRegistry) -> list[Phrasing]:
    return load_phrasings(DATA, registry)


@pytest.fixture(scope="module")
def tally(registry: ScaleRegistry, phrasings: list[Phrasing]) -> Tally:
    return run(registry, phrasings)


def parse(registry: ScaleRegistry, scale: str, text: str) -> ParseResult:
    return parse_answer(registry[scale], text)


# ---------------------------------------------------------------- the held-out set itself

def test_data_covers_every_option_of_every_scale_in_both_languages(
    registry: ScaleRegistry, phrasings: list[Phrasing]
) -> None:
    assert len(phrasings) >= 240
    langs = Counter(p.lang for p in phrasings)
    assert min(langs["zh-CN"], langs["en"]) >= 0.4 * len(phrasings), langs
    for scale in registry.all():
        for lang in ("zh-CN", "en"):
            seen = {p.expected for p in phrasings if p.scale == scale.id and p.lang == lang}
            assert {o.value for o in scale.options} <= seen, (scale.id, lang, seen)
    ambiguous = sum(p.expected is None for p in phrasings)
    assert 0.05 * len(phrasings) <= ambiguous <= 0.15 * len(phrasings)


def test_data_has_no_duplicate_phrasing(phrasings: list[Phrasing]) -> None:
    dupes = [k for k, n in Counter((p.scale, p.text) for p in phrasings).items() if n > 1]
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
    tally = run(registry, rows, parser=lambda _scale, text: ParseResult(value=1) if text != "z" else ParseResult())
    assert [r.outcome for r in tally.rows] == [Outcome.WRONG, Outcome.RIGHT, Outcome.NOT_UNDERSTOOD]
    assert tally.pct_right == pytest.approx(50.0)  # of the two with an expected value
    assert tally.pct_wrong == pytest.approx(100 / 3)  # of all three
    assert not tally.meets_goal
    assert "'x': expected null (should ask), got sure 1" in report(tally)


# ---------------------------------------------------------------- the goals (issue 3)

# Measured 2026-11-29: 1.0 % wrong (3 of 295: two weekly counts on PSS-10 read as "sometimes", one "half the time"
# on DASS-21 taken as sure) and 89.1 % right. Both goals are missed; strict xfail makes reaching them fail loudly
# so the markers get removed, and a regression below these figures is caught by the floor tests underneath.
@pytest.mark.xfail(strict=True, reason="goal missed: 1.0 % wrong (3/295), see the bench")
def test_wrong_rate_is_at_most_one_percent(tally: Tally) -> None:
    wrong = [f"{r.phrasing.scale} {r.phrasing.text!r} → {r.result}" for r in tally.rows if r.outcome is Outcome.WRONG]
    assert tally.pct_wrong <= GOAL_WRONG, f"{tally.pct_wrong:.1f} % wrong:\n" + "\n".join(wrong)


@pytest.mark.xfail(strict=True, reason="goal missed: 89.1 % right, the rest mostly asks to confirm")
def test_right_rate_is_at_least_95_percent(tally: Tally) -> None:
    assert tally.pct_right >= GOAL_RIGHT, f"{tally.pct_right:.1f} % right (run the bench for the misses)"


def test_no_regression_below_the_measured_floor(tally: Tally) -> None:
    assert tally.pct_wrong <= 1.1 and tally.pct_right >= 88.0, (tally.pct_wrong, tally.pct_right)


# ---------------------------------------------------------------- the parser's documented promises

@pytest.mark.parametrize("scale", ["phq9", "gad7"])
def test_nearly_every_day_in_colloquial_chinese(registry: ScaleRegistry, scale: str) -> None:
    assert parse(registry, scale, "差不多天天都这样").value == 3


@pytest.mark.parametrize("scale", ["phq9", "gad7"])
def test_two_or_three_days_a_week_is_several_days(registry: ScaleRegistry, scale: str) -> None:
    assert parse(registry, scale, "一周有两三天吧").value == 1


@pytest.mark.parametrize("scale", ["phq9", "gad7", "dass21"])
def test_not_at_all_is_zero(registry: ScaleRegistry, scale: str) -> None:
    assert parse(registry, scale, "not at all").value == 0


@pytest.mark.parametrize("text", ["不是每天", "not every day"])
def test_not_every_day_is_not_nearly_every_day_and_asks(registry: ScaleRegistry, text: str) -> None:
    result = parse(registry, "phq9", text)
    assert result.value is None  # neither "nearly every day" nor any other option is taken for sure
    assert result.candidates, "it should ask the employee to confirm"
    assert 0 not in result.candidates  # "not every day" still says it happened


def test_a_bare_zero_is_taken_on_every_scale(registry: ScaleRegistry) -> None:
    for scale in registry.all():
        assert parse_answer(scale, "0").value == 0, scale.id


@pytest.mark.parametrize(("scale", "digit"), [("phq9", "2"), ("phq9", "3"), ("gad7", "2"), ("pss10", "3")])
def test_a_bare_digit_that_could_be_a_count_asks(registry: ScaleRegistry, scale: str, digit: str) -> None:
    """On a frequency scale "2" may be option 2 or "2 days"/"2 times": a careful rater asks."""
    result = parse(registry, scale, digit)
    assert result.value is None
    assert int(digit) in result.candidates


@pytest.mark.parametrize(("scale", "digit"), [("phq9", "4"), ("gad7", "4"), ("pss10", "5")])
def test_a_bare_digit_beyond_the_option_values_is_not_taken(registry: ScaleRegistry, scale: str, digit: str) -> None:
    """Buttons show no numbers, so "4" on PHQ-9 reads as "4 days" (several days) as much as "the 4th button"."""
    assert parse(registry, scale, digit).value is None
