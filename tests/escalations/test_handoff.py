"""The counsellor's live chat through the API, with the fake Rasa: an urgent escalation from a PHQ-9, claim,
handoff (the employee's messages never reach Rasa), resolve, and the bot back; and a withdrawn escalation."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import session_scope
from app.sessions.models import EmployeeSession
from app.staff.models import AuditEvent
from tests.escalations.helpers import crisis_escalation, employee, say, staff
from tests.fakes import FakeRasa


def _buttons(msgs: list[dict]) -> list[dict]:
    return next((m["buttons"] for m in reversed(msgs) if m["buttons"]), [])


def _phq9_with_item9(client: TestClient) -> tuple[str, dict[str, str]]:
    sid, auth = employee(client)
    say(client, sid, auth, payload="/agree")
    msgs = say(client, sid, auth, payload='/request_scale{"scale":"phq9"}')
    for i in range(9):
        opts = _buttons(msgs)
        assert len(opts) == 4, msgs
        msgs = say(client, sid, auth, payload=opts[1 if i in (0, 8) else 0]["payload"])  # item 9 = 1
    return sid, auth


def _employee_history(client: TestClient, sid: str, auth: dict[str, str], after: int = 0) -> list[dict]:
    r = client.get(f"/api/v1/sessions/{sid}/messages", params={"after_seq": after}, headers=auth)
    assert r.status_code == 200
    return r.json()["messages"]


def test_phq9_item9_handoff_and_back_to_the_bot(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, fake = app_client
    counsellor = staff(client, "wang", "counsellor")
    sid, auth = _phq9_with_item9(client)

    queue = client.get("/api/v1/escalations", params={"status": "open"}, headers=counsellor).json()["escalations"]
    assert len(queue) == 1
    esc = queue[0]
    assert esc["priority"] == "urgent" and esc["scale"] == "phq9" and esc["score"] == 2 and esc["status"] == "open"
    assert esc["org"] == "acme" and esc["unit"] == "plant-1" and esc["overdue"] is False and esc["claimed_by"] is None

    detail = client.get(f"/api/v1/escalations/{esc['id']}", headers=counsellor).json()
    assert [r["scale"] for r in detail["results"]] == ["phq9"] and detail["results"][0]["risk"] == "urgent"
    # what counsellors call it, from the scale file, in the queue, the result and the answers
    assert esc["scale_name"] == detail["results"][0]["scale_name"] == detail["answers"][0]["scale_name"] == "PHQ-9"
    items = detail["answers"][0]["items"]
    assert len(items) == 9 and items[8]["value"] == 1 and items[8]["number"] == 9
    assert items[8]["label"] == "好几天" and "死" in items[8]["text"]
    assert any(m["sender"] == "employee" for m in detail["transcript"])

    r = client.post(f"/api/v1/escalations/{esc['id']}/claim", headers=counsellor)
    assert r.status_code == 200 and r.json()["status"] == "claimed" and r.json()["claimed_by"] == "wang"
    last = _employee_history(client, sid, auth)[-1]["seq"]

    r = client.post(f"/api/v1/escalations/{esc['id']}/messages", json={"text": "你好，我是咨询师小王。"},
                    headers=counsellor)
    assert r.status_code == 201, r.text
    assert [m["sender"] for m in r.json()["messages"]] == ["system", "counsellor"]
    new = _employee_history(client, sid, auth, last)
    assert [(m["sender"], m["text"]) for m in new] == [
        ("system", "心理咨询师已加入对话。对方看不到你的身份信息。"), ("counsellor", "你好，我是咨询师小王。")]

    calls = len(fake.calls)
    assert say(client, sid, auth, text="谢谢你，我最近很难受") == []  # the counsellor answers, not the bot
    assert say(client, sid, auth, payload="/agree") == []
    assert len(fake.calls) == calls, "an employee message reached Rasa during handoff"
    chat = client.get(f"/api/v1/escalations/{esc['id']}/messages", params={"after_seq": new[-1]["seq"]},
                      headers=counsellor).json()["messages"]
    assert [(m["sender"], m["text"]) for m in chat][0] == ("employee", "谢谢你，我最近很难受")

    r = client.post(f"/api/v1/escalations/{esc['id']}/messages", json={"text": "second"}, headers=counsellor)
    assert [m["sender"] for m in r.json()["messages"]] == ["counsellor"]  # joined only once

    r = client.post(f"/api/v1/escalations/{esc['id']}/notes", json={"text": "约了明天电话"}, headers=counsellor)
    assert r.status_code == 201 and r.json()["text"] == "约了明天电话"
    r = client.post(f"/api/v1/escalations/{esc['id']}/resolve", json={"outcome": "contacted", "note": "已沟通"},
                    headers=counsellor)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "resolved" and r.json()["outcome"] == "contacted" and r.json()["resolved_at"]
    after = _employee_history(client, sid, auth, chat[-1]["seq"])
    assert after[-1]["sender"] == "system" and "心安助手" in after[-1]["text"]
    with session_scope() as db:
        s = db.get(EmployeeSession, sid)
        assert s is not None and s.handoff is False
        actions = [a.action for a in db.exec(select(AuditEvent).where(AuditEvent.target_id == esc["id"]))]
    assert "escalation.view" in actions and "escalation.claim" in actions and "escalation.resolve:contacted" in actions

    replies = say(client, sid, auth, text="你好")
    assert len(fake.calls) == calls + 1 and replies, "after resolve the conversation goes back to Rasa"
    detail = client.get(f"/api/v1/escalations/{esc['id']}", headers=counsellor).json()
    assert [n["text"] for n in detail["notes"]] == ["约了明天电话", "已沟通"]
    assert client.get("/api/v1/escalations", headers=counsellor).json()["escalations"] == []
    assert client.post(f"/api/v1/escalations/{esc['id']}/messages", json={"text": "x"},
                       headers=counsellor).status_code == 409


def test_release_returns_the_conversation_to_the_bot(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Released, an urgent case is open again: the bot answers as part of the crisis episode (never Rasa's menu)
    until a counsellor resolves it."""
    client, fake = app_client
    counsellor = staff(client, "li", "counsellor")
    esc_id, sid, auth = crisis_escalation(client, counsellor)
    assert client.post(f"/api/v1/escalations/{esc_id}/claim", headers=counsellor).status_code == 200
    client.post(f"/api/v1/escalations/{esc_id}/messages", json={"text": "我在"}, headers=counsellor)
    r = client.post(f"/api/v1/escalations/{esc_id}/release", headers=counsellor)
    assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["claimed_by"] is None
    assert r.json()["handoff"] is False
    assert _employee_history(client, sid, auth)[-1]["sender"] == "system"
    calls = len(fake.calls)
    msgs = say(client, sid, auth, text="你好")
    assert len(fake.calls) == calls and [m["kind"] for m in msgs] == ["crisis"]
    assert "咨询师已经收到通知" in msgs[0]["text"]


