"""Readiness answers within 2 s whatever hangs behind it: a load balancer probes /readyz with a 2 s timeout, and a
frozen Rasa must not hold the probe for the turn timeout (8 s). tests/security/test_faults.py freezes the real
Rasa with SIGSTOP; here a socket that accepts and never answers stands in for it."""
from __future__ import annotations

import socket
import time

from fastapi.testclient import TestClient

from app.rasa.client import RasaClient
from app.rasa.process import CHANNEL_SECRET, secret
from app.runtime import get_runtime
from tests.fakes import FakeRasa


def test_readyz_is_quick_when_rasa_answers_nothing(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    assert client.get("/readyz").status_code == 200
    with socket.create_server(("127.0.0.1", 0)) as frozen:  # the kernel accepts; nobody ever reads or answers
        port = frozen.getsockname()[1]
        rt = get_runtime()
        client.app.state.rasa = RasaClient(f"http://127.0.0.1:{port}", rt.settings.rasa_timeout_seconds,  # type: ignore[attr-defined]
                                           channel_token=secret(rt.pepper, CHANNEL_SECRET))
        start = time.monotonic()
        r = client.get("/readyz")
        took = time.monotonic() - start
    assert r.status_code == 503 and "rasa" in r.json()["missing"], r.text
    assert took < 2.0, f"/readyz took {took:.1f} s"
    assert rt.settings.rasa_timeout_seconds >= 8  # the turns' own timeout is untouched


def test_readyz_says_what_is_missing(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, fake = app_client
    fake.down = True
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["missing"]["rasa"].startswith("Rasa does not answer")
