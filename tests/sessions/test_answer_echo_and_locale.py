"""Issue 25: a recorded answer is echoed ("记下了：好几天") and reported as `answered` (typed or tapped), and a
conversation switches language in place (PATCH /sessions/{id}) instead of starting over with consent."""
from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.fakes import FakeRasa


def _start(client: TestClient, locale: str = "zh-CN") -> tuple[str, dict[str, str]]:
    j = client.post("/api/v1/sessions", json={"locale": locale}).json()
    return j["session_id"], {"Authorization": f"Bearer {j['token']}"}


def _send(client: TestClient, sid: str, auth: dict[str, str], **body: str) -> list[dict]:
    r = client.post(f"/api/v1/sessions/{sid}/messages", json={**body, "client_msg_id": uuid.uuid4().hex},
                    headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["messages"]


def _gad7(client: TestClient, locale: str = "zh-CN") -> tuple[str, dict[str, str]]:
    sid, auth = _start(client, locale)
    _send(client, sid, auth, payload="/agree")
    _send(client, sid, auth, payload='/request_scale{"scale":"gad7"}')
    return sid, auth


def test_typed_answer_is_echoed_and_reported(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth = _gad7(client)
    msgs = _send(client, sid, auth, text="有那么几天吧")
    assert msgs[0]["text"].startswith("记下了：好几天\n") and "第 2/7 题" in msgs[0]["text"]
    assert msgs[0]["answered"] == {"scale": "gad7", "item": 1, "value": 1, "label": "好几天", "option": "gad7:1:1"}
    msgs = _send(client, sid, auth, text="差不多天天都这样")
    assert msgs[0]["answered"]["item"] == 2 and msgs[0]["answered"]["value"] == 3
    assert msgs[0]["text"].startswith("记下了：几乎每天")
    history = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    stored = [m["answered"] for m in history if m.get("answered")]
    assert [a["option"] for a in stored] == ["gad7:1:1", "gad7:2:3"]  # a reload can mark the buttons too
    assert all(m.get("answered") is None for m in history if m["sender"] != "bot")


def test_tapped_answer_in_english_and_the_last_item(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth = _gad7(client, "en")
    msgs = _send(client, sid, auth, payload='/answer{"option":"gad7:1:2"}')
    assert msgs[0]["text"].startswith("Noted: More than half the days\n")
    assert msgs[0]["answered"]["label"] == "More than half the days"
    for n in range(2, 8):
        msgs = _send(client, sid, auth, payload=f'/answer{{"option":"gad7:{n}:0"}}')
    assert msgs[0]["card"]["type"] == "result"  # the result comes first, not an echo
    assert msgs[0]["answered"]["option"] == "gad7:7:0"
    assert all(not m.get("answered") for m in msgs[1:])


def test_non_answers_carry_no_answered(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth = _gad7(client)
    msgs = _send(client, sid, auth, text="上一题")
    assert all(m.get("answered") is None for m in msgs) and not msgs[-1]["text"].startswith("记下了")


def test_switch_language_keeps_the_conversation_and_reasks_the_item(
        app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth = _gad7(client)
    _send(client, sid, auth, payload='/answer{"option":"gad7:1:1"}')
    r = client.patch(f"/api/v1/sessions/{sid}", json={"locale": "en"}, headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["locale"] == "en" and len(body["messages"]) == 1
    item = body["messages"][0]
    assert "Question 2 of 7" in item["text"] and item["progress"]["answered"] == 1
    assert [b["title"] for b in item["buttons"]][0] == "Not at all"
    msgs = _send(client, sid, auth, text="nearly every day")  # what follows is in English, same questionnaire
    assert msgs[0]["text"].startswith("Noted: Nearly every day") and "Question 3 of 7" in msgs[0]["text"]
    history = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert sum("同意吗" in m["text"] for m in history) == 1  # consent was asked once, before the switch
    again = client.patch(f"/api/v1/sessions/{sid}", json={"locale": "en"}, headers=auth)
    assert again.status_code == 200 and again.json()["messages"] == []  # no change, nothing re-asked


def test_switch_before_consent_and_in_the_menu(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth = _start(client)
    r = client.patch(f"/api/v1/sessions/{sid}", json={"locale": "en"}, headers=auth)
    assert [b["title"] for b in r.json()["messages"][0]["buttons"]] == ["I agree", "I decline"]
    _send(client, sid, auth, payload="/agree")
    r = client.patch(f"/api/v1/sessions/{sid}", json={"locale": "zh-CN"}, headers=auth)
    titles = [b["title"] for b in r.json()["messages"][0]["buttons"]]
    assert any(t.startswith("GAD-7 · 焦虑") for t in titles), titles


def test_switch_refuses_bad_locale_and_bad_token(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth = _start(client)
    for bad in ({"locale": "fr"}, {"locale": ""}, {}, {"locale": "en", "org": "x"}, {"locale": None}):
        assert client.patch(f"/api/v1/sessions/{sid}", json=bad, headers=auth).status_code == 422, bad
    assert client.patch(f"/api/v1/sessions/{sid}", json={"locale": "en"}).status_code == 401
    other, _ = _start(client)
    assert client.patch(f"/api/v1/sessions/{other}", json={"locale": "en"}, headers=auth).status_code == 401
    assert client.patch("/api/v1/sessions/nope", json={"locale": "en"}, headers=auth).status_code in (401, 404)
    msgs = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert len(msgs) == 2 and "同意吗" in msgs[-1]["text"]  # nothing changed
