"""One-time passwords (an admin was shown them) cannot open a session: the holder first chooses a password of
their own with POST /api/v1/auth/password, which also serves any account holder who knows the current one.
SQLite and PostgreSQL."""
from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import session_scope
from app.network.models import Centre
from app.staff.models import AuditEvent, StaffUser
from app.staff.service import create_user

ADMIN_PASSWORD = "the platform admin's passphrase"
MINE = "my own quiet harbour at dusk"


def _admin(client: TestClient) -> dict[str, str]:
    with session_scope() as db:
        db.add(Centre(id="city", name="City"))
        db.flush()
        create_user(db, username="padmin", password=ADMIN_PASSWORD, role="admin")
    r = client.post("/api/v1/auth/token", data={"username": "padmin", "password": ADMIN_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}).status_code


def _change(client: TestClient, username: str, password: str, new: str) -> int:
    r = client.post("/api/v1/auth/password", data={"username": username, "password": password, "new_password": new})
    assert new not in r.text and password not in r.text  # a refusal names the problem, never the password
    return r.status_code


def _flag(username: str) -> bool:
    with session_scope() as db:
        user = db.query(StaffUser).filter(StaffUser.username == username).one()
        return user.must_change_password


def test_a_one_time_password_only_opens_the_change_and_then_stops_working(app_client: tuple) -> None:
    client, _ = app_client
    auth = _admin(client)
    made = client.post("/api/v1/staff", json={"username": "c1", "role": "counsellor", "centre": "city"}, headers=auth)
    assert made.status_code == 201 and made.json()["user"]["must_change_password"] is True
    once = made.json()["password"]
    r = client.post("/api/v1/auth/token", data={"username": "c1", "password": once})
    assert r.status_code == 403 and "access_token" not in r.text and "one-time" in r.json()["detail"]
    assert _login(client, "c1", "not the password at all") == 401  # a wrong password still reads as wrong
    assert _change(client, "c1", "not the password at all", MINE) == 401
    assert _change(client, "c1", once, "short") == 422
    assert _change(client, "c1", once, "c1c1c1c1c1c1") == 422  # the username over and over
    assert _change(client, "c1", once, once) == 422  # the one-time password itself
    assert _flag("c1")
    assert _change(client, "c1", once, MINE) == 204
    assert not _flag("c1")
    assert _login(client, "c1", once) == 401 and _login(client, "c1", MINE) == 200
    listed = client.get("/api/v1/staff", headers=auth).json()["staff"]
    assert [u["must_change_password"] for u in listed if u["username"] == "c1"] == [False]
    with session_scope() as db:
        assert db.query(AuditEvent).filter(AuditEvent.action == "staff.password_change").count() == 1


def test_a_reset_sets_the_flag_again_and_a_chosen_password_does_not(app_client: tuple) -> None:
    client, _ = app_client
    auth = _admin(client)
    made = client.post("/api/v1/staff", json={"username": "c2", "role": "counsellor", "centre": "city",
                                              "password": MINE}, headers=auth)
    assert made.status_code == 201 and made.json()["user"]["must_change_password"] is False
    assert _login(client, "c2", MINE) == 200
    uid = made.json()["user"]["id"]
    fresh = client.post(f"/api/v1/staff/{uid}/password", json={}, headers=auth).json()["password"]
    assert _flag("c2") and _login(client, "c2", fresh) == 403 and _login(client, "c2", MINE) == 401
    chosen = "a passphrase the admin picked"
    assert client.post(f"/api/v1/staff/{uid}/password", json={"password": chosen}, headers=auth).status_code == 200
    assert not _flag("c2") and _login(client, "c2", chosen) == 200


def test_changing_a_password_ends_every_session_of_the_account(app_client: tuple) -> None:
    client, _ = app_client
    _admin(client)
    token = client.post("/api/v1/auth/token", data={"username": "padmin", "password": ADMIN_PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert _change(client, "padmin", ADMIN_PASSWORD, MINE) == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert _login(client, "padmin", MINE) == 200


def test_failed_changes_are_throttled_like_logins(app_client: tuple) -> None:
    client, _ = app_client
    _admin(client)
    statuses = [_change(client, "padmin", f"wrong guess number {i}", MINE) for i in range(30)]
    assert statuses[0] == 401 and statuses[-1] == 429
