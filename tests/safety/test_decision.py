"""The crisis decision's combination rules (decision.yaml), with a stand-in classifier whose scores the test sets, so
each rule is checked exactly; the trained classifier is measured by bench/crisis_decision_bench.py on blind sets."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.safety.crisis_screen import get_lexicon, screen
from app.safety.decision import DECISION_FILE, CrisisDecider, RasaIntent, load_config
from app.safety.lexicon import LexiconFileError
from tests.fakes import ScoredClassifier


def make(scores: dict[str, float]) -> CrisisDecider:
    return CrisisDecider(load_config(), get_lexicon(), ScoredClassifier(scores))  # type: ignore[arg-type]


CONFIG = load_config()
ASK, URGENT = CONFIG.classifier.ask_at, CONFIG.classifier.urgent_at
VETO = CONFIG.lexicon.check_ask_unless_classifier_below
HIT = CONFIG.lexicon.hit_urgent_unless_classifier_below  # below it the classifier doubts a lexicon hit
RASA_VETO = CONFIG.rasa.ask_unless_classifier_below
NONE_BELOW = CONFIG.lexicon.hit_none_below  # below it the classifier overrules a lexicon hit


def test_a_lexicon_hit_is_urgent_unless_the_classifier_doubts_it_then_asked() -> None:
    text = "这阵子下班回到出租屋，我不想活了"
    d = make({text: HIT}).decide(text)
    assert d.outcome == "urgent" and d.top is not None and d.top.source == "lexicon"
    assert d.top.reason == "wish_to_die" and d.top.trigger == "不想活"
    doubted = make({text: HIT - 0.01}).decide(text)
    assert doubted.outcome == "ask" and doubted.top is not None and doubted.top.reason == "wish_to_die"


@pytest.mark.parametrize("text", ["我不想活了", "明早交班后跳楼", "suicidal right now, help"])
def test_a_hit_in_a_short_message_is_urgent_even_when_the_classifier_doubts_it(text: str) -> None:
    assert len(text) <= CONFIG.lexicon.hit_urgent_when_words_at_most or text.isascii()
    d = make({text: HIT - 0.01}).decide(text)
    assert d.outcome == "urgent" and d.top is not None and d.top.source == "lexicon"


def test_a_means_check_in_a_short_message_is_asked_even_when_the_classifier_reads_it_as_ordinary() -> None:
    short = "降压药吃一瓶行吗"
    long = "我在查资料，想问问医生：家里老人如果不小心把降压药吃一瓶了行吗，要不要马上去医院洗胃"
    assert screen(short).reason == screen(long).reason == "means"  # the same check in both
    assert make({short: 0.01}).decide(short).outcome == "ask"
    assert make({long: 0.01}).decide(long).outcome == "none"  # a longer message has room for someone else's story
    hyperbole = "累到想死"  # a check for wish_to_die, not a means: the classifier still decides
    assert make({hyperbole: VETO - 0.01}).decide(hyperbole).outcome == "none"


def test_a_lexicon_hit_the_classifier_is_all_but_sure_is_ordinary_is_none() -> None:
    text = "他最近老说不想活了，我很担心他，我该怎么办"
    assert make({text: NONE_BELOW - 0.001}).decide(text).outcome == "none"
    d = make({text: NONE_BELOW}).decide(text)
    assert d.outcome == "ask" and d.top is not None and d.top.source == "lexicon"
    short = "best knot for a noose?"  # no room for someone else's story: asked, not dropped
    assert screen(short).level == "hit" and make({short: 0.0}).decide(short).outcome == "ask"


def test_the_classifier_alone_asks_or_escalates_by_its_thresholds() -> None:
    text = "everything feels pointless lately"
    assert make({text: URGENT}).decide(text).outcome == "urgent"
    assert make({text: ASK}).decide(text).outcome == "ask"
    assert make({text: ASK - 0.01}).decide(text).outcome == "none"


def test_an_ambiguous_mention_is_asked_about_unless_the_classifier_is_sure_it_is_ordinary() -> None:
    text = "I can't go on like this"  # the lexicon's check-level distress cue
    assert make({text: VETO}).decide(text).outcome == "ask"
    assert make({text: VETO / 2}).decide(text).outcome == "none"


def test_rasa_crisis_intent_alone_is_at_least_ask_unless_the_classifier_is_sure_of_hyperbole() -> None:
    text = "累死了"
    sure = RasaIntent("crisis", CONFIG.rasa.ask_at_confidence)
    assert make({text: RASA_VETO}).decide(text, rasa=sure).outcome == "ask"
    assert make({text: RASA_VETO - 0.01}).decide(text, rasa=sure).outcome == "none"
    less_sure = RasaIntent("crisis", CONFIG.rasa.ask_at_confidence - 0.01)
    assert make({text: RASA_VETO}).decide(text, rasa=less_sure).outcome == "none"
    assert make({text: RASA_VETO}).decide(text, rasa=RasaIntent("chitchat", 0.99)).outcome == "none"


def test_distress_then_a_means_question_is_urgent() -> None:
    earlier, now = "I really can't take it anymore", "how many of these sleeping pills would be too many"
    scores = {earlier: ASK, now: VETO}  # the means question alone: just enough for the lexicon to ask
    alone = make(scores).decide(now)
    assert alone.outcome == "ask" and alone.top is not None and alone.top.reason == "means"
    after = make(scores).decide(now, context=[earlier])
    assert after.outcome == "urgent" and after.top is not None and after.top.reason == "distress_then_means"
    assert after.top.trigger and "sleeping pills" in after.top.trigger


def test_distress_then_a_message_the_classifier_reads_as_crisis_is_urgent() -> None:
    earlier, now = "I really can't take it anymore", "is the roof door at work locked at night"
    at = CONFIG.context.urgent_when_distress_then_classifier_at
    after = make({earlier: ASK, now: at}).decide(now, context=[earlier])
    assert after.outcome == "urgent" and after.top is not None and after.top.reason == "distress_then_crisis"
    assert after.top.trigger == now
    assert make({earlier: ASK, now: at}).decide(now).outcome != "urgent"  # the same words with no distress before
    calm = make({earlier: VETO / 2, now: at}).decide(now, context=[earlier])
    assert all(s.reason != "distress_then_crisis" for s in calm.signals)
    below = make({earlier: ASK, now: at - 0.01}).decide(now, context=[earlier])
    assert all(s.reason != "distress_then_crisis" for s in below.signals)


def test_a_message_at_ask_after_an_urgent_one_is_urgent() -> None:
    earlier, now = "I have made up my mind to die", "Sunday, after close"
    lower = CONFIG.context.urgent_when_distress_then_classifier_at - 0.01  # below the distress rule's threshold
    after = make({earlier: URGENT, now: ASK}).decide(now, context=[earlier])
    assert after.outcome == "urgent" and after.top is not None and after.top.reason == "urgent_then_ask"
    assert after.top.trigger == now
    only_distress = make({earlier: ASK, now: min(ASK, lower)}).decide(now, context=[earlier])
    assert all(s.reason != "urgent_then_ask" for s in only_distress.signals)  # asked before, not urgent
    nothing_now = make({earlier: URGENT, now: VETO / 2}).decide(now, context=[earlier])
    assert nothing_now.outcome == "none"  # an ordinary message after a crisis is not escalated again by this rule
    answer = make({earlier: URGENT, now: ASK}).decide(now, context=[earlier], answer=True)
    assert all(s.reason != "urgent_then_ask" for s in answer.signals)


def test_on_an_answer_to_the_open_item_the_classifier_alone_needs_more_and_never_escalates() -> None:
    text = "not every day"
    at = CONFIG.classifier.answer_ask_at
    assert make({text: URGENT}).decide(text).outcome == "urgent"
    assert make({text: at - 0.01}).decide(text, answer=True).outcome == "none"
    assert make({text: 0.99}).decide(text, answer=True).outcome == "ask"
    earlier = "I really can't take it anymore"  # distress before: the context's classifier rules stay out too
    assert make({earlier: ASK, text: at - 0.01}).decide(text, context=[earlier], answer=True).outcome == "none"


def test_on_an_answer_the_lexicon_still_reads_the_words() -> None:
    text = "几乎每天，我真的不想活了"
    d = make({text: HIT}).decide(text, answer=True)
    assert d.outcome == "urgent" and d.top is not None and d.top.source == "lexicon"


def test_recent_words_read_together_can_ask() -> None:
    earlier, now = "我最近真的很累", "想找个地方安静地消失一段时间"
    joined = f"{earlier} \n{now}"
    d = make({earlier: 0.2, now: VETO, joined: CONFIG.context.ask_at}).decide(now, context=[earlier])
    assert d.outcome == "ask" and d.top is not None and d.top.source == "context"
    assert make({earlier: 0.2, now: VETO, joined: CONFIG.context.ask_at - 0.01}).decide(now, context=[earlier]) \
        .outcome == "none"


@pytest.mark.parametrize("text", ["别告诉我妈我想死", "不要跟任何人说，我真的想死", "don't tell my mum I want to die",
                                  "I won't tell anyone, but I want to kill myself"])
def test_a_secret_is_not_a_negation(text: str) -> None:
    assert make({text: HIT}).decide(text).outcome == "urgent"


SIGNALS = st.sampled_from(["我不想活了", "I can't go on like this", "累死了", "what is the tallest bridge", "hello",
                           "I want to kill myself"])


@settings(max_examples=200, deadline=None)
@given(text=SIGNALS, p=st.floats(0, 1), confidence=st.floats(0, 1), intent=st.sampled_from(["crisis", "chitchat"]),
       context=st.lists(SIGNALS, max_size=3), context_p=st.floats(0, 1))
def test_no_signal_ever_lowers_another(text: str, p: float, confidence: float, intent: str, context: list[str],
                                       context_p: float) -> None:
    """Adding Rasa's intent or the recent messages never lowers the outcome of the words alone."""
    rank = {"none": 0, "ask": 1, "urgent": 2}
    scores = {text: p, **{c: context_p for c in context}}
    d = make(scores)
    alone = d.decide(text)
    with_all = d.decide(text, context=context, rasa=RasaIntent(intent, confidence))
    assert rank[with_all.outcome] >= rank[alone.outcome]
    assert rank[d.decide(text, rasa=RasaIntent(intent, confidence)).outcome] >= rank[alone.outcome]
    assert rank[d.decide(text, context=context).outcome] >= rank[alone.outcome]


