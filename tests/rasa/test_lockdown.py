"""What a local process can do to the real Rasa 3.6.21 server behind the app: nothing. Rasa serves only
the app's channel, which wants the app's secret; it has no HTTP API (no tracker, no model, no status); no secret is
on any command line; and the stores it writes are its owner's alone (0600 files in a 0700 data dir)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx
import pytest

from app.rasa.client import CHANNEL_HEADER, STATUS, WEBHOOK
from app.rasa.process import ACTION_SECRET, CHANNEL_SECRET, secret
from app.secrets_store import load_keyring, load_pepper
from scripts.devstack import Stack
from tests.conversation.live_client import Employee
from tests.rasa_tracker import event_count

pytestmark = pytest.mark.rasa


def test_rasa_takes_turns_only_from_the_app(live_stack: Stack) -> None:
    """With a real session id and a crisis message, a direct post to Rasa is refused and records nothing."""
    emp = Employee(live_stack.app_url)
    emp.send(payload="/agree")
    before = event_count(live_stack.settings, emp.sid)
    turn = {"sender": emp.sid, "message": "我不想活了"}
    rasa = httpx.Client(base_url=live_stack.rasa_url, timeout=30)
    assert rasa.post("/webhooks/rest/webhook", json=turn).status_code == 404  # no REST channel at all
    assert rasa.post(WEBHOOK, json=turn).status_code == 401
    assert rasa.post(WEBHOOK, json=turn, headers={CHANNEL_HEADER: "x" * 64}).status_code == 401
    pepper = load_pepper(live_stack.settings)
    wrong = secret(pepper, ACTION_SECRET)  # Rasa's own token for the app's action endpoint is not this one
    assert rasa.post(WEBHOOK, json=turn, headers={CHANNEL_HEADER: wrong}).status_code == 401
    assert rasa.get(STATUS).status_code == 401
    assert event_count(live_stack.settings, emp.sid) == before, "a refused post reached the tracker"
    assert [m for m in emp.history() if m["sender"] == "employee"][-1]["text"] != "我不想活了"
    ok = rasa.get(STATUS, headers={CHANNEL_HEADER: secret(pepper, CHANNEL_SECRET)})
    assert ok.status_code == 200 and ok.json() == {"model_loaded": True}


@pytest.mark.parametrize("path", ["/status", "/version/../status", "/conversations/x/tracker", "/model",
                                  "/conversations/x/tracker/events", "/domain", "/model/parse"])
def test_rasa_has_no_http_api(live_stack: Stack, path: str) -> None:
    token = secret(load_pepper(live_stack.settings), "rasa-http-api")  # the token a Rasa HTTP API would be given
    for method in ("GET", "POST", "PUT"):
        r = httpx.request(method, f"{live_stack.rasa_url}{path}", params={"token": token}, json={}, timeout=10)
        assert r.status_code in (404, 405), (method, path, r.status_code)


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_no_secret_on_a_command_line(live_stack: Stack) -> None:
    """`ps` shows every process's command line to every local user."""
    pepper = load_pepper(live_stack.settings)
    secrets = [pepper.decode(), secret(pepper, CHANNEL_SECRET), secret(pepper, ACTION_SECRET),
               secret(pepper, "rasa-http-api"), load_keyring(live_stack.settings).serialize()]
    procs = [live_stack.procs["rasa"].pid, live_stack.procs["app"].pid]
    children = [int(p) for pid in procs for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for pid in procs + children:
        line = _cmdline(pid)
        assert not any(s in line for s in secrets), f"a secret is on the command line of {line[:80]}"
        assert "--auth-token" not in line and "--enable-api" not in line


def test_data_at_rest_is_the_owners_alone(live_stack: Stack) -> None:
    Employee(live_stack.app_url).send(payload="/agree")  # both stores have written
    data = live_stack.settings.resolved_data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    loose = [f"{p} {stat.S_IMODE(p.stat().st_mode):04o}" for p in data.rglob("*")
             if p.is_file() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []
    names = {p.name for p in data.rglob("*")}
    assert {"xinan.db", "rasa_tracker.db", "encryption.keys", "token.pepper"} <= names, names
    assert os.stat(live_stack.settings.resolved_data_dir).st_uid == os.geteuid()
