"""Tests read and write Rasa's tracker store the way Rasa does: through its own store class, in Rasa's interpreter
(the app keeps no copy of Rasa's schema); `stored_user_texts` reads the rows as stored, in this process, for tests
that poll a running Rasa (a second or two per Rasa interpreter would slow every poll)."""
from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, select

from app.config import Settings
from app.crypto import Keyring
from app.rasa.process import DIALOGS, RASA_BIN, endpoints_file, rasa_env, tracker_url
from app.secrets_store import load_keyring
from app.timeutil import utcnow

SCRIPT = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from addons.tracker_maintenance import open_store
store, cmd = open_store(sys.argv[1]), json.load(sys.stdin)
store.domain = Domain.empty()
if cmd["op"] == "seed":
    tracker = DialogueStateTracker(cmd["sender"], slots=[])
    for i in range(cmd["n"]):
        tracker.update(UserUttered(f"hello {i}", timestamp=cmd["ts"] + i))
    asyncio.run(store.save(tracker))
    print(json.dumps({}))
else:
    tracker = asyncio.run(store.retrieve_full_tracker(cmd["sender"]))
    events = [e.as_dict() for e in tracker.events] if tracker else []
    print(json.dumps({"events": len(events), "texts": [e.get("text") for e in events if e["event"] == "user"]}))
"""


def _rasa(settings: Settings, command: dict[str, Any], keyring: Keyring | None = None) -> dict[str, Any]:
    env = rasa_env(settings, "http://127.0.0.1")
    if keyring is not None:
        env["XINAN_ENCRYPTION_KEYS"] = keyring.serialize()
    done = subprocess.run([str(RASA_BIN.parent / "python"), "-c", SCRIPT, str(endpoints_file(settings))],
                          input=json.dumps(command), capture_output=True, text=True, env=env, cwd=DIALOGS,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def seed(settings: Settings, sender: str, n: int = 3, age_days: float = 0) -> None:
    """n user messages ("hello 0", ...) saved by Rasa's store, `age_days` old."""
    ts = (utcnow() - timedelta(days=age_days)).timestamp()
    _rasa(settings, {"op": "seed", "sender": sender, "n": n, "ts": ts})


def event_count(settings: Settings, sender: str) -> int:
    return int(_rasa(settings, {"op": "read", "sender": sender})["events"])


def user_texts(settings: Settings, sender: str, keyring: Keyring | None = None) -> list[str]:
    """What Rasa stored from this employee, decrypted by Rasa's store with `keyring` (default: the deployment's)."""
    return list(_rasa(settings, {"op": "read", "sender": sender}, keyring)["texts"])


def stored_user_texts(settings: Settings, sender: str) -> list[str]:
    """The user texts of Rasa's stored events for `sender`, decrypted with the deployment's keyring; the table is
    read from the database's catalogue (reflected), not from a copy of its schema."""
    engine = create_engine(tracker_url(settings))
    try:
        with engine.connect() as conn:
            events = Table("events", MetaData(), autoload_with=conn)
            rows = conn.execute(select(events.c.data).where(events.c.sender_id == sender)
                                .order_by(events.c.id)).scalars().all()
    finally:
        engine.dispose()
    ring = load_keyring(settings)
    decoded = [json.loads(ring.decrypt(row, aad=sender)) for row in rows]
    return [e.get("text") or "" for e in decoded if e["event"] == "user"]
