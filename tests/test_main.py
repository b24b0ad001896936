"""The app is ready to decide on a crisis before it takes its first request."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import app.main
from app import config
from app import db as app_db
from app.config import Settings
from app.runtime import set_runtime
from app.scales.registry import set_registry


def test_start_up_loads_the_crisis_decider_before_any_request(settings: Settings,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[Settings] = []
    monkeypatch.setattr(app.main, "get_decider", loaded.append)
    monkeypatch.setattr(config, "get_settings", lambda: settings)
    monkeypatch.setattr(app_db, "get_settings", lambda: settings)
    app_db.get_engine.cache_clear()
    application = app.main.create_app(settings)
    assert loaded == []  # building the app trains nothing; serving it does
    try:
        with TestClient(application):
            assert loaded == [settings]
    finally:
        app_db.get_engine().dispose()
        app_db.get_engine.cache_clear()
        set_runtime(None)
        set_registry(None)
