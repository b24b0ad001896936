"""The real app served by uvicorn in a thread of the test process, for browser tests that seed the store directly
and need no Rasa (the console and the dashboard)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from app import config
from app import db as app_db
from app.config import Settings
from app.runtime import set_runtime
from app.scales.registry import set_registry
from tests.conftest import free_port


@contextmanager
def app_in_thread(settings: Settings, monkeypatch: pytest.MonkeyPatch, seed: Callable[[], None]) -> Iterator[str]:
    """Yields the app's URL once /healthz answers; `seed` fills the migrated store first."""
    from app.main import create_app

    monkeypatch.setattr(config, "get_settings", lambda: settings)
    monkeypatch.setattr(app_db, "get_settings", lambda: settings)
    app_db.get_engine.cache_clear()
    app = create_app(settings)
    seed()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app_db.get_engine().dispose()
        app_db.get_engine.cache_clear()
        set_runtime(None)
        set_registry(None)
