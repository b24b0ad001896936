"""What an org admin may do with staff accounts: list, create, disable/enable, reset and re-scope the HR and org
admins of its own org, and nothing else — no counsellor or admin made, no other org's account touched, no way to
raise its own role or scope. A centre admin makes org admins for the orgs it serves. SQLite and PostgreSQL."""
from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import session_scope
from app.staff.models import StaffUser
from app.staff.service import create_user
from tests.staff.test_staff_admin import PASSWORD, _can_login, _login, _names, _network


def _with_org_admins(client: TestClient) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """The staff-admin network plus an org admin of east-co and one of west-co."""
    ids, auth = _network(client)
    with session_scope() as db:
        for name, org in (("oa-east", "east-co"), ("oa-west", "west-co")):
            ids[name] = int(create_user(db, username=name, password=PASSWORD, role="org_admin", org=org).id or 0)
    return ids, auth | {name: _login(client, name) for name in ("oa-east", "oa-west")}


def _accounts() -> list[tuple[str, str, str | None, str | None, bool]]:
    with session_scope() as db:
        return sorted((u.username, u.role, u.centre_id, u.org_id, u.disabled) for u in db.query(StaffUser))


def test_an_org_admin_lists_and_makes_its_own_orgs_hr_and_org_admins(app_client: tuple) -> None:
    client, _ = app_client
    ids, auth = _with_org_admins(client)
    oa = auth["oa-east"]
    assert _names(client.get("/api/v1/staff", headers=oa)) == {"hr-east", "oa-east"}
    assert _names(client.get("/api/v1/staff", headers=auth["ea"])) >= {"hr-east", "oa-east"}  # its centre admin
    assert "oa-west" not in _names(client.get("/api/v1/staff", headers=auth["ea"]))
    made = client.post("/api/v1/staff", json={"username": "hr-east-2", "role": "hr", "org": "east-co"}, headers=oa)
    assert made.status_code == 201 and made.json()["password"], made.text
    made = client.post("/api/v1/staff", json={"username": "oa-east-2", "role": "org_admin", "org": "east-co",
                                              "password": "a chosen long passphrase"}, headers=oa)
    assert made.status_code == 201 and made.json()["user"]["role"] == "org_admin"
    assert _can_login(client, "oa-east-2", "a chosen long passphrase")
    assert _names(client.get("/api/v1/staff", headers=oa)) == {"hr-east", "hr-east-2", "oa-east", "oa-east-2"}
    me = client.get("/api/v1/auth/me", headers=oa).json()
    assert (me["role"], me["centre"], me["org"]) == ("org_admin", None, "east-co")
    for action in ("disable", "enable"):
        assert client.post(f"/api/v1/staff/{ids['hr-east']}/{action}", headers=oa).status_code == 200
    r = client.post(f"/api/v1/staff/{ids['hr-east']}/password", json={}, headers=oa)
    assert r.status_code == 200 and r.json()["password"]
    assert client.put(f"/api/v1/staff/{ids['hr-east']}/scope", json={"org": "east-co"}, headers=oa).status_code == 200


def test_an_org_admin_makes_no_counsellor_admin_or_other_orgs_account(app_client: tuple) -> None:
    client, _ = app_client
    _, auth = _with_org_admins(client)
    before = _accounts()
    refused = [  # (body, status, words in the detail)
        ({"username": "x1", "role": "counsellor", "centre": "east"}, 403, "org admin creates"),
        ({"username": "x2", "role": "admin", "centre": "station-e"}, 403, "org admin creates"),
        ({"username": "x3", "role": "admin"}, 403, "org admin creates"),  # no platform admin either
        ({"username": "x4", "role": "counsellor", "org": "east-co"}, 403, "org admin creates"),
        ({"username": "x5", "role": "hr", "org": "west-co"}, 422, "no org 'west-co'"),
        ({"username": "x6", "role": "org_admin", "org": "west-co"}, 422, "no org 'west-co'"),
        ({"username": "x7", "role": "hr", "centre": "east"}, 422, "no centre"),
        ({"username": "x8", "role": "org_admin"}, 422, "centre or an org"),
        ({"username": "hr-west", "role": "hr", "org": "east-co"}, 409, "already exists"),
    ]
    for body, status, words in refused:
        r = client.post("/api/v1/staff", json=body, headers=auth["oa-east"])
        assert (r.status_code, words in r.text) == (status, True), (body, r.status_code, r.text)
    assert _accounts() == before


