"""Centres and orgs of the network (API.md "The service network"): who may add a centre where, who sees which
centres and orgs, and the 404 (or 422 for a body's reference) outside a centre admin's scope."""
from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import session_scope
from app.network.models import Centre
from app.reports import orgs
from app.staff.service import StaffError, create_user

PASSWORD = "a long staff password"


def _auth(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _user(username: str, role: str, **scope: str) -> None:
    with session_scope() as db:
        create_user(db, username=username, password=PASSWORD, role=role, **scope)


def _ids(res) -> set[str]:  # type: ignore[no-untyped-def]
    assert res.status_code == 200, res.text
    return {c["id"] for c in res.json()["centres"]}


def test_platform_admin_builds_a_tree_and_centre_admins_add_below_their_own(app_client: tuple) -> None:
    client, _ = app_client
    _user("padmin", "admin")
    admin = _auth(client, "padmin")
    for body in ({"id": "city", "name": "市中心"}, {"id": "east", "name": "东区", "parent": "city"},
                 {"id": "west", "name": "西区", "parent": "city"}):
        assert client.post("/api/v1/centres", json=body, headers=admin).status_code == 201
    assert client.post("/api/v1/centres", json={"id": "city", "name": "again"}, headers=admin).status_code == 409
    assert client.post("/api/v1/centres", json={"id": "x", "name": "X", "parent": "nope"},
                       headers=admin).status_code == 422
    _user("east-admin", "admin", centre="east")
    _user("east-c", "counsellor", centre="east")
    _user("hr", "hr")
    ea, ec = _auth(client, "east-admin"), _auth(client, "east-c")
    assert client.post("/api/v1/centres", json={"id": "station-1", "name": "站1", "parent": "east"},
                       headers=ea).status_code == 201
    assert client.post("/api/v1/centres", json={"id": "deep", "name": "深", "parent": "station-1"},
                       headers=ea).status_code == 201  # any depth below its own
    west = client.post("/api/v1/centres", json={"id": "w2", "name": "W2", "parent": "west"}, headers=ea)
    nope = client.post("/api/v1/centres", json={"id": "w3", "name": "W3", "parent": "nope"}, headers=ea)
    assert west.status_code == nope.status_code == 422 and west.json()["detail"] == "no centre 'west'"
    assert client.post("/api/v1/centres", json={"id": "top", "name": "Top"}, headers=ea).status_code == 422
    assert client.post("/api/v1/centres", json={"id": "c", "name": "C", "parent": "east"},
                       headers=ec).status_code == 403
    assert _ids(client.get("/api/v1/centres", headers=admin)) == {"city", "east", "west", "station-1", "deep"}
    assert _ids(client.get("/api/v1/centres", headers=ea)) == {"east", "station-1", "deep"}
    assert _ids(client.get("/api/v1/centres", headers=ec)) == {"east", "station-1", "deep"}
    assert client.get("/api/v1/centres", headers=_auth(client, "hr")).status_code == 403
    with session_scope() as db:
        assert db.get(Centre, "deep").parent_id == "station-1"  # type: ignore[union-attr]


def test_orgs_are_served_by_a_centre_and_scoped_for_centre_admins(app_client: tuple) -> None:
    client, _ = app_client
    with session_scope() as db:
        for cid, parent in (("city", None), ("east", "city"), ("west", "city")):
            db.add(Centre(id=cid, name=cid, parent_id=parent))
            db.flush()
        orgs.create_org(db, "west-co", "West Co", "west")
        orgs.create_unit(db, "west-co", "west-plant", "Plant", None, 80)
    _user("padmin", "admin")
    _user("east-admin", "admin", centre="east")
    admin, ea = _auth(client, "padmin"), _auth(client, "east-admin")
    made = client.post("/api/v1/orgs", json={"id": "acme", "name": "Acme", "centre": "east"}, headers=admin)
    assert made.status_code == 201 and made.json() == {"id": "acme", "name": "Acme", "centre": "east"}
    assert client.post("/api/v1/orgs", json={"id": "legacy", "name": "No centre"}, headers=admin).json()["centre"] \
        is None  # the platform admin may still register an org nobody serves yet
    own = client.post("/api/v1/orgs", json={"id": "east-co", "name": "East Co"}, headers=ea)
    assert own.status_code == 201 and own.json()["centre"] == "east"  # a centre admin's default: its own centre
    assert client.post("/api/v1/orgs", json={"id": "w", "name": "W", "centre": "west"}, headers=ea).status_code == 422
    assert client.post("/api/v1/orgs", json={"id": "b", "name": "B", "centre": "mars"},
                       headers=admin).status_code == 422
    listed = {o["id"] for o in client.get("/api/v1/orgs", headers=ea).json()["orgs"]}
    assert listed == {"acme", "east-co"}
    assert {o["id"] for o in client.get("/api/v1/orgs", headers=admin).json()["orgs"]} == \
        {"acme", "east-co", "legacy", "west-co"}
    for method, url, body in (("GET", "/api/v1/orgs/west-co/units", None),
                              ("POST", "/api/v1/orgs/west-co/units", {"id": "u9", "name": "U9"}),
                              ("GET", "/api/v1/orgs/west-co/units/west-plant/qr.svg", None)):
        assert client.request(method, url, json=body, headers=ea).status_code == 404, url  # outside: 404
        assert client.request(method, url, json=body, headers=admin).status_code in (200, 201), url
    assert client.post("/api/v1/orgs/acme/units", json={"id": "a1", "name": "A1"}, headers=ea).status_code == 201
    assert client.get("/api/v1/orgs/acme/units/a1/qr.svg", headers=ea).status_code == 200


def test_a_scope_must_fit_the_role(app_client: tuple) -> None:
    with session_scope() as db:
        db.add(Centre(id="city", name="City"))
        db.flush()
        orgs.create_org(db, "acme", "Acme", "city")
    for role, scope, why in (("counsellor", {"org": "acme"}, "belongs to a centre"),
                             ("hr", {"centre": "city"}, "belongs to an org"),
                             ("admin", {"org": "acme"}, "an org's admin is an org_admin"),
                             ("org_admin", {"centre": "city"}, "belongs to an org"),
                             ("org_admin", {}, "an org admin belongs to an org"),
                             ("counsellor", {"centre": "nowhere"}, "no centre"),
                             ("hr", {"org": "nowhere"}, "no org"),
                             ("admin", {"centre": "city", "org": "acme"}, "not both")):
        try:
            _user(f"u-{role}", role, **scope)
        except StaffError as exc:
            assert why in str(exc)
        else:
            raise AssertionError(f"{role} with {scope} was accepted")
