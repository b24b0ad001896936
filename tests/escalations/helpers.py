"""Helpers for the counsellor tests: staff accounts, employees, and escalations made the way the app makes them."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from app.db import session_scope
from app.escalations.models import PRIORITY_RANK, Escalation
from app.network.models import Centre
from app.sessions.tokens import new_id
from app.staff.service import create_user
from app.timeutil import utcnow
from tests.network.helpers import WORLD_LINK, register_links

PASSWORD = "correct-horse-9"


ROOT_CENTRE = "city"  # a top centre: its counsellors see every unserved escalation (app/network/scope.py)


def ensure_centre(centre_id: str = ROOT_CENTRE, parent: str | None = None) -> str:
    with session_scope() as db:
        if db.get(Centre, centre_id) is None:
            db.add(Centre(id=centre_id, name=centre_id, parent_id=parent))
    return centre_id


def make_staff(username: str, role: str, *, centre: str | None = None, org: str | None = None) -> None:
    """A counsellor without a named centre belongs to the root centre, which sees the tests' unserved cases."""
    if role == "counsellor" and centre is None:
        centre = ensure_centre()
    with session_scope() as db:
        create_user(db, username=username, password=PASSWORD, role=role, centre=centre, org=org)


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def staff(client: TestClient, username: str, role: str = "counsellor") -> dict[str, str]:
    make_staff(username, role)
    return login(client, username)


def employee(client: TestClient, locale: str = "zh-CN") -> tuple[str, dict[str, str]]:
    register_links(None, *WORLD_LINK)  # the in-process app's store
    r = client.post("/api/v1/sessions", json={"locale": locale, "org": "acme", "unit": "plant-1"})
    assert r.status_code == 201, r.text
    return r.json()["session_id"], {"Authorization": f"Bearer {r.json()['token']}"}


def say(client: TestClient, sid: str, auth: dict[str, str], **body: str) -> list[dict]:
    body.setdefault("client_msg_id", uuid.uuid4().hex)
    r = client.post(f"/api/v1/sessions/{sid}/messages", json=body, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["messages"]


def crisis_escalation(client: TestClient, counsellor: dict[str, str]) -> tuple[str, str, dict[str, str]]:
    """An employee writes crisis language: the app's crisis screen opens an urgent escalation."""
    sid, auth = employee(client)
    say(client, sid, auth, payload="/agree")
    say(client, sid, auth, text="我不想活了")
    escs = client.get("/api/v1/escalations", headers=counsellor).json()["escalations"]
    ours = [e for e in escs if e["source"] == "crisis_decision" and e["status"] == "open"]
    assert ours, escs
    return ours[-1]["id"], sid, auth


def seed(priority: str, *, age_minutes: float = 0, due_in_minutes: float = 60, reason: str = "seeded",
         status: str = "open", org: str | None = None, unit: str | None = None) -> str:
    """A bare escalation row (no employee session), for ordering and race tests."""
    now = utcnow()
    created: datetime = now - timedelta(minutes=age_minutes)
    esc = Escalation(id=new_id(), source="risk_rule", priority=priority, priority_rank=PRIORITY_RANK[priority],
                     reason=reason, status=status, org=org, unit=unit, created_at=created,
                     due_at=now + timedelta(minutes=due_in_minutes))
    with session_scope() as db:
        db.add(esc)
    return esc.id
