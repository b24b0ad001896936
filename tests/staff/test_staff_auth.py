"""Staff accounts and sessions: argon2id, opaque revocable tokens with idle and absolute expiry,
disabling ends every session at once, logout, and the CLI (failed-login throttling: test_login_throttle.py)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.__main__ import main as cli
from app.config import ROOT, Settings
from app.db import session_scope
from app.runtime import get_runtime
from app.staff.models import StaffToken, StaffUser
from app.staff.service import resolve_token
from app.timeutil import utcnow
from tests.escalations.helpers import PASSWORD, login, make_staff, staff
from tests.fakes import FakeRasa

ME = "/api/v1/auth/me"


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"][7:]


def _row(token: str) -> StaffToken:
    from app.sessions.tokens import hash_token

    with session_scope() as db:
        row = db.get(StaffToken, hash_token(get_runtime().pepper, token))
        assert row is not None
        return row


def _shift(token: str, **fields: timedelta) -> None:
    """Move a token's timestamps into the past, as if time had passed."""
    from app.sessions.tokens import hash_token

    with session_scope() as db:
        row = db.get(StaffToken, hash_token(get_runtime().pepper, token))
        assert row is not None
        for name, delta in fields.items():
            setattr(row, name, getattr(row, name) - delta)
        db.add(row)


