"""A service network on top of the security world (world.py), for the scope tests: two county centres under a city
centre, a station under county X, orgs served by X's station and by county Y, an org with no centre, and staff of
every role and scope. SEES is written out by hand, independent of app/network/scope.py, so the tests check it."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.db import session_scope
from app.escalations.models import Escalation
from app.escalations.opening import open_escalation
from app.network.models import Centre
from app.reports.models import Org, Unit
from app.runtime import get_runtime
from app.sessions.models import EmployeeSession
from app.staff.models import StaffUser
from app.staff.service import create_user, issue_token
from app.timeutil import utcnow
from tests.conftest import PG, fresh_pg_database
from tests.security.world import PASSWORD, World, running_app

CENTRES = [("n-city", None), ("n-county-x", "n-city"), ("n-station-x", "n-county-x"), ("n-county-y", "n-city"),
           ("n-county-z", "n-city")]  # z serves nobody: a transfer target
ORGS = {"n-org-x": "n-station-x", "n-org-y": "n-county-y", "n-org-free": None}
NET_STAFF: dict[str, tuple[str, dict[str, str]]] = {
    "c_x": ("counsellor", {"centre": "n-county-x"}),
    "c_station": ("counsellor", {"centre": "n-station-x"}),
    "c_y": ("counsellor", {"centre": "n-county-y"}),
    "c_root": ("counsellor", {"centre": "n-city"}),
    "ca_x": ("admin", {"centre": "n-county-x"}),
    "padmin": ("admin", {}),
    "hr_x": ("hr", {"org": "n-org-x"}),
    "hr_y": ("hr", {"org": "n-org-y"}),
    "oa_x": ("org_admin", {"org": "n-org-x"}),
    "oa_y": ("org_admin", {"org": "n-org-y"}),
    "c_none": ("counsellor", {}),
}
ORG_ROLES = ("hr", "org_admin")  # refused every escalation route by role (403), whatever the object
# where an escalation comes from: a session opened with this org (None: no org; "n-nowhere": nobody registered it)
# "t": a case of org X transferred to county Y (held there now: app/network/referrals.py)
OBJECTS = {"x": "n-org-x", "y": "n-org-y", "free": "n-org-free", "unknown": "n-nowhere", "none": None,
           "t": "n-org-x"}
HELD_BY = {"t": "n-county-y"}
# the centre holding each object's case: the org's centre, or for an unserved one the oldest root — the security
# world's own "city", made before this network (every root sees unserved cases all the same)
HOLDER = {"x": "n-station-x", "y": "n-county-y", "free": "city", "unknown": "city", "none": "city",
          "t": "n-county-y"}
ALL = frozenset(OBJECTS)
SEES: dict[str, frozenset[str]] = {
    "c_x": frozenset({"x", "t"}), "c_station": frozenset({"x", "t"}), "c_y": frozenset({"y", "t"}), "c_root": ALL,
    "ca_x": frozenset({"x", "t"}), "padmin": ALL, "hr_x": frozenset(), "hr_y": frozenset(), "oa_x": frozenset(),
    "oa_y": frozenset(), "c_none": frozenset(),
}
# the orgs (as OBJECTS keys) whose data each account reads or manages: reports, units, posters, campaigns, org staff
ORG_SEES: dict[str, frozenset[str]] = {
    "padmin": frozenset({"x", "y", "free"}), "ca_x": frozenset({"x"}), "hr_x": frozenset({"x"}),
    "oa_x": frozenset({"x"}), "hr_y": frozenset({"y"}), "oa_y": frozenset({"y"}),
}


@dataclass
class Net:
    world: World
    ids: dict[str, int]

    def user(self, name: str) -> StaffUser:
        with session_scope() as db:
            user = db.get(StaffUser, self.ids[name])
            assert user is not None
            return user

    def headers(self, name: str) -> dict[str, str]:
        with session_scope() as db:
            user = db.get(StaffUser, self.ids[name])
            assert user is not None
            return {"Authorization": f"Bearer {issue_token(db, self.world.settings, get_runtime().pepper, user)}"}

    def escalation(self, obj: str, holder: str | None = None,
                   reason: str = "employee asked to talk to a counsellor") -> str:
        """An escalation of a real employee session opened with the object's org (and a unit of it)."""
        body: dict[str, str] = {"locale": "en"}
        registered = OBJECTS[obj] in ORGS
        if registered:
            body |= {"org": str(OBJECTS[obj]), "unit": f"{OBJECTS[obj]}-u"}
        r = self.world.client.post("/api/v1/sessions", json=body)
        assert r.status_code == 201, r.text
        with session_scope() as db:
            s = db.get(EmployeeSession, r.json()["session_id"])
            assert s is not None
            if not registered and OBJECTS[obj] is not None:  # a session from before links had to be registered
                s.org, s.unit = OBJECTS[obj], f"{OBJECTS[obj]}-u"
                db.add(s)
            esc, _ = open_escalation(db, self.world.settings, s, source="request", priority="routine", reason=reason)
            if obj in HELD_BY:
                esc.holding_centre_id = HELD_BY[obj]
                db.add(esc)
            if holder is not None:
                esc.status, esc.claimed_by_id, esc.claimed_at = "claimed", self.ids[holder], utcnow()
                db.add(esc)
            return esc.id

    def row(self, escalation_id: str) -> Escalation:
        with session_scope() as db:
            esc = db.get(Escalation, escalation_id)
            assert esc is not None
            return esc


def build(world: World) -> Net:
    ids: dict[str, int] = {}
    with session_scope() as db:
        for cid, parent in CENTRES:
            db.add(Centre(id=cid, name=cid, parent_id=parent))
            db.flush()
        for oid, centre in ORGS.items():
            db.add(Org(id=oid, name=f"Name of {oid}", centre_id=centre))
            db.flush()
            db.add(Unit(id=f"{oid}-u", org_id=oid, name=f"Unit of {oid}", headcount=100))
        for name, (role, scope) in NET_STAFF.items():
            ids[name] = int(create_user(db, username=name, password=PASSWORD, role=role, **scope).id or 0)
    return Net(world, ids)


@contextmanager
def network_app(tmp: Path, store: str) -> Iterator[Net]:
    """The security world with the network, on SQLite or on a fresh PostgreSQL database."""
    if store == "sqlite":
        with running_app(tmp) as world:
            yield build(world)
        return
    if not PG:
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    with fresh_pg_database("xinan_scope") as (url, _), running_app(tmp, database_url=url) as world:
        yield build(world)
