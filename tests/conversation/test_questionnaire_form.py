"""The questionnaire form's actions on the app's action endpoint, as Rasa calls them: a retried answer is said
again and recorded once, and a call without the form's domain fails loudly instead of rejecting every answer."""
from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.assessments.models import Answer
from app.db import session_scope
from app.rasa.process import secret
from app.runtime import get_runtime
from app.sessions.models import Message
from tests.fakes import DOMAIN, FakeRasa
from tests.sessions.test_employee_api import _send, _start


def _validate(client: TestClient, sid: str, message_id: str, text: str, domain: dict[str, Any]) -> Any:
    call = {"next_action": "validate_questionnaire_form", "sender_id": sid, "version": "3.6.21", "domain": domain,
            "tracker": {"sender_id": sid, "slots": {"requested_slot": "item_answer"}, "paused": False,
                        "events": [{"event": "user", "text": text}], "latest_event_time": None,
                        "latest_message": {"text": text, "intent": {"name": "answer", "confidence": 0.9},
                                           "entities": [], "metadata": {"xinan_message_id": message_id}},
                        "active_loop": {"name": "questionnaire_form"}, "latest_action_name": "action_listen"}}
    token = secret(get_runtime().pepper, "rasa-action-endpoint")
    return client.post("/webhook", params={"token": token}, json=call)


def _started(client: TestClient) -> tuple[str, dict[str, str], list[dict]]:
    sid, auth, _ = _start(client)
    _send(client, sid, auth, payload="/agree")
    _, msgs = _send(client, sid, auth, payload='/request_scale{"scale":"gad7"}')
    return sid, auth, msgs


def test_a_retried_answer_is_said_again_and_recorded_once(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, fake = app_client
    sid, auth, _ = _started(client)
    _, first = _send(client, sid, auth, text="差不多天天都这样")
    assert "第 2/7 题" in first[0]["text"] and fake.trackers[sid]["active_loop"] == {"name": "questionnaire_form"}
    with session_scope() as db:
        emp = db.exec(select(Message).where(Message.session_id == sid, Message.sender == "employee")
                      .order_by(Message.seq.desc())).scalars().first()
        message_id = emp.id
    again = _validate(client, sid, message_id, "差不多天天都这样", DOMAIN).json()
    assert [r["text"] for r in again["responses"]] == [m["text"] for m in first]
    assert {"event": "slot", "timestamp": None, "name": "item_answer", "value": None} in again["events"]
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(Answer)).scalar_one() == 1


def test_validation_without_the_forms_fails_loudly(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, _, _ = _started(client)
    with pytest.raises(RuntimeError, match="no domain forms"):
        _validate(client, sid, "unknown", "好几天", {"slots": DOMAIN["slots"]})  # an add-on that dropped forms


def test_an_options_own_label_is_that_answer_whatever_command_rasa_read(app_client: tuple[TestClient, FakeRasa],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A command read with confidence (not yielding to a sure answer by the 0.9 rule) still yields to the label."""
    import tests.fakes

    client, _ = app_client
    monkeypatch.setattr(tests.fakes, "KEYWORDS", [("stop", r"^(几乎每天|不想做了)$"), *tests.fakes.KEYWORDS])
    sid, auth, _ = _started(client)
    _, msgs = _send(client, sid, auth, text="几乎每天")  # GAD-7's option, read as stop at 0.9
    assert "第 2/7 题" in msgs[-1]["text"], msgs
    _, msgs = _send(client, sid, auth, text="不想做了")  # a real stop is still one
    assert not any("第 3/7 题" in m["text"] for m in msgs)
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(Answer)).scalar_one() == 0  # stopped: answers deleted
