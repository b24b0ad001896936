"""Erasure, retention and key rotation on Rasa's tracker store, through the store's own class: run by the app with
the Rasa virtualenv (app/rasa/tracker_store.py), one JSON command on stdin and one JSON answer on stdout, so no
conversation id ever sits on a command line.

    {"op": "delete", "senders": [...], "before": 1733000000.0}   -> {"deleted": n}   (before: optional)
    {"op": "purge", "before": ts, "keep": [...]}                  -> {"deleted": n, "senders": [every sender left]}
    {"op": "reencrypt"}                                           -> {"rows": n}
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from rasa.utils.endpoints import read_endpoint_config

from addons.encrypted_tracker_store import EncryptedSQLTrackerStore


def open_store(endpoints: str) -> EncryptedSQLTrackerStore:
    """The store as Rasa builds it from endpoints.yml (its url is the host, the rest are keyword arguments)."""
    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None:
        raise SystemExit(f"{endpoints}: no tracker_store")
    return EncryptedSQLTrackerStore(host=config.url, **config.kwargs)


def run(store: EncryptedSQLTrackerStore, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "delete":
        return {"deleted": store.delete_events(command["senders"], command.get("before"))}
    if op == "purge":
        keep = set(command.get("keep") or ())
        stale = [s for s in store.senders_with_events_before(command["before"]) if s not in keep]
        deleted = store.delete_events(stale, command["before"])
        return {"deleted": deleted, "senders": list(asyncio.run(store.keys()))}
    if op == "reencrypt":
        return {"rows": store.reencrypt()}
    raise SystemExit(f"unknown op {op!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoints", required=True)
    args = ap.parse_args()
    json.dump(run(open_store(args.endpoints), json.load(sys.stdin)), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
