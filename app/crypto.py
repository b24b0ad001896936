"""AES-GCM encryption at rest with a key id in every ciphertext, so keys can rotate without losing old rows."""
from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "x1"


class KeyError_(Exception):
    """A ciphertext names a key we do not have, or the key does not open it: never a silent failure."""


@dataclass(frozen=True)
class Keyring:
    active_kid: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """Parse "kid:base64,kid2:base64"; the first entry is the key new data is written with."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            kid, _, b64 = part.partition(":")
            if not kid or not b64:
                raise ValueError("encryption key entry must look like 'kid:base64key'")
            try:
                raw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
            except binascii.Error as exc:
                raise ValueError(f"encryption key {kid!r} is not valid base64") from exc
            if len(raw) != 32:
                raise ValueError(f"encryption key {kid!r} must be 32 bytes (AES-256), got {len(raw)}")
            keys[kid] = raw
            order.append(kid)
        if not order:
            raise ValueError("no encryption key configured")
        return cls(order[0], keys)

    def serialize(self) -> str:
        ordered = [self.active_kid] + [k for k in self.keys if k != self.active_kid]
        return ",".join(f"{k}:{base64.urlsafe_b64encode(self.keys[k]).decode().rstrip('=')}" for k in ordered)

    def encrypt(self, plaintext: str, aad: str = "") -> str:
        nonce = os.urandom(12)
        ct = AESGCM(self.keys[self.active_kid]).encrypt(nonce, plaintext.encode(), aad.encode() or None)
        return f"{PREFIX}:{self.active_kid}:{base64.urlsafe_b64encode(nonce + ct).decode()}"

    def decrypt(self, token: str, aad: str = "") -> str:
        try:
            prefix, kid, b64 = token.split(":", 2)
        except ValueError as exc:
            raise KeyError_("value is not a Xin'an ciphertext") from exc
        if prefix != PREFIX:
            raise KeyError_("value is not a Xin'an ciphertext")
        key = self.keys.get(kid)
        if key is None:
            raise KeyError_(f"ciphertext uses key id {kid!r}, which is not configured")
        blob = base64.urlsafe_b64decode(b64)
        try:
            return AESGCM(key).decrypt(blob[:12], blob[12:], aad.encode() or None).decode()
        except InvalidTag as exc:
            raise KeyError_(f"key {kid!r} does not open this ciphertext (wrong key?)") from exc

    def key_id_of(self, token: str) -> str:
        return token.split(":", 2)[1]


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)
