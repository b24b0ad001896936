"""The console's live feed (SSE): an event when an escalation opens or changes, and one for the claimant when the
employee writes during handoff; the token may come as ?access_token= because EventSource sends no headers."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import session_scope
from app.escalations import live
from app.staff.models import StaffUser
from tests.escalations.helpers import crisis_escalation, employee, say, staff
from tests.fakes import FakeRasa


def _events(client: TestClient, token: str, action: Callable[[], None], want: Callable[[list], bool],
            timeout: float = 20.0) -> list[tuple[str, dict]]:
    """Open the stream, run `action` in another thread once connected, collect events until `want` is satisfied.
    The action's thread is joined before returning: a request still in flight when the test client shuts down its
    portal would hang the fixture's teardown."""
    events: list[tuple[str, dict]] = []
    started = time.monotonic()
    worker = threading.Thread(target=action, daemon=True)
    with client.stream("GET", "/api/v1/escalations/stream", params={"access_token": token}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                events.append((name, json.loads(line[6:])))
                if name == "hello":
                    worker.start()
                name = None
            if want(events) or time.monotonic() - started > timeout:
                break
    if worker.is_alive():
        worker.join(timeout)
    assert not worker.is_alive(), "the action did not finish"
    return events


def test_a_new_escalation_is_pushed_to_the_console(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    counsellor = staff(client, "live1")
    token = counsellor["Authorization"][7:]

    def employee_in_crisis() -> None:
        sid, auth = employee(client)
        say(client, sid, auth, text="I want to kill myself")

    events = _events(client, token, employee_in_crisis, lambda ev: any(n == "escalation" for n, _ in ev))
    names = [n for n, _ in events]
    assert names[0] == "hello" and "escalation" in names, events
    esc = next(d for n, d in events if n == "escalation")
    assert esc["priority"] == "urgent" and esc["status"] == "open" and esc["source"] == "crisis_decision"


def test_the_claimant_hears_the_employee(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    counsellor = staff(client, "live2")
    esc_id, sid, auth = crisis_escalation(client, counsellor)
    client.post(f"/api/v1/escalations/{esc_id}/claim", headers=counsellor)
    client.post(f"/api/v1/escalations/{esc_id}/messages", json={"text": "我在"}, headers=counsellor)

    events = _events(client, counsellor["Authorization"][7:], lambda: say(client, sid, auth, text="谢谢"),
                     lambda ev: any(n == "message" for n, _ in ev))
    assert ("message", {"escalation_id": esc_id}) in events

    staff(client, "bystander")
    with session_scope() as db:  # another counsellor is not told about a conversation they do not hold
        holder, other = (db.exec(select(StaffUser).where(StaffUser.username == name)).one()
                         for name in ("live2", "bystander"))
    assert live._render(other, [("session", sid)]) == []
    assert [e.event for e in live._render(holder, [("session", sid)])] == ["message"]


def test_stream_refuses_hr_and_bad_tokens(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    hr = staff(client, "hr-live", "hr")
    assert client.get("/api/v1/escalations/stream").status_code == 401
    assert client.get("/api/v1/escalations/stream", params={"access_token": "forged"}).status_code == 401
    assert client.get("/api/v1/escalations/stream", params={"access_token": hr["Authorization"][7:]}).status_code == 403
    assert client.get("/api/v1/escalations/stream", headers=hr).status_code == 403


def test_logout_ends_the_live_feed_within_a_second(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Not at the next periodic re-check (20 s): the logout itself tells the feeds opened with that token."""
    client, _ = app_client
    counsellor = staff(client, "live3")
    at: dict[str, float] = {}

    def log_out() -> None:
        at["logout"] = time.monotonic()
        assert client.post("/api/v1/auth/logout", headers=counsellor).status_code == 204

    events = _events(client, counsellor["Authorization"][7:], log_out,
                     lambda ev: any(n == "logout" for n, _ in ev), timeout=30)
    ended = time.monotonic()
    assert [n for n, _ in events] == ["hello", "logout"], events
    assert ended - at["logout"] < 1.0, f"the feed ended {ended - at['logout']:.1f} s after logout"
