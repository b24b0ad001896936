"""Training and starting the Rasa server (its own Python 3.10 virtualenv): model fingerprint, env and command."""
from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from app.config import ROOT, Settings
from app.data_dir import secure
from app.model_files import build_once
from app.secrets_store import ensure_secrets, load_keyring, load_pepper

DIALOGS = ROOT / "dialogs"
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
PYTHONPATH = os.pathsep.join([str(ROOT), str(DIALOGS)])  # the add-ons and the app's crypto module for Rasa


def fingerprint() -> str:
    """Hash of everything training reads; the model file carries it, so unchanged data is never retrained."""
    h = hashlib.sha256()
    files = [DIALOGS / "config.yml", DIALOGS / "domain.yml", *sorted((DIALOGS / "data").glob("*.yml")),
             DIALOGS / "requirements.txt"]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def models_dir(settings: Settings) -> Path:
    return settings.rasa_models_dir or settings.resolved_data_dir / "models"


def model_path(settings: Settings) -> Path:
    return models_dir(settings) / f"xinan-{fingerprint()}.tar.gz"


def train(settings: Settings) -> Path:
    """Train unless a model for this exact data exists; one trainer at a time (others wait, then reuse it)."""
    path = model_path(settings)
    if path.exists():
        print(f"==> Rasa model up to date ({path.name}); training skipped")
        return path
    return build_once(path, _train, "xinan-*.tar.gz")


def _train(path: Path) -> None:
    print("==> training the Rasa model (about 3 minutes; only when dialogs/ changed)", flush=True)
    subprocess.run([str(RASA_BIN), "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                    "--out", str(path.parent), "--fixed-model-name", path.name.removesuffix(".tar.gz")],
                   cwd=DIALOGS, check=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})


CHANNEL_SECRET = "rasa-input-channel"  # the app's calls to Rasa (dialogs/addons/app_channel.py)
ACTION_SECRET = "rasa-action-endpoint"  # Rasa's calls to the app's action endpoint (app/rasa/action_endpoint.py)


def secret(pepper: bytes, purpose: str) -> str:
    return hmac.new(pepper, purpose.encode(), "sha256").hexdigest()


def endpoints_file(settings: Settings) -> Path:
    """Rasa's endpoints for this deployment: the encrypted tracker store on the same database kind as the app, and
    Redis as the lock store when Redis is configured (several Rasa replicas); dialogs/endpoints.yml otherwise."""
    url = make_url(tracker_url(settings))
    if not url.drivername.startswith("postgresql") and not settings.redis_url:
        return DIALOGS / "endpoints.yml"
    config: dict[str, object] = {
        "action_endpoint": {"url": "${XINAN_ACTION_URL}", "token": "${XINAN_ACTION_TOKEN}"},
        "tracker_store": {"type": "addons.encrypted_tracker_store.EncryptedSQLTrackerStore",
                          "dialect": "postgresql" if url.drivername.startswith("postgresql") else "sqlite",
                          "db": url.database or ""},
        "lock_store": {"type": "in_memory"},
    }
    if url.drivername.startswith("postgresql"):
        config["tracker_store"].update(  # type: ignore[union-attr]
            {k: v for k, v in {"url": url.host or "127.0.0.1", "port": url.port or 5432, "username": url.username,
                               "password": url.password}.items() if v is not None})
    if settings.redis_url:
        r = make_url(settings.redis_url)
        config["lock_store"] = {"type": "redis", "url": r.host or "127.0.0.1", "port": r.port or 6379,
                                "db": int(r.database or 0), "key_prefix": "xinan"}
    path = settings.resolved_data_dir / "rasa-endpoints.yml"
    secure(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it may hold the database password
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(yaml.safe_dump(config, sort_keys=False))
    return path


def tracker_url(settings: Settings) -> str:
    """Rasa's tracker store: set explicitly, else the app's PostgreSQL database, else a SQLite file in the data dir."""
    if settings.rasa_tracker_url:
        return settings.rasa_tracker_url
    if settings.database_url and settings.database_url.startswith("postgresql"):
        return settings.database_url
    return f"sqlite:///{settings.resolved_data_dir / 'rasa_tracker.db'}"


def rasa_env(settings: Settings, app_url: str) -> dict[str, str]:
    ensure_secrets(settings)
    pepper = load_pepper(settings)
    env = dict(os.environ)
    env.update({
        "XINAN_ACTION_URL": f"{app_url.rstrip('/')}/webhook",
        "XINAN_ACTION_TOKEN": secret(pepper, ACTION_SECRET),
        "XINAN_CHANNEL_TOKEN": secret(pepper, CHANNEL_SECRET),
        "XINAN_RASA_TRACKER_DB": make_url(tracker_url(settings)).database or "",
        "XINAN_ENCRYPTION_KEYS": load_keyring(settings).serialize(),
        "PYTHONPATH": PYTHONPATH,
        "LOG_LEVEL": "INFO",
        "RASA_TELEMETRY_ENABLED": "false",
    })
    return env


def rasa_command(settings: Settings, port: int, host: str = "127.0.0.1") -> list[str]:
    """No secret on this command line (`ps` shows it to every local user) and no HTTP API (no --enable-api): Rasa
    serves only the app's channel, whose secret comes in the environment (rasa_env)."""
    return [str(RASA_BIN), "run", "--interface", host, "--port", str(port),
            "--model", str(model_path(settings)), "--endpoints", str(endpoints_file(settings)),
            "--credentials", str(DIALOGS / "credentials.yml"), "--response-timeout", "30"]


def main_train(settings: Settings) -> int:
    try:
        print(train(settings))
    except subprocess.CalledProcessError as exc:
        print(f"rasa train failed ({exc.returncode})", file=sys.stderr)
        return 1
    return 0