def test_withdrawn_escalation_is_handled_gracefully(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    counsellor = staff(client, "zhao", "counsellor")
    esc_id, sid, auth = crisis_escalation(client, counsellor)
    assert client.post(f"/api/v1/escalations/{esc_id}/claim", headers=counsellor).status_code == 200
    assert client.delete(f"/api/v1/sessions/{sid}", headers=auth).status_code == 204

    detail = client.get(f"/api/v1/escalations/{esc_id}", headers=counsellor)
    assert detail.status_code == 200
    d = detail.json()
    assert d["status"] == "withdrawn" and d["transcript"] == [] and d["results"] == [] and d["answers"] == []
    assert client.get(f"/api/v1/escalations/{esc_id}/messages", headers=counsellor).json() == {"messages": []}
    assert client.post(f"/api/v1/escalations/{esc_id}/messages", json={"text": "在吗"},
                       headers=counsellor).status_code == 410
    assert client.post(f"/api/v1/escalations/{esc_id}/claim", headers=counsellor).status_code == 409
    active = client.get("/api/v1/escalations", headers=counsellor).json()["escalations"]
    assert [e["id"] for e in active] == [esc_id]
    r = client.post(f"/api/v1/escalations/{esc_id}/resolve", json={"outcome": "no_response"}, headers=counsellor)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn" and r.json()["outcome"] == "no_response"
    assert client.get("/api/v1/escalations", headers=counsellor).json()["escalations"] == []
