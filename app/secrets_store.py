"""Secrets for one machine: generated into the data dir on first run (mode 0600); from the environment in production."""
from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from app.config import Settings
from app.crypto import Keyring, new_key

KEYS_FILE = "encryption.keys"
PEPPER_FILE = "token.pepper"


class SecretsError(RuntimeError):
    """Start-up must stop: a key file is missing or unreadable."""


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(content)


def _secrets_dir(settings: Settings) -> Path:
    return settings.resolved_data_dir / "secrets"


def ensure_secrets(settings: Settings) -> None:
    """Create the key files on the very first run; never overwrite them (that would lose every encrypted row)."""
    if settings.encryption_keys and settings.token_pepper:
        return
    d = _secrets_dir(settings)
    keys, pepper = d / KEYS_FILE, d / PEPPER_FILE
    marker = settings.resolved_data_dir / ".initialised"
    if marker.exists() and not settings.encryption_keys and not keys.exists():
        raise SecretsError(f"key file {keys} is missing but data already exists; restore it "
                           "(refusing to make a new key)")
    if not settings.encryption_keys and not keys.exists():
        kid = "k" + secrets.token_hex(4)
        _write_private(keys, f"{kid}:{base64.urlsafe_b64encode(new_key()).decode().rstrip('=')}\n")
    if not settings.token_pepper and not pepper.exists():
        _write_private(pepper, secrets.token_urlsafe(32) + "\n")
    marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    marker.touch(mode=0o600)


def load_keyring(settings: Settings) -> Keyring:
    if settings.encryption_keys:
        try:
            return Keyring.parse(settings.encryption_keys)
        except ValueError as exc:
            raise SecretsError(f"XINAN_ENCRYPTION_KEYS: {exc}") from exc
    path = _secrets_dir(settings) / KEYS_FILE
    if not path.exists():
        raise SecretsError(f"encryption key file {path} is missing")
    try:
        return Keyring.parse(path.read_text())
    except ValueError as exc:
        raise SecretsError(f"encryption key file {path}: {exc}") from exc


def save_keyring(settings: Settings, ring: Keyring) -> Path:
    path = _secrets_dir(settings) / KEYS_FILE
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    _write_private(tmp, ring.serialize() + "\n")
    tmp.replace(path)
    return path


def load_pepper(settings: Settings) -> bytes:
    if settings.token_pepper:
        return settings.token_pepper.encode()
    path = _secrets_dir(settings) / PEPPER_FILE
    if not path.exists():
        raise SecretsError(f"token pepper file {path} is missing")
    return path.read_text().strip().encode()
