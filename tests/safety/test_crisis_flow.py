"""The crisis decision in the employee turn, through the API with the real app and store and a fake Rasa: urgent,
the direct safety question and its answers, the crisis episode, what the counsellor reads, and bad text.

The classifier is a stand-in whose scores each test sets (tests/fakes.py), so each path is taken on purpose; the
lexicon is the real one. The trained classifier's figures come from bench/crisis_decision_bench.py.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db import session_scope
from app.escalations.models import Escalation
from app.safety import crisis_flow
from app.safety.crisis_screen import get_lexicon
from app.safety.decision import CrisisDecider, load_config
from tests.escalations.helpers import staff
from tests.fakes import FakeRasa, ScoredClassifier
from tests.network.helpers import WORLD_LINK, register_links

Client = tuple[TestClient, FakeRasa]
YES, UNSURE, NO = ('/safety_answer{"answer":"yes"}', '/safety_answer{"answer":"unsure"}',
                   '/safety_answer{"answer":"no"}')


@pytest.fixture
def scores(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, float]]:
    """Set P(crisis) per text for the decision the turn makes; any other text scores where the classifier neither
    doubts a lexicon hit nor flags the words itself."""
    table: dict[str, float] = {}
    neutral = load_config().lexicon.hit_urgent_unless_classifier_below
    decider = CrisisDecider(load_config(), get_lexicon(), ScoredClassifier(table, neutral))  # type: ignore[arg-type]
    monkeypatch.setattr(crisis_flow, "get_decider", lambda settings: decider)
    yield table


def start(client: TestClient, locale: str = "zh-CN", consent: bool = True) -> tuple[str, dict[str, str]]:
    register_links(None, *WORLD_LINK)  # the in-process app's store
    r = client.post("/api/v1/sessions", json={"locale": locale, "org": "acme", "unit": "plant-1"})
    assert r.status_code == 201, r.text
    sid, auth = r.json()["session_id"], {"Authorization": f"Bearer {r.json()['token']}"}
    if consent:
        say(client, sid, auth, payload="/agree")
    return sid, auth


def say(client: TestClient, sid: str, auth: dict[str, str], **body: str) -> list[dict]:
    body.setdefault("client_msg_id", uuid.uuid4().hex)
    r = client.post(f"/api/v1/sessions/{sid}/messages", json=body, headers=auth)
    assert r.status_code == 200, r.text
    return list(r.json()["messages"])


def escalations(sid: str) -> list[Escalation]:
    with session_scope() as db:
        return list(db.execute(select(Escalation).where(Escalation.session_id == sid)).scalars())


def test_crisis_words_mid_questionnaire_are_urgent_with_the_call_now_line_first(app_client: Client,
                                                                                  scores: dict) -> None:
    client, fake = app_client
    sid, auth = start(client)
    say(client, sid, auth, payload='/request_scale{"scale":"phq9"}')
    calls = len(fake.calls)
    msgs = say(client, sid, auth, text="好几天吧，其实我已经把安眠药攒够了")
    assert len(fake.calls) == calls, "the crisis decision answered without Rasa"
    assert msgs[0]["kind"] == "crisis" and msgs[0]["text"].startswith("如果你现在有危险，请马上拨打 110 或 120")
    assert msgs[0]["card"]["type"] == "resources" and "预计 15 分钟内" in msgs[0]["text"]
    assert msgs[0]["text"].count("联系你") == 1  # the counsellor and when, said once
    assert not any(b["payload"].startswith("/answer") for m in msgs for b in m["buttons"])
    [esc] = escalations(sid)
    assert (esc.priority, esc.source, esc.reason) == ("urgent", "crisis_decision", "mentioned a method or means")
    counsellor = staff(client, "li", "counsellor")
    detail = client.get(f"/api/v1/escalations/{esc.id}", headers=counsellor).json()
    assert detail["reason_i18n"] == {"zh-CN": "提到了自杀的方式或工具", "en": "mentioned a method or means"}
    assert detail["trigger"] == "安眠药攒够"
    with session_scope() as db:
        row = db.get(Escalation, esc.id)
        assert row is not None and row.trigger_enc and "安眠药" not in row.trigger_enc  # encrypted at rest


def test_after_urgent_every_message_is_part_of_the_episode_until_resolved(app_client: Client, scores: dict) -> None:
    client, fake = app_client
    sid, auth = start(client)
    say(client, sid, auth, text="I want to kill myself")
    calls = len(fake.calls)
    for text in ("hello? is anyone there?", "hi", "我想做个测试"):
        msgs = say(client, sid, auth, text=text)
        assert [m["kind"] for m in msgs] == ["crisis"], msgs
        assert "110" in msgs[0]["text"] and msgs[0]["card"]["type"] == "resources"
        assert [b["payload"] for b in msgs[0]["buttons"]] == ["/grounding"]
        assert "欢迎回来" not in msgs[0]["text"] and "welcome back" not in msgs[0]["text"].lower()
    grounding = say(client, sid, auth, payload="/grounding")
    assert "5 样东西" in grounding[0]["text"]
    assert len(fake.calls) == calls, "no employee message reached Rasa during the episode"
    counsellor = staff(client, "wang", "counsellor")
    [esc] = escalations(sid)
    assert client.post(f"/api/v1/escalations/{esc.id}/claim", headers=counsellor).status_code == 200
    assert "已经接手" in say(client, sid, auth, text="还在吗")[0]["text"]
    r = client.post(f"/api/v1/escalations/{esc.id}/resolve", json={"outcome": "contacted", "note": "ok"},
                    headers=counsellor)
    assert r.status_code == 200
    msgs = say(client, sid, auth, text="你好")
    assert len(fake.calls) == calls + 1 and all(m["kind"] == "text" for m in msgs)


def test_words_a_counsellor_heard_before_resolving_are_not_context_for_the_bot(app_client: Client,
                                                                                scores: dict) -> None:
    """Distress told to the counsellor in a handoff was acted on by a person: after they resolve the case, a
    greeting goes to Rasa, not a safety question (before the resolution it would have been context)."""
    client, fake = app_client
    sid, auth = start(client)
    say(client, sid, auth, text="I want to kill myself")
    counsellor = staff(client, "wang", "counsellor")
    [esc] = escalations(sid)
    assert client.post(f"/api/v1/escalations/{esc.id}/claim", headers=counsellor).status_code == 200
    assert client.post(f"/api/v1/escalations/{esc.id}/messages", json={"text": "我在这里"},
                       headers=counsellor).status_code in (200, 201)
    scores["谢谢你，我最近真的很难受"] = 0.55  # asks on its own: distress
    scores["谢谢你，我最近真的很难受 \n你好"] = 0.9  # read together, context enough to ask
    say(client, sid, auth, text="谢谢你，我最近真的很难受")
    assert client.post(f"/api/v1/escalations/{esc.id}/resolve", json={"outcome": "contacted"},
                       headers=counsellor).status_code == 200
    calls = len(fake.calls)
    msgs = say(client, sid, auth, text="你好")
    assert len(fake.calls) == calls + 1 and all(m["kind"] == "text" for m in msgs)


def test_when_in_doubt_the_bot_asks_directly_and_yes_is_urgent(app_client: Client, scores: dict) -> None:
    client, _ = app_client
    sid, auth = start(client, locale="en")
    scores["honestly I don't see the point of anything anymore"] = load_config().classifier.ask_at
    msgs = say(client, sid, auth, text="honestly I don't see the point of anything anymore")
    [question] = msgs
    assert question["kind"] == "safety_question" and "killing yourself" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == [YES, UNSURE, NO]
    assert escalations(sid) == []
    msgs = say(client, sid, auth, payload=YES)
    assert msgs[0]["kind"] == "crisis"
    [esc] = escalations(sid)
    assert (esc.priority, esc.source) == ("urgent", "safety_question")
    assert esc.reason == "answered yes to the safety question"
    history = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in history if m["sender"] == "employee"][-1] == "Yes"  # the button's title


@pytest.mark.parametrize("answer", ["not sure", "not really", "有时候会", "我也不知道"])
def test_an_unsure_or_hedged_answer_is_urgent(app_client: Client, scores: dict, answer: str) -> None:
    client, _ = app_client
    sid, auth = start(client)
    scores["最近总觉得很空"] = 0.99 * load_config().classifier.urgent_at
    assert say(client, sid, auth, text="最近总觉得很空")[0]["kind"] == "safety_question"
    assert say(client, sid, auth, text=answer)[0]["kind"] == "crisis"
    [esc] = escalations(sid)
    assert esc.reason == "was not sure when asked about suicide or self-harm"


def test_no_is_thanked_with_the_lines_and_the_questionnaire_goes_on(app_client: Client, scores: dict) -> None:
    client, _ = app_client
    sid, auth = start(client)
    say(client, sid, auth, payload='/request_scale{"scale":"gad7"}')
    scores["撑不住了，几乎每天"] = 0.5
    assert say(client, sid, auth, text="撑不住了，几乎每天")[0]["kind"] == "safety_question"
    msgs = say(client, sid, auth, text="没有，就是工作太累")
    assert msgs[0]["kind"] == "text" and msgs[0]["card"]["type"] == "resources"
    assert "谢谢你如实告诉我" in msgs[0]["text"]
    assert "如果你是在为身边的人担心" in msgs[0]["text"] and "110" in msgs[0]["text"]  # a no may be worry for another
    assert msgs[1]["progress"] == {"scale": "gad7", "answered": 0, "total": 7}
    assert [b["title"] for b in msgs[1]["buttons"]] == ["完全不会", "好几天", "一半以上的日子", "几乎每天"]
    assert escalations(sid) == []
    msgs = say(client, sid, auth, text="好几天")  # the questionnaire goes on from where it was
    assert msgs[-1]["progress"]["answered"] == 1


def test_an_unclear_answer_is_asked_once_more_then_counts_as_unsure(app_client: Client, scores: dict) -> None:
    client, _ = app_client
    sid, auth = start(client)
    scores["I feel trapped"] = 0.5
    say(client, sid, auth, text="I feel trapped")
    again = say(client, sid, auth, text="whatever")
    assert again[0]["kind"] == "safety_question" and escalations(sid) == []
    assert say(client, sid, auth, text="meh")[0]["kind"] == "crisis"
    assert escalations(sid)[0].priority == "urgent"


def test_rasa_crisis_intent_alone_asks(app_client: Client, scores: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words the lexicon and the classifier let pass, but Rasa's NLU calls crisis: the bot asks, never ignores it."""
    from tests import fakes

    client, fake = app_client
    sid, auth = start(client)
    monkeypatch.setattr(fakes, "KEYWORDS", [("crisis", r"dark thoughts"), *fakes.KEYWORDS])
    msgs = say(client, sid, auth, text="having some dark thoughts again")
    assert fake.calls[-1] == "having some dark thoughts again"
    assert [m["kind"] for m in msgs] == ["safety_question"]
    assert say(client, sid, auth, payload=UNSURE)[0]["kind"] == "crisis"


