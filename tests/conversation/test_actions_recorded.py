"""The custom actions run through rasa_sdk's executor on the app's /webhook with action calls recorded from the
real Rasa 3.6.21 server (tests/conversation/recorded/*.json), replayed in order against a fresh session."""
from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.assessments.models import Answer
from app.db import session_scope
from app.rasa.process import secret
from app.runtime import get_runtime
from tests.fakes import FakeRasa

RECORDED = Path(__file__).parent / "recorded"


def _call(client: TestClient, name: str, sid: str) -> dict:
    call = json.loads((RECORDED / f"{name}.json").read_text())
    call["sender_id"] = call["tracker"]["sender_id"] = sid
    token = secret(get_runtime().pepper, "rasa-action-endpoint")
    r = client.post("/webhook", params={"token": token}, json=call)
    assert r.status_code == 200, r.text
    return r.json()


def test_recorded_conversation_replays(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid = client.post("/api/v1/sessions", json={"locale": "zh-CN"}).json()["session_id"]
    agree = _call(client, "agree", sid)
    assert any("GAD-7" in b["title"] for b in agree["responses"][0]["buttons"])
    assert [(e["event"], e.get("name"), e.get("value")) for e in agree["events"]] == [("slot", "stage", "menu")]
    chosen_call = _call(client, "choose_scale", sid)
    # the app's store opened a questionnaire: the tracker is told, and Rasa runs the form next
    assert [(e["event"], e.get("name")) for e in chosen_call["events"]] == [
        ("slot", "stage"), ("slot", "item_answer"), ("active_loop", "questionnaire_form")]
    chosen = chosen_call["responses"]
    assert "GAD-7" in chosen[0]["text"] and chosen[1]["custom"]["xinan"]["progress"] == {
        "scale": "gad7", "answered": 0, "total": 7}
    # recorded before the form existed (no active loop in the tracker): the action still reads the answer from the
    # store's open item, as after a Rasa restart, and asks Rasa to reopen the form
    answered = _call(client, "answer_in_words", sid)["responses"]
    assert "第 2/7 题" in answered[0]["text"] and answered[0]["custom"]["xinan"]["progress"]["answered"] == 1
    with session_scope() as db:
        row = db.exec(select(Answer)).scalars().one()
        assert (row.item_index, row.value) == (0, 3)
        assert get_runtime().keyring.decrypt(row.free_text_enc or "", aad=row.assessment_id) == "差不多天天都这样"
    why = _call(client, "explain", sid)["responses"]
    assert why[0]["text"].startswith("这一题了解") and "第 2/7 题" in why[0]["text"]


def test_webhook_refuses_callers_without_the_rasa_token(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    call = json.loads((RECORDED / "agree.json").read_text())
    assert client.post("/webhook", json=call).status_code == 401
    assert client.post("/webhook", params={"token": "guess"}, json=call).status_code == 401
    token = secret(get_runtime().pepper, "rasa-action-endpoint")
    call["next_action"] = "action_does_not_exist"
    assert client.post("/webhook", params={"token": token}, json=call).status_code == 404
