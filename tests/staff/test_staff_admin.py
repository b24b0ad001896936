"""Staff accounts managed over the API (app/staff/admin_router.py) and a unit's headcount: the platform admin
manages every account, a centre admin those of its subtree and of the orgs it serves; an account, centre or org
outside that is 404 (a body's reference: 422); counsellors and HR are refused (403). SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.db import session_scope
from app.network.models import Centre
from app.reports import orgs
from app.staff.models import AuditEvent, StaffUser
from app.staff.service import create_user

PASSWORD = "a long staff password"
STAFF: dict[str, tuple[str, dict[str, str]]] = {
    "padmin": ("admin", {}), "ea": ("admin", {"centre": "east"}), "c-east": ("counsellor", {"centre": "east"}),
    "c-station": ("counsellor", {"centre": "station-e"}), "c-west": ("counsellor", {"centre": "west"}),
    "hr-east": ("hr", {"org": "east-co"}), "hr-west": ("hr", {"org": "west-co"}),
}


def _network(client: TestClient) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """city → east → station-e, city → west; east-co served by station-e, west-co by west; staff of each kind."""
    ids: dict[str, int] = {}
    with session_scope() as db:
        for cid, parent in (("city", None), ("east", "city"), ("station-e", "east"), ("west", "city")):
            db.add(Centre(id=cid, name=f"Centre {cid}", parent_id=parent))
            db.flush()
        orgs.create_org(db, "east-co", "East Co", "station-e")
        orgs.create_unit(db, "east-co", "east-plant", "Plant", None, 80)
        orgs.create_org(db, "west-co", "West Co", "west")
        orgs.create_unit(db, "west-co", "west-plant", "Plant", None, 50)
        for name, (role, scope) in STAFF.items():
            ids[name] = int(create_user(db, username=name, password=PASSWORD, role=role, **scope).id or 0)
    return ids, {name: _login(client, name) for name in STAFF}


def _login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _login_status(client: TestClient, username: str, password: str) -> int:
    """200: signed in; 403: the right one-time password, to be changed first; 401: wrong."""
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}).status_code


def _can_login(client: TestClient, username: str, password: str) -> bool:
    return _login_status(client, username, password) == 200


def _names(r: Any) -> set[str]:
    assert r.status_code == 200, r.text
    return {u["username"] for u in r.json()["staff"]}


def test_the_list_holds_the_accounts_in_scope_only(app_client: tuple) -> None:
    client, _ = app_client
    _, auth = _network(client)
    assert _names(client.get("/api/v1/staff", headers=auth["padmin"])) == set(STAFF)
    assert _names(client.get("/api/v1/staff", headers=auth["ea"])) == {"ea", "c-east", "c-station", "hr-east"}
    row = next(u for u in client.get("/api/v1/staff", headers=auth["ea"]).json()["staff"] if u["username"] == "hr-east")
    assert (row["role"], row["centre"], row["org"], row["disabled"]) == ("hr", None, "east-co", False)
    assert not {"password", "password_hash"} & row.keys() and "argon2" not in str(row) and "hash" not in str(row)
    for who in ("c-east", "hr-east"):
        assert client.get("/api/v1/staff", headers=auth[who]).status_code == 403
    assert client.get("/api/v1/staff").status_code == 401
    me = client.get("/api/v1/auth/me", headers=auth["ea"]).json()
    assert (me["centre"], me["org"]) == ("east", None)


def test_create_with_a_one_time_or_a_chosen_password(app_client: tuple) -> None:
    client, _ = app_client
    _, auth = _network(client)
    made = client.post("/api/v1/staff", json={"username": "new-west", "role": "counsellor", "centre": "west"},
                       headers=auth["padmin"])
    assert made.status_code == 201, made.text
    once = made.json()["password"]
    assert made.json()["user"]["centre"] == "west" and len(once) >= 16
    assert _login_status(client, "new-west", once) == 403  # a one-time password: changed before it signs in
    chosen = client.post("/api/v1/staff", json={"username": "hr-new", "role": "hr", "org": "east-co",
                                                "password": "another long passphrase 42"}, headers=auth["ea"])
    assert chosen.status_code == 201 and chosen.json()["password"] is None
    assert _can_login(client, "hr-new", "another long passphrase 42")
    assert client.post("/api/v1/staff", json={"username": "sub-admin", "role": "admin", "centre": "station-e"},
                       headers=auth["ea"]).status_code == 201  # an admin of a centre below its own
    assert "hr-new" in _names(client.get("/api/v1/staff", headers=auth["ea"]))
    with session_scope() as db:
        assert db.query(AuditEvent).filter(AuditEvent.action == "staff.create").count() == 3


def test_create_refuses_bad_input_and_scopes_outside_the_callers(app_client: tuple) -> None:
    client, _ = app_client
    _, auth = _network(client)
    refused = [  # (caller, body, status, words in the detail)
        ("ea", {"username": "x1", "role": "counsellor", "centre": "west"}, 422, "no centre 'west'"),
        ("ea", {"username": "x2", "role": "hr", "org": "west-co"}, 422, "no org 'west-co'"),
        ("ea", {"username": "x3", "role": "admin"}, 422, "centre or an org"),  # no platform admins from a centre
        ("padmin", {"username": "x4", "role": "counsellor", "org": "east-co"}, 422, "belongs to a centre"),
        ("padmin", {"username": "x5", "role": "hr", "centre": "east"}, 422, "belongs to an org"),
        ("padmin", {"username": "x6", "role": "counsellor", "centre": "mars"}, 422, "no centre"),
        ("padmin", {"username": "c-east", "role": "counsellor", "centre": "east"}, 409, "already exists"),
        ("padmin", {"username": "x7", "role": "counsellor", "centre": "east", "password": "password123"}, 422,
         "too weak"),
        ("padmin", {"username": "x8", "role": "counsellor", "centre": "east", "password": "short"}, 422,
         "at least"),
        ("padmin", {"username": "x9", "role": "counsellor", "centre": "east", "password": "a long pass\x00word"},
         422, "control character"),
        ("padmin", {"username": "bad name", "role": "counsellor", "centre": "east"}, 422, "pattern"),
        ("padmin", {"username": "x10", "role": "root", "centre": "east"}, 422, "role"),
        ("padmin", {"username": "x11", "role": "counsellor", "centre": "east", "extra": 1}, 422, "extra"),
        ("c-east", {"username": "x12", "role": "counsellor", "centre": "east"}, 403, "may not"),
        ("hr-east", {"username": "x13", "role": "hr", "org": "east-co"}, 403, "may not"),
    ]
    for who, body, status, words in refused:
        r = client.post("/api/v1/staff", json=body, headers=auth[who])
        assert r.status_code == status, (who, body, r.status_code, r.text)
        assert words in r.text, (body, r.text)
        if "password" in body:
            assert body["password"] not in r.text  # a refused password is never echoed
    with session_scope() as db:
        assert db.query(StaffUser).count() == len(STAFF)  # nothing was made


def test_disable_ends_sessions_and_enable_lets_the_account_back(app_client: tuple) -> None:
    client, _ = app_client
    ids, auth = _network(client)
    station = ids["c-station"]
    r = client.post(f"/api/v1/staff/{station}/disable", headers=auth["ea"])
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert client.get("/api/v1/auth/me", headers=auth["c-station"]).status_code == 401
    assert not _can_login(client, "c-station", PASSWORD)
    r = client.post(f"/api/v1/staff/{station}/enable", headers=auth["ea"])
    assert r.status_code == 200 and r.json()["disabled"] is False
    assert _can_login(client, "c-station", PASSWORD)
    for action in ("disable", "enable"):
        for target in ("c-west", "hr-west", "padmin"):  # outside the centre admin's scope: as if unknown
            r = client.post(f"/api/v1/staff/{ids[target]}/{action}", headers=auth["ea"])
            assert r.status_code == 404 and target not in r.text, (action, target, r.text)
        assert client.post(f"/api/v1/staff/999999/{action}", headers=auth["padmin"]).status_code == 404
        for bad in ("abc", "0", "99999999999999999999"):
            assert client.post(f"/api/v1/staff/{bad}/{action}", headers=auth["padmin"]).status_code == 422
        for who in ("c-east", "hr-east"):
            assert client.post(f"/api/v1/staff/{station}/{action}", headers=auth[who]).status_code == 403
    assert client.post(f"/api/v1/staff/{ids['ea']}/disable", headers=auth["ea"]).status_code == 422  # not oneself
    assert _can_login(client, "c-west", PASSWORD) and _can_login(client, "padmin", PASSWORD)


def test_reset_password_returns_a_new_one_once_or_sets_the_given_one(app_client: tuple) -> None:
    client, _ = app_client
    ids, auth = _network(client)
    r = client.post(f"/api/v1/staff/{ids['hr-east']}/password", json={}, headers=auth["ea"])
    assert r.status_code == 200, r.text
    fresh = r.json()["password"]
    assert fresh and _login_status(client, "hr-east", fresh) == 403  # one-time: to be changed before it signs in
    assert _login_status(client, "hr-east", PASSWORD) == 401
    assert client.get("/api/v1/auth/me", headers=auth["hr-east"]).status_code == 401  # old sessions ended
    chosen = "the admin chose this passphrase"
    r = client.post(f"/api/v1/staff/{ids['hr-east']}/password", json={"password": chosen}, headers=auth["padmin"])
    assert r.status_code == 200 and r.json()["password"] is None
    assert _can_login(client, "hr-east", chosen) and not _can_login(client, "hr-east", fresh)
    weak = client.post(f"/api/v1/staff/{ids['hr-east']}/password", json={"password": "hr-east12345"},
                       headers=auth["padmin"])
    assert weak.status_code == 422 and "hr-east12345" not in weak.text
    assert client.post(f"/api/v1/staff/{ids['hr-west']}/password", json={}, headers=auth["ea"]).status_code == 404
    assert client.post(f"/api/v1/staff/{ids['hr-west']}/password", headers=auth["padmin"]).status_code == 422
    assert client.post(f"/api/v1/staff/{ids['hr-west']}/password", json={"x": 1},
                       headers=auth["padmin"]).status_code == 422
    assert client.post(f"/api/v1/staff/{ids['c-east']}/password", json={},
                       headers=auth["c-east"]).status_code == 403
    assert _can_login(client, "hr-west", PASSWORD) and _can_login(client, "c-east", PASSWORD)


def test_change_scope_within_the_callers_scope(app_client: tuple) -> None:
    client, _ = app_client
    ids, auth = _network(client)
    url = f"/api/v1/staff/{ids['c-station']}/scope"
    r = client.put(url, json={"centre": "east"}, headers=auth["ea"])
    assert r.status_code == 200 and r.json()["centre"] == "east"
    assert client.put(url, json={"centre": "west"}, headers=auth["ea"]).status_code == 422
    assert client.put(url, json={}, headers=auth["ea"]).status_code == 422  # no scope: platform admin only
    assert client.put(url, json={"org": "east-co"}, headers=auth["padmin"]).status_code == 422  # wrong role
    assert client.put(url, json={"centre": "east", "org": "east-co"}, headers=auth["padmin"]).status_code == 422
    assert client.put(url, json={"centre": "../x"}, headers=auth["padmin"]).status_code == 422
    assert client.put(f"/api/v1/staff/{ids['c-west']}/scope", json={"centre": "east"},
                      headers=auth["ea"]).status_code == 404
    assert client.put(f"/api/v1/staff/{ids['ea']}/scope", json={"centre": "station-e"},
                      headers=auth["ea"]).status_code == 422  # not oneself
    assert client.put(url, json={"centre": "west"}, headers=auth["c-east"]).status_code == 403
    r = client.put(url, json={"centre": "west"}, headers=auth["padmin"])
    assert r.status_code == 200 and r.json()["centre"] == "west"
    assert "c-station" not in _names(client.get("/api/v1/staff", headers=auth["ea"]))  # moved out of its scope
    assert client.put(url, json={}, headers=auth["padmin"]).json()["centre"] is None
    with session_scope() as db:
        assert db.get(StaffUser, ids["c-station"]).centre_id is None  # type: ignore[union-attr]


def test_unit_headcount_is_updated_in_scope_only(app_client: tuple) -> None:
    client, _ = app_client
    _, auth = _network(client)
    url = "/api/v1/orgs/east-co/units/east-plant"
    r = client.patch(url, json={"headcount": 120}, headers=auth["ea"])
    assert r.status_code == 200 and r.json()["headcount"] == 120 and r.json()["name"] == "Plant"
    units = client.get("/api/v1/orgs/east-co/units", headers=auth["ea"]).json()["units"]
    assert [(u["id"], u["headcount"]) for u in units] == [("east-plant", 120)]
    r = client.patch(url, json={"name": "Plant A", "headcount": None}, headers=auth["padmin"])
    assert r.status_code == 200 and (r.json()["name"], r.json()["headcount"]) == ("Plant A", None)
    for body in ({}, {"headcount": -1}, {"headcount": 10**12}, {"headcount": "many"}, {"name": None},
                 {"name": ""}, {"name": "a\x07b"}, {"org": "west-co"}):
        assert client.patch(url, json=body, headers=auth["padmin"]).status_code == 422, body
    assert client.patch("/api/v1/orgs/west-co/units/west-plant", json={"headcount": 1},
                        headers=auth["ea"]).status_code == 404
    assert client.patch("/api/v1/orgs/east-co/units/west-plant", json={"headcount": 1},
                        headers=auth["padmin"]).status_code == 404  # a unit of another org
    assert client.patch("/api/v1/orgs/east-co/units/nope", json={"headcount": 1},
                        headers=auth["padmin"]).status_code == 404
    for who in ("c-east", "hr-east"):
        assert client.patch(url, json={"headcount": 1}, headers=auth[who]).status_code == 403
    with session_scope() as db:
        assert orgs.get_unit(db, "west-co", "west-plant").headcount == 50
