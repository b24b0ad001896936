"""Faults around a turn, on the real stack (Rasa 3.6.21 + the app as processes) with a TCP proxy between the app and
Rasa: Rasa slower than the app's timeout, the app SIGKILLed after the answer is stored but before it replies, Rasa
killed mid-turn. Each time the employee gets a clear reply or a 503 with resources, the store holds each answer
exactly once, and the conversation goes on (same client_msg_id resent, then the next answer)."""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.config import ROOT, Settings
from scripts.devstack import Stack
from tests.conftest import OUTPUT, free_port
from tests.conversation.live_client import Employee
from tests.security.proxy import FaultProxy

pytestmark = pytest.mark.rasa
ANSWERS = ("SELECT a.item_index, a.value FROM answer a JOIN assessment s ON s.id = a.assessment_id"
           " WHERE s.session_id = :sid ORDER BY a.item_index")
ESCALATIONS = "SELECT count(*) FROM escalation WHERE session_id = :sid"


class Faulty:
    def __init__(self, stack: Stack, proxy: FaultProxy) -> None:
        self.stack, self.proxy = stack, proxy
        self.engine = create_engine(stack.settings.sqlalchemy_url)

    def answers(self, sid: str) -> list[tuple[int, int]]:
        """(item_index, value) of every stored answer of the session's questionnaires."""
        with self.engine.connect() as c:
            rows = c.execute(text(ANSWERS), {"sid": sid})
            return [(int(r[0]), int(r[1])) for r in rows]

    def escalations(self, sid: str) -> int:
        with self.engine.connect() as c:
            return int(c.execute(text(ESCALATIONS), {"sid": sid}).one()[0])

    def questionnaire(self) -> Employee:
        emp = Employee(self.stack.app_url)
        emp.send(payload="/agree")
        emp.tap("GAD-7")
        assert emp.progress == {"scale": "gad7", "answered": 0, "total": 7}, emp.text
        emp.send(text="好几天")
        assert emp.status == 200 and emp.progress and emp.progress["answered"] == 1, emp.text
        return emp


def post(emp: Employee, cid: str, words: str, timeout: float = 60) -> httpx.Response:
    return emp.http.post(f"/api/v1/sessions/{emp.sid}/messages", json={"text": words, "client_msg_id": cid},
                         headers=emp.auth, timeout=timeout)


def answered(messages: list[dict[str, Any]]) -> int | None:
    return next((m["progress"]["answered"] for m in reversed(messages) if m.get("progress")), None)


