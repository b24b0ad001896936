"""A running app for the security tests and bench/fuzz_api.py: the real app on a fresh SQLite store with the fake
Rasa, rate limits lifted (the fuzzer and the matrix would otherwise mostly meet 429), and the actors of the threat
model: employees of two sessions, two counsellors, HR, an org admin, an admin, a disabled account and an expired
token."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from app import config
from app import db as app_db
from app.config import ROOT, Settings
from app.db import session_scope
from app.escalations.models import Escalation
from app.escalations.opening import open_escalation
from app.network.models import Centre
from app.reports.models import Org
from app.runtime import get_runtime, set_runtime
from app.scales.registry import set_registry
from app.sessions.models import EmployeeSession
from app.staff.models import StaffToken, StaffUser
from app.staff.service import create_user, issue_token
from app.timeutil import utcnow
from tests.fakes import FakeRasa
from tests.network.helpers import WORLD_LINK, register_links

PASSWORD = "a long test password"
STAFF = {"counsellor_x": "counsellor", "counsellor_y": "counsellor", "hr": "hr", "org_admin": "org_admin",
         "admin": "admin", "disabled": "counsellor", "expired": "counsellor"}
ROLES = ("anonymous", "employee_a", "employee_b", "counsellor_x", "counsellor_y", "hr", "org_admin", "admin",
         "disabled", "expired")
UNLIMITED = {"client_rate_per_minute": 10**6, "session_rate_per_minute": 10**6, "login_attempts_per_minute": 10**6,
             "sessions_per_client_per_minute": 10**6, "sessions_per_unit_per_minute": 10**6}


@dataclass
class Objects:
    """Fresh objects for one request: sessions A and B with their tokens, and an escalation of A claimed by X."""

    session_a: str
    token_a: str
    session_b: str
    token_b: str
    escalation: str
    open_escalation: str


@dataclass
class World:
    app: FastAPI
    client: TestClient
    fake: FakeRasa
    settings: Settings
    user_ids: dict[str, int] = field(default_factory=dict)

    def login(self, username: str) -> str:
        """The real login route (OAuth2 password flow)."""
        r = self.client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])

    def staff_token(self, username: str) -> str:
        """A fresh server-side token (cheaper than a login: no argon2), so logout in one case spoils no other."""
        with session_scope() as db:
            user = db.get(StaffUser, self.user_ids[username])
            assert user is not None
            token = issue_token(db, self.settings, get_runtime().pepper, user)
            if username == "expired":
                db.flush()
                for row in db.exec(select(StaffToken).where(StaffToken.user_id == user.id)):
                    row.expires_at = utcnow() - timedelta(minutes=1)
                    db.add(row)
        return token

    def employee(self) -> tuple[str, str]:
        r = self.client.post("/api/v1/sessions", json={"org": "acme", "unit": "plant-1", "locale": "zh-CN"})
        assert r.status_code == 201, r.text
        return str(r.json()["session_id"]), str(r.json()["token"])

    def escalation(self, session_id: str, holder: str | None) -> str:
        with session_scope() as db:
            s = db.get(EmployeeSession, session_id)
            assert s is not None
            esc, _ = open_escalation(db, self.settings, s, source="request", priority="routine",
                                     reason="employee asked to talk to a counsellor")
            if holder is not None:
                esc.status, esc.claimed_by_id, esc.claimed_at = "claimed", self.user_ids[holder], utcnow()
                db.add(esc)
            return esc.id

    def objects(self) -> Objects:
        a, ta = self.employee()
        b, tb = self.employee()
        return Objects(a, ta, b, tb, self.escalation(a, "counsellor_x"), self.escalation(b, None))

    def headers(self, role: str, objs: Objects) -> dict[str, str]:
        token = {"anonymous": None, "employee_a": objs.token_a, "employee_b": objs.token_b}.get(role, "")
        if token == "":
            token = self.staff_token(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def escalation_rows(self) -> list[Escalation]:
        with session_scope() as db:
            return list(db.exec(select(Escalation)))


def _make_staff(world: World) -> None:
    """Counsellors belong to the root centre, which sees the world's escalations (their org "acme" has no centre);
    HR and the org admin belong to org "acme"."""
    with session_scope() as db:
        db.add(Centre(id="city", name="City centre"))
        db.add(Org(id="acme", name="Acme"))
        db.flush()
        for username, role in STAFF.items():
            scope = {"counsellor": {"centre": "city"}, "hr": {"org": "acme"},
                     "org_admin": {"org": "acme"}}.get(role, {})
            user = create_user(db, username=username, password=PASSWORD, role=role, **scope)
            world.user_ids[username] = int(user.id or 0)
    world.login("counsellor_x")  # the real route works for a live account...
    with session_scope() as db:
        user = db.get(StaffUser, world.user_ids["disabled"])
        assert user is not None
        user.disabled = True  # ...and its tokens are refused by resolve_token even though none was revoked
        db.add(user)


@contextmanager
def running_app(tmp: Path, **overrides: object) -> Iterator[World]:
    """The real app (create_app) on its own SQLite file, the fake Rasa mounted as the Rasa client's transport."""
    from app.main import create_app

    values: dict[str, object] = {"data_dir": tmp / "var", "rasa_models_dir": ROOT / "var" / "models",
                                 "database_url": f"sqlite:///{tmp / 'security.db'}", **UNLIMITED}
    values.update(overrides)
    settings = Settings(**values)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "get_settings", lambda: settings)
        mp.setattr(app_db, "get_settings", lambda: settings)
        app_db.get_engine.cache_clear()
        app = create_app(settings)
        fake = FakeRasa(app, get_runtime().pepper)
        app.state.rasa.mount(httpx.MockTransport(fake.handle))
        try:
            with TestClient(app) as client:
                world = World(app, client, fake, settings)
                _make_staff(world)
                register_links(None, *WORLD_LINK)
                yield world
        finally:
            app_db.get_engine().dispose()
            app_db.get_engine.cache_clear()
            set_runtime(None)
            set_registry(None)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
