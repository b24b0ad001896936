"""A small world for campaign tests: two orgs served by two centres, units with headcounts, and staff of each role."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.db import session_scope
from app.network.models import Centre
from app.reports import orgs
from app.staff.service import create_user
from app.timeutil import utcnow

PASSWORD = "a long campaign password"
UNITS = {"acme": {"plant-1": 400, "plant-2": 60, "tiny": 6}, "globex": {"g-1": 80}}


def seed() -> None:
    with session_scope() as db:
        db.add(Centre(id="city", name="City"))
        db.add(Centre(id="east", name="East", parent_id="city"))
        db.add(Centre(id="west", name="West", parent_id="city"))
        db.flush()
        for org, centre in (("acme", "east"), ("globex", "west")):
            orgs.create_org(db, org, org.title(), centre)
            for unit, headcount in UNITS[org].items():
                orgs.create_unit(db, org, unit, f"Unit {unit}", None, headcount)
        create_user(db, username="hr-acme", password=PASSWORD, role="hr", org="acme")
        create_user(db, username="hr-globex", password=PASSWORD, role="hr", org="globex")
        create_user(db, username="east-admin", password=PASSWORD, role="admin", centre="east")
        create_user(db, username="west-admin", password=PASSWORD, role="admin", centre="west")
        create_user(db, username="counsellor", password=PASSWORD, role="counsellor", centre="east")


def auth(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def today() -> date:
    """Today in the serving centres' timezone (Asia/Shanghai, the default): the day campaign links check."""
    from zoneinfo import ZoneInfo
    return utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()


def body(**over: Any) -> dict[str, Any]:
    b: dict[str, Any] = {"name": "2026 年度心理普查", "scales": ["phq9", "gad7"], "units": ["plant-1", "plant-2"],
                         "opens_on": str(today() - timedelta(days=1)), "closes_on": str(today() + timedelta(days=20)),
                         "message": "请在月底前完成"}
    b.update(over)
    return b


def create(client: TestClient, headers: dict[str, str], org: str = "acme", **over: Any) -> dict[str, Any]:
    r = client.post(f"/api/v1/orgs/{org}/campaigns", json=body(**over), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()
