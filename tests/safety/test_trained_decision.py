"""The decision with the classifier set-up trains (var/models), on words its training files were written to teach:
short replies to the bot are not read as a crisis, and short crisis messages still are."""
from __future__ import annotations

import pytest

from app.config import ROOT, Settings
from app.safety.decision import CrisisDecider, get_decider


@pytest.fixture(scope="module")
def decider() -> CrisisDecider:
    return get_decider(Settings(rasa_models_dir=ROOT / "var" / "models"))  # type: ignore[call-arg]


@pytest.mark.parametrize("text", ["不用了", "我先下了", "拿快递去了", "no way", "every day honestly", "算了"])
def test_a_short_reply_to_the_bot_is_never_escalated(decider: CrisisDecider, text: str) -> None:
    assert decider.decide(text).outcome != "urgent"


@pytest.mark.parametrize("text", ["不想活了", "想死", "kms", "活着好累，想结束", "want to die"])
def test_a_short_crisis_message_is_still_escalated(decider: CrisisDecider, text: str) -> None:
    assert decider.decide(text).outcome == "urgent"