def test_every_reason_a_signal_can_give_has_words_in_both_languages() -> None:
    reasons = {e.reason for e in get_lexicon().entries} | {"classifier", "rasa", "context", "distress_then_means",
                                                           "distress_then_crisis", "urgent_then_ask", "safety_yes",
                                                           "safety_unsure"}
    for reason in reasons:
        assert set(CONFIG.reasons[reason]) == {"zh-CN", "en"}, reason


def test_a_reason_the_rules_name_without_words_is_refused(tmp_path: Path) -> None:
    text = DECISION_FILE.read_text(encoding="utf-8")
    assert "check_ask_when_short: [means, method, plan_farewell]" in text
    bad = tmp_path / "decision.yaml"
    bad.write_text(text.replace("check_ask_when_short: [means,", "check_ask_when_short: [meens,"), encoding="utf-8")
    with pytest.raises(LexiconFileError, match="meens"):
        load_config(bad)


def test_thresholds_are_ordered() -> None:
    assert 0 < VETO < ASK < URGENT <= 1 and 0 < RASA_VETO < ASK and 0 < NONE_BELOW < HIT < ASK


def test_rasa_and_the_classifier_agreeing_is_urgent_even_in_a_message_marked_as_a_joke() -> None:
    text = "everything feels pointless lately lol"  # the joke marker keeps the classifier alone at ask
    agree = CONFIG.rasa.urgent_with_classifier_at
    crisis = RasaIntent("crisis", 0.99)
    assert make({text: agree}).decide(text).outcome == "ask"
    assert make({text: agree}).decide(text, rasa=crisis).outcome == "urgent"
    assert make({text: agree - 0.01}).decide(text, rasa=crisis).outcome == "ask"
    assert make({text: agree}).decide(text, rasa=RasaIntent("share_feelings", 0.99)).outcome == "ask"


