"""The employee API (API.md) against the real app, store and actions, with a fake Rasa for speed."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.fakes import FakeRasa
from tests.network.helpers import WORLD_LINK, register_links


def _start(client: TestClient, locale: str = "zh-CN") -> tuple[str, dict[str, str], list[dict]]:
    register_links(None, *WORLD_LINK)  # the in-process app's store
    r = client.post("/api/v1/sessions", json={"locale": locale, "org": "acme", "unit": "plant-1"})
    assert r.status_code == 201, r.text
    j = r.json()
    return j["session_id"], {"Authorization": f"Bearer {j['token']}"}, j["messages"]


def _send(client: TestClient, sid: str, auth: dict[str, str], **body: str) -> tuple[int, list[dict]]:
    body.setdefault("client_msg_id", uuid.uuid4().hex)
    r = client.post(f"/api/v1/sessions/{sid}/messages", json=body, headers=auth)
    return r.status_code, r.json().get("messages", []) if r.headers.get("content-type", "").startswith(
        "application/json") else []


def _buttons(msgs: list[dict]) -> list[dict]:
    return next((m["buttons"] for m in reversed(msgs) if m["buttons"]), [])


def test_gad7_by_buttons_scores_and_reports_progress(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth, msgs = _start(client)
    assert [b["title"] for b in _buttons(msgs)] == ["同意", "不同意"]
    _, msgs = _send(client, sid, auth, payload=_buttons(msgs)[0]["payload"])
    gad = [b for b in _buttons(msgs) if "GAD-7" in b["title"]]
    assert gad, _buttons(msgs)
    _, msgs = _send(client, sid, auth, payload=gad[0]["payload"])
    for i in range(7):
        prog = next(m["progress"] for m in reversed(msgs) if m["progress"])
        assert prog == {"scale": "gad7", "answered": i, "total": 7}
        opts = _buttons(msgs)
        assert [o["title"] for o in opts] == ["完全不会", "好几天", "一半以上的日子", "几乎每天"]
        status, msgs = _send(client, sid, auth, payload=opts[2]["payload"])
        assert status == 200
    card = next(m["card"] for m in msgs if m.get("card"))
    assert card["type"] == "result" and card["score"] == 14 and card["band"] == "moderate"
    assert "不是诊断" in " ".join(m["text"] for m in msgs)
    res = client.get(f"/api/v1/sessions/{sid}/results", headers=auth).json()["results"]
    assert res[-1]["scale"] == "gad7" and res[-1]["score"] == 14 and res[-1]["max_score"] == 21
    assert res[-1]["band"] == "moderate" and res[-1]["risk"] == "routine"


def test_free_text_answers_back_and_confirm(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth, _ = _start(client)
    _send(client, sid, auth, payload="/agree")
    _send(client, sid, auth, payload='/request_scale{"scale":"gad7"}')
    _, msgs = _send(client, sid, auth, text="差不多天天都这样")
    assert next(m["progress"] for m in reversed(msgs) if m["progress"])["answered"] == 1
    _, msgs = _send(client, sid, auth, text="不是每天")
    assert "确认" in msgs[0]["text"] and {b["title"] for b in msgs[0]["buttons"]} <= {"好几天", "一半以上的日子"}
    _, msgs = _send(client, sid, auth, payload=msgs[0]["buttons"][0]["payload"])
    assert next(m["progress"] for m in reversed(msgs) if m["progress"])["answered"] == 2
    _, msgs = _send(client, sid, auth, text="上一题")
    assert msgs[-1]["progress"]["answered"] == 1 and "第 2/7 题" in msgs[-1]["text"]


def test_idempotent_resend_and_history(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, fake = app_client
    sid, auth, _ = _start(client)
    first = client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": "/agree", "client_msg_id": "m1"},
                        headers=auth).json()
    calls = len(fake.calls)
    again = client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": "/agree", "client_msg_id": "m1"},
                        headers=auth).json()
    assert again == first and len(fake.calls) == calls
    hist = client.get(f"/api/v1/sessions/{sid}/messages", params={"after_seq": 0}, headers=auth).json()["messages"]
    seqs = [m["seq"] for m in hist]
    assert seqs == list(range(1, len(seqs) + 1))
    assert [m["sender"] for m in hist].count("employee") == 1
    assert next(m for m in hist if m["sender"] == "employee")["text"] == "同意"


def test_auth_limits_and_erase(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth, _ = _start(client)
    _, other, _ = _start(client)
    assert client.get(f"/api/v1/sessions/{sid}/messages", headers=other).status_code == 401
    assert client.get(f"/api/v1/sessions/{sid}/messages").status_code == 401
    assert client.get("/api/v1/sessions/nope/messages", headers=auth).status_code == 404
    for headers, status in ((other, 401), ({}, 401), ({"Authorization": "Bearer "}, 401)):  # the turn's own check
        assert client.post(f"/api/v1/sessions/{sid}/messages", json={"text": "hi"}, headers=headers).status_code == \
            status
    assert client.post("/api/v1/sessions/nope/messages", json={"text": "hi"}, headers=auth).status_code == 404
    assert client.post(f"/api/v1/sessions/{sid}/messages", json={"text": "x" * 2001}, headers=auth).status_code == 413
    assert client.post(f"/api/v1/sessions/{sid}/messages", json={"bogus": 1}, headers=auth).status_code == 422
    r = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth)
    assert r.headers["cache-control"] == "no-store"
    assert client.delete(f"/api/v1/sessions/{sid}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/sessions/{sid}/results", headers=auth).status_code == 410
    assert client.post(f"/api/v1/sessions/{sid}/messages", json={"text": "hi"}, headers=auth).status_code == 410


def test_rasa_down_gives_503_with_resources_and_keeps_the_message(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, fake = app_client
    sid, auth, _ = _start(client)
    fake.down = True
    r = client.post(f"/api/v1/sessions/{sid}/messages", json={"text": "你好", "client_msg_id": "x1"}, headers=auth)
    assert r.status_code == 503
    assert any("tel:" in str(m.get("card")) for m in r.json()["messages"])
    fake.down = False
    r = client.post(f"/api/v1/sessions/{sid}/messages", json={"text": "你好", "client_msg_id": "x1"}, headers=auth)
    assert r.status_code == 200
    hist = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in hist if m["sender"] == "employee"] == ["你好"]


def test_crisis_with_rasa_down_escalates_first_and_answers(app_client: tuple[TestClient, FakeRasa]) -> None:
    from sqlalchemy import select

    from app.db import session_scope
    from app.escalations.models import Escalation

    client, fake = app_client
    sid, auth, _ = _start(client)
    fake.down = True
    status, msgs = _send(client, sid, auth, text="我不想活了")
    assert status == 200 and msgs[0]["kind"] == "crisis" and "12356" in msgs[0]["text"]
    assert msgs[0]["text"].startswith("如果你现在有危险，请马上拨打 110 或 120")
    assert all(r["tel"].startswith("tel:") for r in msgs[0]["card"]["resources"])
    # The crisis episode: every message is answered as part of it, Rasa or not, never with the menu.
    for text in ("I want to end it all", "今天天气不错", "你好？有人在吗"):
        status, msgs = _send(client, sid, auth, text=text)
        assert status == 200 and [m["kind"] for m in msgs] == ["crisis"], msgs
        assert msgs[0]["card"]["type"] == "resources" and "110" in msgs[0]["text"]
        assert [b["payload"] for b in msgs[0]["buttons"]] == ["/grounding"]
    assert fake.calls == []
    with session_scope() as db:
        escs = db.exec(select(Escalation).where(Escalation.session_id == sid)).scalars().all()
    assert [(e.priority, e.source) for e in escs] == [("urgent", "crisis_decision")]
    hist = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    said = [m["text"] for m in hist if m["sender"] == "employee"]
    assert said == ["我不想活了", "I want to end it all", "今天天气不错", "你好？有人在吗"]


def test_a_denied_mention_is_never_escalated(app_client: tuple[TestClient, FakeRasa]) -> None:
    """"I never thought of suicide" is asked about directly or let be; "no" is thanked with the lines."""
    from sqlalchemy import func, select

    from app.db import session_scope
    from app.escalations.models import Escalation

    client, _ = app_client
    sid, auth, _ = _start(client)
    status, msgs = _send(client, sid, auth, text="我没有想过自杀")
    assert status == 200 and "crisis" not in [m["kind"] for m in msgs]
    if msgs[-1]["kind"] == "safety_question":
        status, msgs = _send(client, sid, auth, payload='/safety_answer{"answer":"no"}')
        assert status == 200 and "12356" in msgs[0]["text"] and msgs[0]["kind"] == "text"
    with session_scope() as db:
        n = db.exec(select(func.count()).select_from(Escalation).where(Escalation.session_id == sid)).scalar_one()
    assert n == 0


def test_per_session_rate_limit_is_429(app_client: tuple[TestClient, FakeRasa], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client, _ = app_client
    from app.runtime import get_runtime

    monkeypatch.setattr(get_runtime().settings, "session_rate_per_minute", 3)
    sid, auth, _ = _start(client)
    codes = [_send(client, sid, auth, text="你好")[0] for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def _strip_stored(fake: FakeRasa):  # type: ignore[no-untyped-def]
    """Rasa's reply without where the actions stored each reply (as from an action that does not say)."""
    async def handle(request: httpx.Request) -> httpx.Response:
        r = await fake.handle(request)
        items = json.loads(r.content)
        for item in items:
            (item.get("custom") or {}).get("xinan", {}).pop("message", None)
        return httpx.Response(r.status_code, json=items)
    return handle