def test_an_option_label_typed_to_the_open_item_is_its_answer_even_if_rasa_says_crisis(
        app_client: Client, scores: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import fakes

    client, _ = app_client
    sid, auth = start(client)
    say(client, sid, auth, payload='/request_scale{"scale":"gad7"}')
    monkeypatch.setattr(fakes, "KEYWORDS", [("crisis", r"完全不会|dark thoughts"), *fakes.KEYWORDS])
    msgs = say(client, sid, auth, text="完全不会")
    assert msgs[-1]["progress"]["answered"] == 1 and "safety_question" not in [m["kind"] for m in msgs]
    assert [m["kind"] for m in say(client, sid, auth, text="having some dark thoughts again")] == ["safety_question"]


def test_an_item9_hedge_is_asked_with_both_options_never_a_silent_zero(app_client: Client, scores: dict) -> None:
    client, _ = app_client
    sid, auth = start(client)
    msgs = say(client, sid, auth, payload='/request_scale{"scale":"phq9"}')
    for _ in range(8):
        msgs = say(client, sid, auth, payload=msgs[-1]["buttons"][0]["payload"])
    assert msgs[-1]["progress"]["answered"] == 8
    msgs = say(client, sid, auth, text="基本没有")
    assert [b["payload"] for b in msgs[-1]["buttons"]] == ['/answer{"option":"phq9:9:0"}',
                                                         '/answer{"option":"phq9:9:1"}']
    msgs = say(client, sid, auth, payload='/answer{"option":"phq9:9:1"}')
    assert msgs[0]["kind"] == "crisis" and msgs[1]["card"]["type"] == "result"  # support first, then the result
    assert not any(b["payload"] == "/show_menu" for m in msgs for b in m["buttons"])
    [esc] = escalations(sid)
    assert (esc.priority, esc.source) == ("urgent", "risk_rule")
    assert say(client, sid, auth, text="谢谢")[0]["kind"] == "crisis"  # the episode has begun


def test_words_that_answer_the_open_item_need_more_of_the_classifier_to_ask(app_client: Client,
                                                                            scores: dict) -> None:
    """A frequency phrase ("不是每天") is read as the answer it is unless the classifier is very sure; the same words
    with no question open are asked about at the usual threshold."""
    client, _ = app_client
    config = load_config().classifier
    sid, auth = start(client)
    scores["不是每天"] = (config.ask_at + config.answer_ask_at) / 2
    assert say(client, sid, auth, text="不是每天")[0]["kind"] == "safety_question"
    sid, auth = start(client)
    say(client, sid, auth, payload='/request_scale{"scale":"phq9"}')
    msgs = say(client, sid, auth, text="不是每天")
    assert all(m["kind"] not in ("safety_question", "crisis") for m in msgs)
    scores["差不多天天这样"] = config.answer_ask_at
    assert say(client, sid, auth, text="差不多天天这样")[0]["kind"] == "safety_question"
    assert escalations(sid) == []


def test_a_routine_result_says_when_and_that_they_can_come_back(app_client: Client, scores: dict) -> None:
    client, _ = app_client
    sid, auth = start(client)
    msgs = say(client, sid, auth, payload='/request_scale{"scale":"gad7"}')
    for _ in range(7):
        msgs = say(client, sid, auth, payload=msgs[-1]["buttons"][2]["payload"])  # 14: moderate, routine
    text = " ".join(m["text"] for m in msgs)
    assert "3 天内" in text and "回到这个链接" in text and msgs[0]["card"]["type"] == "result"
    followup = next(m for m in msgs if "3 天内" in m["text"])
    assert "下面的热线" in followup["text"] and followup["card"]["type"] == "resources"  # the lines it points to


def test_dass21_leads_with_its_most_severe_part(app_client: Client, scores: dict) -> None:
    client, _ = app_client
    sid, auth = start(client, locale="en")
    msgs = say(client, sid, auth, payload='/request_scale{"scale":"dass21"}')
    anxiety = {2, 4, 7, 9, 15, 19, 20}
    for n in range(1, 22):
        msgs = say(client, sid, auth, payload=msgs[-1]["buttons"][3 if n in anxiety else 0]["payload"])
    result = next(m for m in msgs if m["card"] and m["card"]["type"] == "result")
    assert result["text"].startswith("You've finished DASS-21 — thank you. The part to watch most: Anxiety: "
                                     "extremely severe (42 of 42).")
    assert result["card"]["score"] == 42 and result["card"]["max_score"] == 42 and "126" not in result["text"]
    assert "range\" range" not in result["text"]


def test_a_lone_surrogate_is_cleaned_and_the_crisis_still_decided(app_client: Client, scores: dict,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    client, _ = app_client
    sid, auth = start(client)
    body = json.dumps({"text": "我不想活了\ud800", "client_msg_id": "s1"}).encode()
    caplog.set_level(logging.DEBUG)
    r = client.post(f"/api/v1/sessions/{sid}/messages", content=body,
                    headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["messages"][0]["kind"] == "crisis"
    history = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in history if m["sender"] == "employee"] == ["同意", "我不想活了\ufffd"]
    assert "不想活" not in caplog.text
