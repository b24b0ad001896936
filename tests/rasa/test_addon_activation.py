"""The Rasa add-ons run because credentials.yml lists them, each only on the Rasa version it was written for, and
Rasa refuses to start without log redaction (dialogs/addons/activation.py)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from app.config import Settings
from app.rasa.process import DIALOGS, PYTHONPATH, RASA_BIN, model_path
from tests.rasa.test_addons import RASA_PYTHON, run_in_rasa

pytestmark = pytest.mark.skipif(not RASA_PYTHON.exists(), reason="Rasa's virtualenv is not set up (make setup)")
TOKEN = "t" * 40


def _channel(addons: list[str], written_for: str | None = None) -> dict:
    return run_in_rasa(f"""
        import json
        from rasa.shared.exceptions import RasaException
        if {written_for!r}:
            from addons import fast_event_lookup
            fast_event_lookup.WRITTEN_FOR = {written_for!r}
        from addons.app_channel import AppInput
        from addons import activation
        try:
            AppInput.from_credentials({{"token": {TOKEN!r}, "addons": {addons!r}}})
            print(json.dumps({{"started": True, "active": activation._active}}))
        except RasaException as exc:
            print(json.dumps({{"started": False, "error": str(exc)}}))
    """)


def test_the_channel_activates_what_credentials_list() -> None:
    listed = yaml.safe_load((DIALOGS / "credentials.yml").read_text())["addons.app_channel.AppInput"]["addons"]
    assert "redacted_logs" in listed
    out = _channel(listed)
    assert out == {"started": True, "active": listed}


@pytest.mark.parametrize(("addons", "written_for", "said"), [
    (["fast_slash_messages"], None, "must not start without ['redacted_logs']"),
    (["redacted_logs", "no_such_addon"], None, "unknown Rasa add-ons"),
    (["redacted_logs", "fast_event_lookup"], "3.5.0", "replaces internals of Rasa 3.5.0"),
])
def test_the_channel_refuses_what_it_cannot_vouch_for(addons: list[str], written_for: str | None, said: str) -> None:
    out = _channel(addons, written_for)
    assert out["started"] is False and said in out["error"]


def test_rasa_refuses_to_start_without_log_redaction(tmp_path: Path) -> None:
    """The real server, given credentials without redacted_logs, exits before it loads its model."""
    model = model_path(Settings())
    assert model.exists(), "set-up trains the Rasa model (make setup)"
    creds = yaml.safe_load((DIALOGS / "credentials.yml").read_text())
    creds["addons.app_channel.AppInput"]["addons"].remove("redacted_logs")
    path = tmp_path / "credentials.yml"
    path.write_text(yaml.safe_dump(creds))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": PYTHONPATH, "XINAN_CHANNEL_TOKEN": TOKEN,
           "XINAN_ACTION_URL": "http://127.0.0.1:9/webhook", "XINAN_ACTION_TOKEN": TOKEN,
           "XINAN_RASA_TRACKER_DB": str(tmp_path / "tracker.db"), "XINAN_ENCRYPTION_KEYS": "",
           "RASA_TELEMETRY_ENABLED": "false", "HOME": os.environ.get("HOME", str(tmp_path))}
    done = subprocess.run([str(RASA_BIN), "run", "--port", "0", "--credentials", str(path), "--endpoints",
                           str(DIALOGS / "endpoints.yml"), "--model", str(model)],
                          cwd=DIALOGS, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode != 0
    assert "must not start without ['redacted_logs']" in done.stdout + done.stderr