def assert_clear_or_503(r: httpx.Response) -> None:
    assert r.status_code in (200, 503), r.text
    msgs = r.json()["messages"]
    assert msgs, "an empty reply"
    if r.status_code == 503:
        assert any(m.get("card") and m["card"].get("type") == "resources" for m in msgs), msgs


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faulty]:
    data = tmp_path_factory.mktemp("faults")
    settings = Settings(data_dir=data / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    rasa_port = free_port()
    proxy = FaultProxy(rasa_port)
    stack = Stack(settings, app_port=free_port(), rasa_port=rasa_port, log_dir=OUTPUT / "logs" / "faults",
                  extra_env={"XINAN_RASA_URL": proxy.url})
    stack.start_rasa()
    stack.start_app()
    try:
        stack.wait_ready(timeout=240)
        yield Faulty(stack, proxy)
    finally:
        stack.stop()
        proxy.close()


def test_rasa_answering_after_the_timeout_records_a_typed_answer_once(faulty: Faulty) -> None:
    """Rasa's action stores the answer, its reply to the app comes after 10 s (timeout 8 s). The app finds the
    replies the action stored with the answer; a resend of the same message records nothing twice."""
    emp = faulty.questionnaire()
    faulty.proxy.delay_response = 10
    cid = uuid.uuid4().hex
    start = time.monotonic()
    r = post(emp, cid, "有几天")
    assert time.monotonic() - start < 10, "the app waited for Rasa longer than its timeout"
    faulty.proxy.reset()
    assert_clear_or_503(r)
    assert faulty.answers(emp.sid) == [(0, 1), (1, 1)]
    again = post(emp, cid, "有几天")
    assert again.status_code == 200 and answered(again.json()["messages"]) == 2, again.text
    assert faulty.answers(emp.sid) == [(0, 1), (1, 1)], "a resent typed answer was recorded for the next item"
    if r.status_code == 200:
        assert [m["id"] for m in again.json()["messages"]] == [m["id"] for m in r.json()["messages"]]
    emp.send(text="几乎每天")
    assert emp.status == 200 and emp.progress and emp.progress["answered"] == 3
    assert faulty.answers(emp.sid) == [(0, 1), (1, 1), (2, 3)]


def test_app_killed_after_storing_the_answer_before_replying(faulty: Faulty) -> None:
    emp = faulty.questionnaire()
    faulty.proxy.delay_response = 5
    cid = uuid.uuid4().hex
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            outcome["response"] = post(emp, cid, "一半以上的日子")
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    t = threading.Thread(target=send)
    t.start()
    deadline = time.monotonic() + 30
    while len(faulty.answers(emp.sid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert faulty.answers(emp.sid) == [(0, 1), (1, 2)], "the action did not store the answer"
    faulty.stack.kill("app")  # SIGKILL: the answer is committed, Rasa's reply is still in the proxy
    t.join(30)
    assert "error" in outcome, outcome
    faulty.proxy.reset()
    faulty.stack.start_app()
    faulty.stack.wait_ready(timeout=60)
    again = post(emp, cid, "一半以上的日子")
    assert again.status_code == 200, again.text
    assert answered(again.json()["messages"]) == 2, again.text
    assert faulty.answers(emp.sid) == [(0, 1), (1, 2)]
    emp.send(text="完全不会")
    assert emp.status == 200 and faulty.answers(emp.sid) == [(0, 1), (1, 2), (2, 0)]


def test_rasa_killed_mid_turn(faulty: Faulty) -> None:
    emp = faulty.questionnaire()
    faulty.proxy.hold.set()
    cid = uuid.uuid4().hex
    outcome: dict[str, Any] = {}
    t = threading.Thread(target=lambda: outcome.setdefault("response", post(emp, cid, "几乎每天")))
    t.start()
    assert faulty.proxy.seen.wait(30)
    faulty.stack.kill("rasa")
    faulty.proxy.release.set()
    t.join(60)
    r = outcome["response"]
    assert r.status_code == 503, r.text
    assert_clear_or_503(r)
    assert faulty.answers(emp.sid) == [(0, 1)], "an answer was stored although Rasa never ran"
    faulty.proxy.reset()
    faulty.stack.start_rasa()
    faulty.stack.wait_ready(timeout=240)
    again = post(emp, cid, "几乎每天")
    assert again.status_code == 200 and answered(again.json()["messages"]) == 2, again.text
    assert faulty.answers(emp.sid) == [(0, 1), (1, 3)]
    emp.send(text="我不想活了")  # the crisis screen still works after the fault, and opens one escalation
    assert emp.status == 200 and faulty.escalations(emp.sid) == 1
    assert any(m.get("card") and m["card"]["type"] == "resources" for m in emp.last)


def test_readyz_answers_within_two_seconds_while_rasa_is_frozen(faulty: Faulty) -> None:
    """SIGSTOP on the real Rasa (its sockets stay open, nothing answers): the readiness check says 503 in under
    2 s, not after the 8 s turn timeout, so a load balancer probing with a 2 s timeout sees a clear answer."""
    import os
    import signal

    rasa = faulty.stack.procs["rasa"]
    assert httpx.get(f"{faulty.stack.app_url}/readyz", timeout=10).status_code == 200
    os.killpg(rasa.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        r = httpx.get(f"{faulty.stack.app_url}/readyz", timeout=5)
        took = time.monotonic() - start
    finally:
        os.killpg(rasa.pid, signal.SIGCONT)
    assert r.status_code == 503 and "rasa" in r.json()["missing"], r.text
    assert took < 2.0, f"/readyz took {took:.1f} s"
    faulty.stack.wait_ready(timeout=60)
