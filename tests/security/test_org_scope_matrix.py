"""Org scope: every route over an org's data (units, QR codes, posters, campaigns, the org's staff accounts) × every
staff role and scope × an org inside and outside that scope, on SQLite and PostgreSQL. A role that may not use the
route is 403; outside the scope it is 404 (a body naming an org outside it: 422) and nothing changes. Lists and
reports hold exactly the orgs in scope. ORG_SEES (network_world.py) is written out by hand."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.campaigns.models import Campaign
from app.db import session_scope
from app.reports.models import Unit
from app.sessions.tokens import new_id
from app.staff.models import StaffUser
from app.staff.service import create_user
from tests.security.network_world import NET_STAFF, ORG_SEES, ORGS, Net, network_app
from tests.security.world import PASSWORD, unique

ORG_OF = {"x": "n-org-x", "y": "n-org-y", "free": "n-org-free"}
READERS = ("hr", "org_admin", "admin")
MANAGERS = ("org_admin", "admin")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def net(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    with network_app(tmp_path_factory.mktemp("orgscope"), request.param) as n:
        yield n


def _unit(org: str) -> str:
    unit_id = unique("unit")
    with session_scope() as db:
        db.add(Unit(id=unit_id, org_id=org, name="Unit", headcount=40))
    return unit_id


def _campaign(org: str) -> str:
    campaign_id = new_id()
    with session_scope() as db:
        db.add(Campaign(id=campaign_id, org_id=org, name="C", scales_json='["gad7"]',
                        units_json=f'["{org}-u"]', opens_on=date.today(), closes_on=date.today() + timedelta(days=7)))
    return campaign_id


def _share(org: str) -> str:
    """A live share link of a new campaign of the org: its revoke path."""
    from app.campaigns import shares
    from app.runtime import get_runtime

    campaign_id = _campaign(org)
    with session_scope() as db:
        c = db.get(Campaign, campaign_id)
        user = db.get(StaffUser, _hr(org))
        assert c is not None and user is not None
        share, _ = shares.create_share(db, get_runtime().pepper, c, user, None)
        return f"/api/v1/orgs/{org}/campaigns/{campaign_id}/shares/{share.id}"


def _hr(org: str) -> int:
    with session_scope() as db:
        return int(create_user(db, username=unique("hr"), password=PASSWORD, role="hr", org=org).id or 0)


@dataclass(frozen=True)
class Route:
    roles: tuple[str, ...]  # roles the route serves at all
    ok: int
    build: Callable[[str], dict[str, Any]]  # the org → the request
    outside: int = 404


def _day() -> str:
    return str(date.today() + timedelta(days=2))


ROUTES = {
    "units": Route(MANAGERS, 200, lambda o: {"method": "GET", "url": f"/api/v1/orgs/{o}/units"}),
    "new_unit": Route(MANAGERS, 201, lambda o: {"method": "POST", "url": f"/api/v1/orgs/{o}/units",
                                                "json": {"id": unique("u"), "name": "U", "headcount": 9}}),
    "rename": Route(MANAGERS, 200, lambda o: {"method": "PATCH", "url": f"/api/v1/orgs/{o}/units/{_unit(o)}",
                                              "json": {"name": "Renamed", "headcount": 77}}),
    "qr": Route(MANAGERS, 200, lambda o: {"method": "GET", "url": f"/api/v1/orgs/{o}/units/{_unit(o)}/qr.svg"}),
    "poster": Route(READERS, 200, lambda o: {"method": "GET", "url": f"/api/v1/orgs/{o}/units/{_unit(o)}/poster"}),
    "campaigns": Route(READERS, 200, lambda o: {"method": "GET", "url": f"/api/v1/orgs/{o}/campaigns"}),
    "new_campaign": Route(READERS, 201, lambda o: {"method": "POST", "url": f"/api/v1/orgs/{o}/campaigns", "json": {
        "name": "C", "scales": ["gad7"], "units": [f"{o}-u"], "opens_on": _day(), "closes_on": _day()}}),
    "campaign": Route(READERS, 200, lambda o: {"method": "GET", "url": f"/api/v1/orgs/{o}/campaigns/{_campaign(o)}"}),
    "participation": Route(READERS, 200, lambda o: {
        "method": "GET", "url": f"/api/v1/orgs/{o}/campaigns/{_campaign(o)}/participation"}),
    "shares": Route(READERS, 200, lambda o: {
        "method": "GET", "url": f"/api/v1/orgs/{o}/campaigns/{_campaign(o)}/shares"}),
    "new_share": Route(READERS, 201, lambda o: {
        "method": "POST", "url": f"/api/v1/orgs/{o}/campaigns/{_campaign(o)}/shares", "json": {"label": "L"}}),
    "revoke_share": Route(READERS, 204, lambda o: {"method": "DELETE", "url": _share(o)}),
    "new_staff": Route(MANAGERS, 201, lambda o: {"method": "POST", "url": "/api/v1/staff", "json": {
        "username": unique("s"), "role": "hr", "org": o}}, outside=422),
    "disable": Route(MANAGERS, 200, lambda o: {"method": "POST", "url": f"/api/v1/staff/{_hr(o)}/disable"}),
    "enable": Route(MANAGERS, 200, lambda o: {"method": "POST", "url": f"/api/v1/staff/{_hr(o)}/enable"}),
    "password": Route(MANAGERS, 200, lambda o: {"method": "POST", "url": f"/api/v1/staff/{_hr(o)}/password",
                                                "json": {}}),
    "scope": Route(MANAGERS, 200, lambda o: {"method": "PUT", "url": f"/api/v1/staff/{_hr(o)}/scope",
                                             "json": {"org": o}}),
}
CASES = [(r, who, obj) for r in ROUTES for who in NET_STAFF for obj in ORG_OF]


def expected(route: Route, who: str, obj: str) -> int:
    if NET_STAFF[who][0] not in route.roles:
        return 403  # says nothing about the org
    return route.ok if obj in ORG_SEES.get(who, frozenset()) else route.outside


def _staff_rows() -> list[tuple[int | None, str, str | None, bool, str]]:
    with session_scope() as db:
        return sorted((u.id, u.role, u.org_id, u.disabled, u.password_hash) for u in db.query(StaffUser))


@pytest.mark.parametrize(("route_name", "who", "obj"), CASES, ids=[f"{r}-{w}-{o}" for r, w, o in CASES])
def test_org_route_in_and_out_of_scope(net: Net, route_name: str, who: str, obj: str) -> None:
    route = ROUTES[route_name]
    request = route.build(ORG_OF[obj])
    before = _staff_rows()
    r = net.world.client.request(request.pop("method"), request.pop("url"), headers=net.headers(who), **request)
    want = expected(route, who, obj)
    assert r.status_code == want, f"{route_name} as {who} on {obj}: {r.status_code} {r.text[:200]}"
    if want in (403, 404, 422):
        assert _staff_rows() == before  # no account made, disabled, moved or given a new password
        assert f"Name of {ORG_OF[obj]}" not in r.text and "Renamed" not in r.text


@pytest.mark.parametrize("who", list(NET_STAFF))
def test_org_lists_and_reports_hold_exactly_the_scope(net: Net, who: str) -> None:
    role = NET_STAFF[who][0]
    headers = net.headers(who)
    listed = net.world.client.get("/api/v1/orgs", headers=headers)
    report = net.world.client.get("/api/v1/reports/summary", params={"scale": "gad7", "group_by": "org"},
                                  headers=headers)
    staff = net.world.client.get("/api/v1/staff", headers=headers)
    mine = {ORG_OF[o] for o in ORG_SEES.get(who, frozenset())}
    assert listed.status_code == (200 if role in MANAGERS else 403)
    if listed.status_code == 200 and who != "padmin":
        assert {o["id"] for o in listed.json()["orgs"]} == mine
    assert report.status_code == (200 if role in READERS else 403)
    if report.status_code == 200:
        assert all(org in mine or org not in report.text for org in ORGS)
    assert staff.status_code == (200 if role in MANAGERS else 403)
    if role == "org_admin":
        rows = staff.json()["staff"]
        assert rows and {(u["role"], u["org"], u["centre"]) for u in rows} <= {
            ("hr", org, None) for org in mine} | {("org_admin", org, None) for org in mine}