def test_an_org_admin_cannot_touch_other_accounts_or_raise_itself(app_client: tuple) -> None:
    client, _ = app_client
    ids, auth = _with_org_admins(client)
    oa = auth["oa-east"]
    before = _accounts()
    for target in ("hr-west", "oa-west", "c-east", "c-station", "ea", "padmin"):  # as if unknown
        for action, body in (("disable", None), ("enable", None), ("password", {})):
            r = client.post(f"/api/v1/staff/{ids[target]}/{action}", json=body, headers=oa)
            assert r.status_code == 404 and target not in r.text, (target, action, r.text)
        assert client.put(f"/api/v1/staff/{ids[target]}/scope", json={"org": "east-co"},
                          headers=oa).status_code == 404
    own = f"/api/v1/staff/{ids['oa-east']}"
    for body in ({"org": "west-co"}, {"centre": "east"}, {}):  # its own scope never moves
        assert client.put(f"{own}/scope", json=body, headers=oa).status_code == 422, body
    assert client.post(f"{own}/disable", headers=oa).status_code == 422
    for body in ({"org": "west-co"}, {"centre": "east"}, {}):  # nor moves one of its accounts out of the org
        assert client.put(f"/api/v1/staff/{ids['hr-east']}/scope", json=body, headers=oa).status_code == 422
    assert client.post("/api/v1/staff", json={"username": "oa-east", "role": "admin", "centre": "east"},
                       headers=oa).status_code == 403  # no way to re-create itself with a higher role
    assert _accounts() == before
    assert client.get("/api/v1/staff", headers=auth["hr-east"]).status_code == 403  # HR manages nobody
    assert _can_login(client, "padmin", PASSWORD) and _can_login(client, "oa-west", PASSWORD)


def test_a_centre_admin_makes_org_admins_for_the_orgs_it_serves(app_client: tuple) -> None:
    client, _ = app_client
    ids, auth = _with_org_admins(client)
    made = client.post("/api/v1/staff", json={"username": "oa-east-3", "role": "org_admin", "org": "east-co"},
                       headers=auth["ea"])
    assert made.status_code == 201 and made.json()["user"]["org"] == "east-co"
    assert client.post("/api/v1/staff", json={"username": "oa-w", "role": "org_admin", "org": "west-co"},
                       headers=auth["ea"]).status_code == 422
    assert client.post(f"/api/v1/staff/{ids['oa-west']}/disable", headers=auth["ea"]).status_code == 404
    assert client.post(f"/api/v1/staff/{ids['oa-east']}/disable", headers=auth["ea"]).status_code == 200
    for body, words in (({"username": "oa-c", "role": "org_admin", "centre": "east"}, "belongs to an org"),
                        ({"username": "oa-n", "role": "org_admin"}, "belongs to an org"),
                        ({"username": "ad-o", "role": "admin", "org": "east-co"}, "org_admin")):
        r = client.post("/api/v1/staff", json=body, headers=auth["padmin"])
        assert r.status_code == 422 and words in r.text, (body, r.text)
    assert client.put(f"/api/v1/staff/{ids['oa-west']}/scope", json={"org": "east-co"},
                      headers=auth["padmin"]).json()["org"] == "east-co"
    assert client.put(f"/api/v1/staff/{ids['oa-west']}/scope", json={},
                      headers=auth["padmin"]).status_code == 422  # an org admin always has an org


def test_an_org_admin_manages_its_own_orgs_units_only(app_client: tuple) -> None:
    client, _ = app_client
    _, auth = _with_org_admins(client)
    oa = auth["oa-east"]
    assert [o["id"] for o in client.get("/api/v1/orgs", headers=oa).json()["orgs"]] == ["east-co"]
    made = client.post("/api/v1/orgs/east-co/units", json={"id": "east-2", "name": "Two", "headcount": 30},
                       headers=oa)
    assert made.status_code == 201 and made.json()["poster"] == "/hr/poster?org=east-co&unit=east-2"
    r = client.patch("/api/v1/orgs/east-co/units/east-2", json={"name": "Line 2", "headcount": 31}, headers=oa)
    assert (r.status_code, r.json()["name"], r.json()["headcount"]) == (200, "Line 2", 31)
    assert client.get("/api/v1/orgs/east-co/units/east-2/qr.svg", headers=oa).status_code == 200
    assert client.get("/api/v1/orgs/east-co/units/east-2/poster", headers=oa).status_code == 200
    for method, url, body in (("GET", "/api/v1/orgs/west-co/units", None),
                              ("POST", "/api/v1/orgs/west-co/units", {"id": "w-2", "name": "W"}),
                              ("PATCH", "/api/v1/orgs/west-co/units/west-plant", {"headcount": 1}),
                              ("PATCH", "/api/v1/orgs/east-co/units/west-plant", {"headcount": 1}),
                              ("GET", "/api/v1/orgs/west-co/units/west-plant/qr.svg", None),
                              ("GET", "/api/v1/orgs/west-co/units/west-plant/poster", None)):
        assert client.request(method, url, json=body, headers=oa).status_code == 404, url
    assert client.post("/api/v1/orgs", json={"id": "new-co", "name": "New", "centre": "east"},
                       headers=oa).status_code == 403  # orgs themselves are the centres' to register
    for url in ("/api/v1/escalations", "/api/v1/centres", "/api/v1/centres/directory"):
        assert client.get(url, headers=oa).status_code == 403, url
