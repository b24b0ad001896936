"""Erasure, retention and key rotation on Rasa's tracker store, done by Rasa's own store class in the Rasa
virtualenv (dialogs/addons/tracker_maintenance.py): the app keeps no copy of Rasa's schema. Blocking (a process of
a second or two): call it from a worker thread or a job, never on the event loop."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.config import Settings
from app.crypto import Keyring
from app.rasa.process import DIALOGS, RASA_BIN, endpoints_file, rasa_env, tracker_url


class TrackerStoreError(RuntimeError):
    """The maintenance command failed; its stderr is not repeated (it could name a conversation)."""


def _absent(settings: Settings) -> bool:
    """A store Rasa never created holds nothing, so no process is started for it: no SQLite file, or a database
    without Rasa's table (a look at the catalogue by name, not a copy of Rasa's schema)."""
    url = make_url(tracker_url(settings))
    if url.drivername.startswith("sqlite"):
        return not Path(url.database or "").is_file()
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return not inspect(conn).has_table("events")
    finally:
        engine.dispose()


def _run(settings: Settings, command: dict[str, Any], keyring: Keyring | None = None) -> dict[str, Any]:
    env = rasa_env(settings, "http://127.0.0.1")  # the action URL is unused: nothing is predicted
    if keyring is not None:
        env["XINAN_ENCRYPTION_KEYS"] = keyring.serialize()
    done = subprocess.run([str(RASA_BIN.parent / "python"), "-m", "addons.tracker_maintenance", "--endpoints",
                           str(endpoints_file(settings))], input=json.dumps(command), capture_output=True, text=True,
                          env={**env, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}, cwd=DIALOGS, timeout=600)
    if done.returncode != 0:
        raise TrackerStoreError(f"tracker maintenance {command.get('op')} exited {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def delete(settings: Settings, senders: list[str], before: float | None = None, *, present: bool = False) -> int:
    """Delete these conversations' events (those older than `before`, a POSIX time, when given). `present`: the
    caller has just found the store (purge named these senders), so it is not looked up again."""
    if not senders or (not present and _absent(settings)):
        return 0
    return int(_run(settings, {"op": "delete", "senders": senders, "before": before})["deleted"])


def purge(settings: Settings, before: float, keep: set[str]) -> tuple[int, list[str]]:
    """Delete events older than `before` except those of `keep`; returns how many, and every sender left."""
    if _absent(settings):
        return 0, []
    out = _run(settings, {"op": "purge", "before": before, "keep": sorted(keep)})
    return int(out["deleted"]), list(out["senders"])


def reencrypt(settings: Settings, keyring: Keyring) -> int:
    """Re-encrypt every event under `keyring`'s active key (it must hold the old keys too)."""
    return 0 if _absent(settings) else int(_run(settings, {"op": "reencrypt"}, keyring)["rows"])
