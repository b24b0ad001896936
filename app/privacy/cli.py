"""`python -m app keys rotate`, `purge` and `secrets`: privacy maintenance from the command line."""
from __future__ import annotations

import argparse
import secrets

from app.config import get_settings
from app.crypto import Keyring, new_key
from app.db import session_scope, upgrade
from app.privacy.erasure import purge_expired
from app.privacy.keys import rotate
from app.rasa.process import ACTION_SECRET, CHANNEL_SECRET, secret
from app.secrets_store import ensure_secrets, load_keyring, load_pepper, save_keyring


def _rotate(_: argparse.Namespace) -> int:
    settings = get_settings()
    ensure_secrets(settings)
    upgrade(settings)
    ring = load_keyring(settings)
    with session_scope() as db:
        final, counts = rotate(db, settings, ring)
    for name, n in counts.items():
        print(f"re-encrypted {n:>8} rows of {name}")
    if settings.encryption_keys:
        print("XINAN_ENCRYPTION_KEYS comes from the environment: set it to the new value and restart:")
        print(final.serialize())
    else:
        print(f"new active key {final.active_kid} written to {save_keyring(settings, final)}; restart the service")
    return 0


def _purge(_: argparse.Namespace) -> int:
    settings = get_settings()
    upgrade(settings)
    with session_scope() as db:
        counts = purge_expired(db, settings)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def _secrets(args: argparse.Namespace) -> int:
    """The deployment's secrets as environment lines: the app's keys and pepper, and the tokens Rasa must send."""
    settings = get_settings()
    if args.new:
        ring, pepper = Keyring("k" + secrets.token_hex(4), {}), secrets.token_urlsafe(32)
        ring.keys[ring.active_kid] = new_key()
        spec = ring.serialize()
    else:
        ensure_secrets(settings)
        spec, pepper = load_keyring(settings).serialize(), load_pepper(settings).decode()
    print(f"XINAN_ENCRYPTION_KEYS={spec}")
    print(f"XINAN_TOKEN_PEPPER={pepper}")
    print(f"XINAN_ACTION_TOKEN={secret(pepper.encode(), ACTION_SECRET)}")
    print(f"XINAN_CHANNEL_TOKEN={secret(pepper.encode(), CHANNEL_SECRET)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("secrets", help="print the secrets as environment lines (--new: a fresh set)")
    p.add_argument("--new", action="store_true")
    p.set_defaults(func=_secrets)
    p = sub.add_parser("keys", help="encryption keys")
    p.add_argument("action", choices=["rotate"])
    p.set_defaults(func=_rotate)
    sub.add_parser("purge", help="delete transcripts older than the retention period").set_defaults(func=_purge)
