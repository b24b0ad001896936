"""The authorization table: for every route of the app, what each actor gets (API.md "Staff", "Employee").

Each entry builds its request from fresh objects (sessions A and B, escalation E of session A claimed by counsellor
X, an open escalation of session B), so a route that changes state (logout, erase, resolve) spoils no other case.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.db import session_scope
from app.reports import orgs
from tests.security.world import ROLES, Objects, World, unique

NOT_LOGGED_IN = ("anonymous", "employee_a", "employee_b", "disabled", "expired")
STAFF_LIVE = ("counsellor_x", "counsellor_y", "hr", "org_admin", "admin")
Build = Callable[[World, Objects], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    expect: dict[str, int]  # role → status
    build: Build
    stream: bool = False  # server-sent events: only the status line is read


def public(status: int, build: Build) -> Rule:
    return Rule({r: status for r in ROLES}, build)


def staff(ok: dict[str, int], build: Build, stream: bool = False) -> Rule:
    """Not logged in (no token, an employee token, a disabled account, an expired token) → 401; wrong role → 403."""
    return Rule({r: ok.get(r, 401 if r in NOT_LOGGED_IN else 403) for r in ROLES}, build, stream)


def employee(status: int, build: Build) -> Rule:
    """Only session A's token: another session's token or none → 401 (API.md); a live staff token → 403."""
    expect = {r: 401 for r in ROLES} | {r: 403 for r in STAFF_LIVE} | {"employee_a": status}
    return Rule(expect, build)


def get(path: str, **kw: Any) -> Build:
    return lambda w, o: {"method": "GET", "url": path.format(o=o), **kw}


def post(path: str, **kw: Any) -> Build:
    return lambda w, o: {"method": "POST", "url": path.format(o=o), **kw}


POLICY = {"claim_windows": {"urgent_minutes": 10, "high_minutes": 240, "routine_days": 3},
          "service_hours": {"always_open": True, "timezone": "Asia/Shanghai", "opens_at": "09:00",
                            "closes_at": "17:30", "days": ["mon", "tue", "wed", "thu", "fri"]}}


def _org(w: World, o: Objects) -> tuple[str, str]:
    """A new unit of "acme", the org of the world's HR and org admin (another org's: test_org_scope_matrix.py)."""
    unit_id = unique("unit")
    with session_scope() as db:
        orgs.create_unit(db, "acme", unit_id, "Unit", None, 50)
    return "acme", unit_id


def _units(w: World, o: Objects) -> dict[str, Any]:
    return {"method": "GET", "url": f"/api/v1/orgs/{_org(w, o)[0]}/units"}


def _new_unit(w: World, o: Objects) -> dict[str, Any]:
    return {"method": "POST", "url": f"/api/v1/orgs/{_org(w, o)[0]}/units", "json": {"id": unique("u"), "name": "U"}}


def _qr(w: World, o: Objects) -> dict[str, Any]:
    org_id, unit_id = _org(w, o)
    return {"method": "GET", "url": f"/api/v1/orgs/{org_id}/units/{unit_id}/qr.svg"}


def _unit_patch(w: World, o: Objects) -> dict[str, Any]:
    org_id, unit_id = _org(w, o)
    return {"method": "PATCH", "url": f"/api/v1/orgs/{org_id}/units/{unit_id}", "json": {"headcount": 7}}


def _staff(action: str, method: str = "POST", **kw: Any) -> Build:
    """A fresh HR account of "acme", so disabling or resetting one spoils no other case (a counsellor as the
    target, and another org's: tests/staff/test_org_admin_staff.py, test_org_scope_matrix.py)."""
    def build(w: World, o: Objects) -> dict[str, Any]:
        from app.staff.service import create_user

        with session_scope() as db:
            user_id = create_user(db, username=unique("s"), password="a long test password", role="hr",
                                  org="acme").id
        return {"method": method, "url": f"/api/v1/staff/{user_id}/{action}", **kw}

    return build


def _poster(w: World, o: Objects) -> dict[str, Any]:
    return {"method": "GET", "url": f"/api/v1/orgs/acme/units/{_org(w, o)[1]}/poster"}


def _campaign(w: World, o: Objects) -> str:
    """An open campaign of "acme" over a new unit; its id."""
    from datetime import timedelta

    from app.campaigns.models import Campaign
    from app.campaigns.service import org_today
    from app.sessions.tokens import new_id

    unit_id, campaign_id = unique("unit"), new_id()
    with session_scope() as db:
        orgs.create_unit(db, "acme", unit_id, "Unit", None, 50)
        today = org_today(db, "acme")
        db.add(Campaign(id=campaign_id, org_id="acme", name="C", scales_json='["gad7"]', units_json=f'["{unit_id}"]',
                        opens_on=today, closes_on=today + timedelta(days=7)))
    return campaign_id


def _new_campaign(w: World, o: Objects) -> dict[str, Any]:
    from datetime import date, timedelta

    unit_id = unique("unit")
    with session_scope() as db:
        orgs.create_unit(db, "acme", unit_id, "Unit", None, 50)
    day = date.today() + timedelta(days=2)
    return {"method": "POST", "url": "/api/v1/orgs/acme/campaigns", "json": {
        "name": "C", "scales": ["gad7"], "units": [unit_id], "opens_on": str(day), "closes_on": str(day)}}


def _share(w: World, o: Objects) -> tuple[str, str, str]:
    """A live share link of a new open campaign of "acme": (campaign id, share id, token)."""
    from app.campaigns import shares
    from app.campaigns.models import Campaign
    from app.runtime import get_runtime
    from app.staff.models import StaffUser

    campaign_id = _campaign(w, o)
    with session_scope() as db:
        c, user = db.get(Campaign, campaign_id), db.query(StaffUser).filter_by(username="hr").one()
        assert c is not None
        share, token = shares.create_share(db, get_runtime().pepper, c, user, "leaders")
        return campaign_id, share.id, token


def _revoke(w: World, o: Objects) -> dict[str, Any]:
    campaign_id, share_id, _ = _share(w, o)
    return {"method": "DELETE", "url": f"{C}{campaign_id}/shares/{share_id}"}


def _shared(prefix: str, suffix: str = "") -> Build:
    return lambda w, o: {"method": "GET", "url": f"{prefix}{_share(w, o)[2]}{suffix}"}


C = "/api/v1/orgs/acme/campaigns/"
E = "/api/v1/escalations/{o.escalation}"
S = "/api/v1/sessions/{o.session_a}"
HOLDERS = {"counsellor_x": 200, "counsellor_y": 200, "admin": 200}
X_OR_ADMIN = {"counsellor_x": 200, "admin": 200}
ORG_READERS = {"hr": 200, "org_admin": 200, "admin": 200}  # reports, campaigns, posters
UNIT_ADMINS = {"org_admin": 200, "admin": 200}  # units, QR codes, staff accounts
LOGIN = {"data": {"username": "counsellor_x", "password": "a long test password"}}

TABLE: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): public(200, get("/openapi.json")),
    ("GET", "/docs"): public(200, get("/docs")),
    ("GET", "/docs/oauth2-redirect"): public(200, get("/docs/oauth2-redirect")),
    ("GET", "/redoc"): public(200, get("/redoc")),
    ("GET", "/docs/static/{name}"): public(200, get("/docs/static/swagger-ui.css")),
    ("GET", "/healthz"): public(200, get("/healthz")),
    ("GET", "/readyz"): public(200, get("/readyz")),
    ("GET", "/api/v1/scales"): public(200, get("/api/v1/scales")),
    ("GET", "/api/v1/resources"): public(200, get("/api/v1/resources")),
    ("POST", "/api/v1/sessions"): public(201, post("/api/v1/sessions", json={"locale": "en"})),
    ("POST", "/api/v1/sessions/{session_id}/messages"): employee(200, post(S + "/messages", json={"text": "hi"})),
    ("GET", "/api/v1/sessions/{session_id}/messages"): employee(200, get(S + "/messages")),
    ("GET", "/api/v1/sessions/{session_id}/results"): employee(200, get(S + "/results")),
    ("PATCH", "/api/v1/sessions/{session_id}"): employee(200, lambda w, o: {
        "method": "PATCH", "url": f"/api/v1/sessions/{o.session_a}", "json": {"locale": "en"}}),
    ("DELETE", "/api/v1/sessions/{session_id}"): employee(204, lambda w, o: {"method": "DELETE",
                                                                             "url": f"/api/v1/sessions/{o.session_a}"}),
    ("POST", "/webhook"): public(401, post("/webhook", json={"next_action": "action_greet"})),
    ("POST", "/api/v1/auth/token"): public(200, post("/api/v1/auth/token", **LOGIN)),
    # public: the body proves who is asking; a name no account can have is refused before any password check
    ("POST", "/api/v1/auth/password"): public(422, post("/api/v1/auth/password", data={
        "username": "bell\u0007", "password": "a long test password", "new_password": "another long passphrase"})),
    ("POST", "/api/v1/auth/logout"): staff({r: 204 for r in STAFF_LIVE}, post("/api/v1/auth/logout")),
    ("GET", "/api/v1/auth/me"): staff({r: 200 for r in STAFF_LIVE}, get("/api/v1/auth/me")),
    ("GET", "/api/v1/escalations/stream"): staff(HOLDERS, get("/api/v1/escalations/stream"), stream=True),
    ("GET", "/api/v1/escalations"): staff(HOLDERS, get("/api/v1/escalations", params={"status": "all"})),
    ("GET", "/api/v1/escalations/{escalation_id}"): staff(X_OR_ADMIN, get(E)),
    ("GET", "/api/v1/escalations/{escalation_id}/messages"): staff(X_OR_ADMIN, get(E + "/messages")),
    ("POST", "/api/v1/escalations/{escalation_id}/claim"): staff(
        {"counsellor_x": 200, "counsellor_y": 409, "admin": 409}, post(E + "/claim")),
    ("POST", "/api/v1/escalations/{escalation_id}/release"): staff(X_OR_ADMIN, post(E + "/release")),
    ("POST", "/api/v1/escalations/{escalation_id}/transfer"): staff(
        X_OR_ADMIN, post(E + "/transfer", json={"username": "counsellor_y"})),
    ("POST", "/api/v1/escalations/{escalation_id}/assign"): staff(
        {"admin": 200}, post(E + "/assign", json={"username": "counsellor_y"})),
    ("POST", "/api/v1/escalations/{escalation_id}/messages"): staff(
        {"counsellor_x": 201}, post(E + "/messages", json={"text": "hello, I am here"})),
    ("POST", "/api/v1/escalations/{escalation_id}/notes"): staff(
        {"counsellor_x": 201, "admin": 201}, post(E + "/notes", json={"text": "called back"})),
    ("POST", "/api/v1/escalations/{escalation_id}/resolve"): staff(
        {"counsellor_x": 200}, post(E + "/resolve", json={"outcome": "contacted"})),
    ("GET", "/api/v1/reports/summary"): staff(ORG_READERS,
                                              get("/api/v1/reports/summary", params={"scale": "gad7"})),
    ("GET", "/api/v1/orgs"): staff(UNIT_ADMINS, get("/api/v1/orgs")),
    ("POST", "/api/v1/orgs"): staff({"admin": 201}, lambda w, o: {
        "method": "POST", "url": "/api/v1/orgs", "json": {"id": unique("org"), "name": "Org"}}),
    ("GET", "/api/v1/orgs/{org_id}/units"): staff(UNIT_ADMINS, _units),
    ("POST", "/api/v1/orgs/{org_id}/units"): staff({"org_admin": 201, "admin": 201}, _new_unit),
    ("GET", "/api/v1/orgs/{org_id}/units/{unit_id}/qr.svg"): staff(UNIT_ADMINS, _qr),
    ("GET", "/api/v1/orgs/{org_id}/units/{unit_id}/poster"): staff(ORG_READERS, _poster),
    ("POST", "/api/v1/orgs/{org_id}/campaigns"): staff({"hr": 201, "org_admin": 201, "admin": 201}, _new_campaign),
    ("GET", "/api/v1/orgs/{org_id}/campaigns"): staff(ORG_READERS, get("/api/v1/orgs/acme/campaigns")),
    ("GET", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}"): staff(
        ORG_READERS, lambda w, o: {"method": "GET", "url": C + _campaign(w, o)}),
    ("GET", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/participation"): staff(
        ORG_READERS, lambda w, o: {"method": "GET", "url": C + _campaign(w, o) + "/participation"}),
    ("GET", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/report"): staff(
        ORG_READERS, lambda w, o: {"method": "GET", "url": C + _campaign(w, o) + "/report"}),
    ("GET", "/api/v1/orgs/{org_id}/campaigns/options"): staff(ORG_READERS, get(C + "options")),
    ("POST", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/shares"): staff(
        {"hr": 201, "org_admin": 201, "admin": 201},
        lambda w, o: {"method": "POST", "url": C + _campaign(w, o) + "/shares", "json": {"label": "leaders"}}),
    ("GET", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/shares"): staff(
        ORG_READERS, lambda w, o: {"method": "GET", "url": C + _campaign(w, o) + "/shares"}),
    ("DELETE", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/shares/{share_id}"): staff(
        {"hr": 204, "org_admin": 204, "admin": 204}, _revoke),
    ("GET", "/api/v1/campaigns/shared/{token}/participation"): public(
        200, _shared("/api/v1/campaigns/shared/", "/participation")),
    ("GET", "/api/v1/campaigns/{campaign_id}"): public(
        200, lambda w, o: {"method": "GET", "url": f"/api/v1/campaigns/{_campaign(w, o)}"}),
    ("POST", "/api/v1/centres"): staff({"admin": 201}, lambda w, o: {
        "method": "POST", "url": "/api/v1/centres", "json": {"id": unique("c"), "name": "C", "parent": "city"}}),
    ("GET", "/api/v1/centres"): staff({"counsellor_x": 200, "counsellor_y": 200, "admin": 200},
                                      get("/api/v1/centres")),
    ("PATCH", "/api/v1/orgs/{org_id}/units/{unit_id}"): staff(UNIT_ADMINS, _unit_patch),
    ("GET", "/api/v1/staff"): staff(UNIT_ADMINS, get("/api/v1/staff")),
    ("POST", "/api/v1/staff"): staff({"org_admin": 201, "admin": 201}, lambda w, o: {
        "method": "POST", "url": "/api/v1/staff", "json": {"username": unique("s"), "role": "hr", "org": "acme"}}),
    ("POST", "/api/v1/staff/{user_id}/disable"): staff(UNIT_ADMINS, _staff("disable")),
    ("POST", "/api/v1/staff/{user_id}/enable"): staff(UNIT_ADMINS, _staff("enable")),
    ("POST", "/api/v1/staff/{user_id}/password"): staff(UNIT_ADMINS, _staff("password", json={})),
    ("PUT", "/api/v1/staff/{user_id}/scope"): staff(UNIT_ADMINS, _staff("scope", "PUT", json={"org": "acme"})),
    ("GET", "/api/v1/centres/directory"): staff({"counsellor_x": 200, "counsellor_y": 200, "admin": 200},
                                                get("/api/v1/centres/directory")),
    ("GET", "/api/v1/centres/{centre_id}/policy"): staff({"counsellor_x": 200, "counsellor_y": 200, "admin": 200},
                                                         get("/api/v1/centres/city/policy")),
    ("PUT", "/api/v1/centres/{centre_id}/policy"): staff({"admin": 200}, lambda w, o: {
        "method": "PUT", "url": "/api/v1/centres/city/policy", "json": POLICY}),
    ("GET", "/console"): public(200, get("/console")),
    ("GET", "/console/static/{name:path}"): public(200, get("/console/static/console.js")),
    ("GET", "/hr"): public(200, get("/hr")),
    ("GET", "/hr/poster"): public(200, get("/hr/poster", params={"org": "acme", "unit": "plant-1"})),
    ("GET", "/hr/shared/{token}"): public(200, _shared("/hr/shared/")),
    ("GET", "/hr/static/{name:path}"): public(200, get("/hr/static/hr.js")),
    ("GET", "/hr/i18n/{name}"): public(200, get("/hr/i18n/en.json")),
    ("GET", "/hr/vendor/echarts.min.js"): public(200, get("/hr/vendor/echarts.min.js")),
    ("GET", "/chat"): public(200, get("/chat")),
    ("GET", "/embed.js"): public(200, get("/embed.js")),
    ("GET", "/static/chat/{path:path}"): public(200, get("/static/chat/chat.js")),
    ("GET", "/favicon.ico"): public(200, get("/favicon.ico")),
}