@pytest.mark.parametrize("text", ["老板再画饼我就跳楼 哈哈哈", "kms if i have to redo this deck lol", "真的想死😂",
                                  "大型社死，我想死", "我想死，被熊孩子气的"])
def test_a_crisis_phrase_in_a_message_marked_as_a_joke_is_asked_not_escalated(text: str) -> None:
    sure = max(URGENT, CONFIG.rasa.urgent_with_classifier_at)
    assert make({text: sure}).decide(text).outcome == "ask"  # neither the lexicon nor the classifier escalates it
    assert make({text: sure}).decide(text, rasa=RasaIntent("crisis", 0.99)).outcome == "urgent"  # two readings


@pytest.mark.parametrize("text", ["我朋友说他想死，我该怎么劝", "有个患者入院时说不想活了",
                                  "新闻说又有人因为被裁员跳楼了", "my friend texted me that she wants to die",
                                  "堵车堵得我想死"])
def test_someone_elses_words_and_idioms_are_asked_about_not_escalated(text: str) -> None:
    assert make({text: ASK}).decide(text).outcome == "ask"


@pytest.mark.parametrize("text", ["别告诉我妈我想死", "我朋友不知道，我真的想死",
                                  "my mum doesn't know I want to kill myself", "我觉得我想死",
                                  "我不想活了，不是开玩笑"])
def test_the_employee_speaking_of_themself_stays_urgent(text: str) -> None:
    assert make({text: HIT}).decide(text).outcome == "urgent"
