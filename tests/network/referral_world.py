"""A small network for the referral tests: city (root) → county → station, and a sibling county "west"; the org
"acme" (unit "plant") served by the station; a counsellor in each centre, a county admin and the platform admin.
Escalations are raised the way the app raises them, at an injected time."""
from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import col, select

from app.db import session_scope
from app.escalations.models import Escalation
from app.escalations.opening import open_escalation
from app.network.models import Centre, Referral
from app.reports import orgs
from app.runtime import get_runtime
from app.sessions.models import EmployeeSession
from app.staff.models import StaffUser
from app.staff.service import create_user, issue_token

PASSWORD = "a long staff password"
CENTRES = [("city", None), ("county", "city"), ("station", "county"), ("west", "city")]
STAFF = {"c_station": ("counsellor", "station"), "c_county": ("counsellor", "county"),
         "c_city": ("counsellor", "city"), "c_west": ("counsellor", "west"), "a_county": ("admin", "county"),
         "a_west": ("admin", "west"), "padmin": ("admin", None)}
MONDAY_10_SHANGHAI = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 in Asia/Shanghai
SATURDAY_11_SHANGHAI = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
OFFICE_HOURS = {"always_open": False, "timezone": "Asia/Shanghai", "days": ["mon", "tue", "wed", "thu", "fri"],
                "opens_at": "09:00", "closes_at": "17:30"}
WINDOWS = {"urgent_minutes": 10, "high_minutes": 240, "routine_days": 3}


def build() -> None:
    with session_scope() as db:
        for cid, parent in CENTRES:
            db.add(Centre(id=cid, name=f"{cid.title()} centre", parent_id=parent))
            db.flush()
        orgs.create_org(db, "acme", "Acme", "station")
        orgs.create_unit(db, "acme", "plant", "Plant", None, 120)
        for name, (role, centre) in STAFF.items():
            create_user(db, username=name, password=PASSWORD, role=role, centre=centre)


def headers(name: str) -> dict[str, str]:
    with session_scope() as db:
        user = db.exec(select(StaffUser).where(StaffUser.username == name)).one()
        rt = get_runtime()
        return {"Authorization": f"Bearer {issue_token(db, rt.settings, rt.pepper, user)}"}


def raise_case(client: TestClient, priority: str, at: datetime) -> str:
    """An employee of acme (a real session) whose case is raised at `at`."""
    r = client.post("/api/v1/sessions", json={"locale": "en", "org": "acme", "unit": "plant"})
    assert r.status_code == 201, r.text
    with session_scope() as db:
        session = db.get(EmployeeSession, r.json()["session_id"])
        assert session is not None
        esc, _ = open_escalation(db, get_runtime().settings, session, source="request", priority=priority,
                                 reason="employee asked to talk to a counsellor", now=at)
        return esc.id


def row(escalation_id: str) -> Escalation:
    with session_scope() as db:
        esc = db.get(Escalation, escalation_id)
        assert esc is not None
        return esc


def moves(escalation_id: str) -> list[tuple[str | None, str | None, str]]:
    with session_scope() as db:
        stmt = (select(Referral).where(Referral.escalation_id == escalation_id)
                .order_by(col(Referral.created_at), col(Referral.id)))
        return [(r.from_centre_id, r.to_centre_id, r.reason) for r in db.exec(stmt)]


def set_hours(client: TestClient, centre: str, hours: dict, windows: dict | None = None) -> None:
    r = client.put(f"/api/v1/centres/{centre}/policy", headers=headers("padmin"),
                   json={"claim_windows": windows or WINDOWS, "service_hours": hours})
    assert r.status_code == 200, r.text