@pytest.mark.parametrize("refs", ["sent back by the actions", "read back from the store"])
def test_each_turn_answers_exactly_what_was_stored(app_client: tuple[TestClient, FakeRasa], refs: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The replies a turn returns are the stored messages, field for field (id, seq, created_at, card, ...), whether
    the actions' reply carries where they stored them (then nothing is read back) or the turn reads them back."""
    from app.conversation import employee_turn as turns

    client, fake = app_client
    if refs == "sent back by the actions":
        monkeypatch.setattr(turns, "_answered", lambda *a: pytest.fail("read back although Rasa's reply said"))
    else:
        client.app.state.rasa.mount(httpx.MockTransport(_strip_stored(fake)))  # type: ignore[attr-defined]
    sid, auth, said = _start(client)
    turns = [{"payload": "/agree"}, {"payload": '/request_scale{"scale":"phq9"}'}, {"text": "好几天"},
             {"payload": '/safety_answer{"answer":"no"}'}, {"payload": "/resume"}]
    turns += [{"payload": f'/answer{{"option":"phq9:{i}:1"}}'} for i in range(1, 10)]
    for body in turns:
        status, msgs = _send(client, sid, auth, **body)
        assert status == 200, msgs
        said += msgs
    assert any(m["card"] and m["card"]["type"] == "result" for m in said)
    hist = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert said == [m for m in hist if m["sender"] != "employee"]


def test_consent_says_k_as_a_number(app_client: tuple[TestClient, FakeRasa], settings) -> None:  # type: ignore[no-untyped-def]
    client, _ = app_client
    k = settings.report_min_cell
    for locale, said in (("zh-CN", f"不少于 {k} 人"), ("en", f"at least {k} people")):
        _, _, opening = _start(client, locale)
        assert said in opening[-1]["text"]


@pytest.mark.parametrize(("words", "rasa_down"), [("清除我的数据", False), ("clear my data", True)])
def test_typed_clear_my_data_asks_first_and_keeping_goes_on(app_client: tuple[TestClient, FakeRasa], words: str,
                                                            rasa_down: bool) -> None:
    client, rasa = app_client
    sid, auth, _ = _start(client)
    _send(client, sid, auth, payload="/agree")
    rasa.down = rasa_down  # the app answers it before Rasa: it holds when Rasa is down
    status, msgs = _send(client, sid, auth, text=words)
    rasa.down = False
    assert status == 200 and msgs[-1]["kind"] == "erase_offer"
    assert [b["payload"] for b in msgs[-1]["buttons"]] == ["xinan:erase", "/show_menu"]
    status, msgs = _send(client, sid, auth, payload="/show_menu")  # "keep going": nothing is erased
    assert status == 200 and msgs[-1]["buttons"]
    _send(client, sid, auth, payload="/request_scale{\"scale\":\"gad7\"}")
    status, msgs = _send(client, sid, auth, text=words)  # mid-questionnaire, "keep going" re-asks the open item
    assert [b["payload"] for b in msgs[-1]["buttons"]] == ["xinan:erase", "/resume"]
    status, msgs = _send(client, sid, auth, payload="/resume")
    assert status == 200 and msgs[-1]["progress"]["scale"] == "gad7"
    history = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    assert any(m["text"] == words for m in history)


def test_asking_for_a_counsellor_says_when_and_what_meanwhile(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    for locale, when in (("zh-CN", "预计"), ("en", "within")):
        sid, auth, _ = _start(client, locale)
        _send(client, sid, auth, payload="/agree")
        status, msgs = _send(client, sid, auth, payload="/counsellor")
        assert status == 200
        reply = msgs[-1]
        assert when in reply["text"] and reply["card"]["type"] == "resources"
