"""Bearer tokens: 256 random bits shown once; only a keyed hash (HMAC-SHA256 with the pepper) is stored."""
from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(pepper: bytes, token: str) -> str:
    return hmac.new(pepper, token.encode(), hashlib.sha256).hexdigest()


def new_id() -> str:
    return secrets.token_hex(16)
