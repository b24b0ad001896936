"""The crisis decision through the real Rasa server and the running app: asking directly when in doubt, a lone
surrogate in a crisis message, and a crisis while Rasa is down."""
from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.db import make_engine
from app.escalations.models import Escalation
from scripts.devstack import Stack
from tests.conversation.live_client import Employee

pytestmark = pytest.mark.rasa
# Ambiguous on purpose: the lexicon's "check" level, which the whole decision (with the trained Rasa model and
# classifier) answers with the direct question rather than an escalation.
ASKED_ABOUT = "有时候觉得撑不下去了"


def _escalations(stack: Stack, sid: str) -> list[tuple[str, str]]:
    with Session(make_engine(stack.settings.sqlalchemy_url)) as db:
        rows = db.exec(select(Escalation).where(Escalation.session_id == sid)).scalars().all()
        return [(e.priority, e.source) for e in rows]


def test_an_ambiguous_message_is_asked_about_and_yes_is_urgent(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "zh-CN")
    emp.tap("同意")
    emp.send(text=ASKED_ABOUT)
    assert emp.last[0]["kind"] == "safety_question", emp.text
    assert _escalations(live_stack, emp.sid) == []
    emp.tap("有")
    assert emp.last[0]["kind"] == "crisis" and "12356" in emp.text
    assert _escalations(live_stack, emp.sid) == [("urgent", "safety_question")]


def test_no_to_the_question_is_thanked_with_the_lines_and_how_to_help_someone_else(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "zh-CN")
    emp.tap("同意")
    emp.send(text=ASKED_ABOUT)
    assert emp.last[0]["kind"] == "safety_question", emp.text
    emp.send(text="没有，我是担心我室友")
    assert emp.last[0]["kind"] == "text" and "谢谢你如实告诉我" in emp.text, emp.text
    assert "如果你是在为身边的人担心" in emp.text and "12356" in emp.text
    assert _escalations(live_stack, emp.sid) == []


def test_a_lone_surrogate_in_a_crisis_message_still_escalates(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "en")
    emp.tap("I agree")
    body = '{"text": "I want to kill myself tonight \\ud800", "client_msg_id": "surrogate-1"}'
    r = httpx.post(f"{live_stack.app_url}/api/v1/sessions/{emp.sid}/messages", content=body,
                   headers={**emp.auth, "Content-Type": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["messages"][0]["kind"] == "crisis"
    assert _escalations(live_stack, emp.sid) == [("urgent", "crisis_decision")]


def test_a_crisis_while_rasa_is_down_still_escalates(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "zh-CN")
    emp.tap("同意")
    live_stack.stop("rasa")
    try:
        emp.send(text="我今晚就想从楼顶跳下去")
        assert emp.last[0]["kind"] == "crisis" and "12356" in emp.text
        assert _escalations(live_stack, emp.sid) == [("urgent", "crisis_decision")]
    finally:
        live_stack.start_rasa()
        live_stack.wait_ready(timeout=240)
