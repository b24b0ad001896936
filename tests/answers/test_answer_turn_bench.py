"""The answer turn bench follows the service's path for a typed answer: a stand-in classifier and Rasa intents the
test sets, so each step (crisis decision, a command Rasa is sure of, the answer reader) is checked exactly."""
from __future__ import annotations

import pytest

from app.config import ROOT
from app.safety.crisis_screen import get_lexicon
from app.safety.decision import CrisisDecider, load_config
from app.scales.registry import ScaleRegistry
from bench.answer_turn_bench import figures, turn
from bench.answer_understanding_bench import Phrasing
from tests.fakes import ScoredClassifier

CONFIG = load_config()


@pytest.fixture(scope="module")
def registry() -> ScaleRegistry:
    return ScaleRegistry.from_dir(ROOT / "scales")


def decider(scores: dict[str, float] | None = None) -> CrisisDecider:
    return CrisisDecider(CONFIG, get_lexicon(), ScoredClassifier(scores or {}))  # type: ignore[arg-type]


def said(text: str, expected: int | None = 3, scale: str = "phq9", lang: str = "zh-CN") -> Phrasing:
    return Phrasing(scale=scale, text=text, expected=expected, lang=lang)


def test_a_command_rasa_is_sure_of_diverts_a_sure_answer(registry: ScaleRegistry) -> None:
    out = turn(decider(), registry, said("天天"), {"intent": "stop", "confidence": 0.95})
    assert out.outcome == "diverted: stop"


def test_a_sure_answer_wins_over_a_command_rasa_is_unsure_of(registry: ScaleRegistry) -> None:
    out = turn(decider(), registry, said("天天"), {"intent": "stop", "confidence": 0.6})
    assert out.outcome == "right"


def test_an_option_label_is_the_answer_however_sure_rasa_is(registry: ScaleRegistry) -> None:
    out = turn(decider(), registry, said("不符合", 0, "dass21"), {"intent": "stop", "confidence": 0.99})
    assert out.outcome == "right"


def test_an_unsure_answer_under_a_sure_command_is_diverted(registry: ScaleRegistry) -> None:
    out = turn(decider(), registry, said("嗯", None), {"intent": "pause", "confidence": 0.6})
    assert out.outcome == "diverted: pause"


def test_rasa_crisis_asks_unless_the_classifier_is_sure_of_ordinary_words(registry: ScaleRegistry) -> None:
    sure_ordinary = CONFIG.rasa.ask_unless_classifier_below / 2
    asked = turn(decider({"天天": CONFIG.rasa.ask_unless_classifier_below}), registry, said("天天"),
                 {"intent": "crisis", "confidence": 0.95})
    taken = turn(decider({"天天": sure_ordinary}), registry, said("天天"), {"intent": "crisis", "confidence": 0.95})
    assert asked.outcome.startswith("diverted: ask") and taken.outcome == "right"


def test_the_crisis_decision_before_rasa_diverts_first(registry: ScaleRegistry) -> None:
    out = turn(decider({"我想自杀": CONFIG.classifier.urgent_at}), registry, said("我想自杀", None),
               {"intent": "answer", "confidence": 0.99})
    assert out.outcome.startswith("diverted: urgent")


def test_a_wrong_answer_and_a_confirm_are_counted_apart_from_diverted(registry: ScaleRegistry) -> None:
    rows = [turn(decider(), registry, said("天天", 0), {"intent": "answer", "confidence": 0.99}),
            turn(decider(), registry, said("天天"), {"intent": "stop", "confidence": 0.99}),
            turn(decider(), registry, said("天天"), {"intent": "answer", "confidence": 0.99})]
    f = figures(rows)
    assert (f["wrong"], f["diverted_n"], f["right"]) == (33.3, 1, 33.3)
