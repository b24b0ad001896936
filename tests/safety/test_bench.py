"""Runs the crisis bench set so a lexicon regression fails the suite (recall 100 %, false alarms <= 5 %)."""
from __future__ import annotations

from pathlib import Path

from app.safety.crisis_screen import get_lexicon, screen
from app.safety.evaluation import evaluate, load_bench_set, verbatim_copies

BENCH_SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "crisis_utterances.yaml"


def test_bench_set_is_large_enough_and_not_copied_from_the_lexicon() -> None:
    bench = load_bench_set(BENCH_SET)
    assert sum(map(len, bench["crisis"].values())) >= 150
    assert sum(map(len, bench["ordinary"].values())) >= 300
    assert verbatim_copies(bench, get_lexicon()) == []


def test_recall_is_complete_and_false_alarms_are_rare() -> None:
    report = evaluate(load_bench_set(BENCH_SET), screen, timing_rounds=1).total()
    assert report.misses == [], report.misses
    assert report.false_alarm_rate <= 0.05, report.false_alarm_texts


def test_the_verbatim_check_catches_a_copy() -> None:
    bench = load_bench_set(BENCH_SET)
    bench["crisis"]["zh"] = [*bench["crisis"]["zh"], "一死了之"]  # a literal phrase of the lexicon
    assert verbatim_copies(bench, get_lexicon()) == ["一死了之"]