def test_login_me_logout(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    make_staff("xu", "counsellor")
    r = client.post("/api/v1/auth/token", data={"username": "xu", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["role"] == "counsellor" and len(body["access_token"]) >= 32
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get(ME, headers=headers).json() == {"username": "xu", "role": "counsellor", "centre": "city",
                                                         "org": None}
    with session_scope() as db:
        user = db.exec(select(StaffUser).where(StaffUser.username == "xu")).one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert db.exec(select(StaffToken)).one().token_hash != body["access_token"]  # only a hash is stored
    bad = client.post("/api/v1/auth/token", data={"username": "xu", "password": "wrong-password"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/v1/auth/token", data={"username": "nobody", "password": PASSWORD}).status_code == 401
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get(ME, headers=headers).status_code == 401
    assert client.get("/api/v1/escalations", headers=headers).status_code == 401


def test_successful_logins_do_not_exhaust_the_limit(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    make_staff("often", "counsellor")
    for _ in range(get_runtime().settings.login_attempts_per_minute + 1):
        login(client, "often")


def test_disabling_ends_every_session_at_once(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    make_staff("gone", "counsellor")
    first, second = login(client, "gone"), login(client, "gone")
    assert client.get(ME, headers=first).status_code == 200
    assert cli(["users", "disable", "--username", "gone"]) == 0
    for h in (first, second):
        assert client.get(ME, headers=h).status_code == 401
        assert client.get("/api/v1/escalations", headers=h).status_code == 401
    assert all(_row(_token(h)).revoked_at is not None for h in (first, second))
    assert client.post("/api/v1/auth/token", data={"username": "gone", "password": PASSWORD}).status_code == 401
    assert cli(["users", "enable", "--username", "gone"]) == 0
    assert client.get(ME, headers=first).status_code == 401  # ended sessions stay ended
    assert client.get(ME, headers=login(client, "gone")).status_code == 200


def test_idle_and_absolute_expiry(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    s = get_runtime().settings
    idle = staff(client, "idle")
    _shift(_token(idle), last_seen_at=timedelta(minutes=s.staff_token_idle_minutes + 1))
    assert client.get(ME, headers=idle).status_code == 401

    active = login(client, "idle")
    _shift(_token(active), last_seen_at=timedelta(minutes=s.staff_token_idle_minutes - 1))
    before = _row(_token(active)).last_seen_at
    assert client.get(ME, headers=active).status_code == 200
    assert _row(_token(active)).last_seen_at > before  # activity slides the idle window

    old = login(client, "idle")
    _shift(_token(old), expires_at=timedelta(hours=s.staff_token_absolute_hours), created_at=timedelta(
        hours=s.staff_token_absolute_hours))
    assert client.get(ME, headers=old).status_code == 401  # however active, it ends at the absolute limit
    assert _row(_token(old)).expires_at <= utcnow()


def test_the_live_feed_recheck_does_not_slide_idle_expiry(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    h = staff(client, "feed")
    _shift(_token(h), last_seen_at=timedelta(minutes=5))
    before = _row(_token(h)).last_seen_at
    rt = get_runtime()
    with session_scope() as db:
        assert resolve_token(db, rt.settings, rt.pepper, _token(h), touch=False) is not None
    assert _row(_token(h)).last_seen_at == before


def test_cli_creates_users_in_the_configured_store(settings: Settings) -> None:
    """The password comes on stdin, never on the command line (where `ps` and /proc/*/cmdline show it)."""
    env = {**os.environ, "XINAN_DATA_DIR": str(settings.resolved_data_dir)}
    if settings.database_url:
        env["XINAN_DATABASE_URL"] = settings.database_url
    app = [sys.executable, "-m", "app"]
    run = [*app, "users"]
    for setup in (["centres", "create", "--id", "city", "--name", "City"],
                  ["orgs", "create", "--id", "acme", "--name", "Acme", "--centre", "city"]):
        made = subprocess.run([*app, *setup], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert made.returncode == 0 and "created" in made.stdout, made.stdout + made.stderr
    out = subprocess.run([*run, "create", "--username", "cli-user", "--role", "hr", "--org", "acme"],
                         input=f"{PASSWORD}\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "created cli-user (hr, org acme)" in out.stdout, out.stderr
    out = subprocess.run([*run, "create", "--username", "cli-c", "--role", "counsellor", "--centre", "city"],
                         input=f"{PASSWORD}\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "created cli-c (counsellor, centre city)" in out.stdout, out.stderr
    wrong = subprocess.run([*run, "create", "--username", "cli-w", "--role", "counsellor", "--org", "acme"],
                           input=f"{PASSWORD}\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and "belongs to a centre" in wrong.stdout
    out = subprocess.run([*run, "create", "--username", "cli-oa", "--role", "org_admin", "--org", "acme"],
                         input=f"{PASSWORD}\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "created cli-oa (org_admin, org acme)" in out.stdout, out.stderr
    wrong = subprocess.run([*run, "create", "--username", "cli-oa2", "--role", "org_admin"],
                           input=f"{PASSWORD}\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and "an org admin belongs to an org" in wrong.stdout
    listed = subprocess.run([*run, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "cli-user\thr\torg acme\tactive" in listed.stdout and "cli-c\tcounsellor\tcentre city" in listed.stdout
    assert "cli-w" not in listed.stdout
    moved = subprocess.run([*run, "scope", "--username", "cli-c", "--org", "acme"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert moved.returncode == 1 and "belongs to a centre" in moved.stdout  # a counsellor cannot join an org
    subprocess.run([*app, "centres", "create", "--id", "east", "--name", "East", "--parent", "city"], cwd=ROOT,
                   env=env, capture_output=True, text=True, timeout=120, check=True)
    moved = subprocess.run([*run, "scope", "--username", "cli-c", "--centre", "east"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert moved.returncode == 0 and "now has scope: centre east" in moved.stdout, moved.stdout
    listed = subprocess.run([*run, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "cli-c\tcounsellor\tcentre east" in listed.stdout
    on_argv = subprocess.run([*run, "create", "--username", "argv-user", "--password", PASSWORD, "--role", "hr"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert on_argv.returncode == 2 and "unrecognized arguments: --password" in on_argv.stderr


def _create(monkeypatch: pytest.MonkeyPatch, username: str, password: str, role: str = "hr") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return cli(["users", "create", "--username", username, "--role", role])


def test_cli_refuses_duplicates_and_weak_passwords(app_client: tuple[TestClient, FakeRasa],
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert _create(monkeypatch, "dup", PASSWORD, "admin") == 0
    assert _create(monkeypatch, "dup", PASSWORD, "admin") == 1
    assert cli(["users", "disable", "--username", "nobody"]) == 1
    out = capsys.readouterr().out
    assert "already exists" in out and "no user 'nobody'" in out
    for weak, why in [("short", "at least 10"), ("12345678", "at least 10"), (" " * 12, "blank"), ("", "blank"),
                      ("1234567890", "too weak"), ("password123", "too weak"), ("qwertyuiop", "too weak"),
                      ("weakuser01", "too weak")]:
        assert _create(monkeypatch, "weakuser01", weak) == 1, weak
        assert why in capsys.readouterr().out, weak
    with session_scope() as db:
        assert db.exec(select(StaffUser).where(StaffUser.username == "weakuser01")).first() is None
