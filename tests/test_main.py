"""The app is ready to decide on a crisis before it takes its first request."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import app.main
from app.config import Settings
from tests.conftest import built_app


def test_start_up_loads_the_crisis_decider_before_any_request(settings: Settings,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[Settings] = []
    monkeypatch.setattr(app.main, "get_decider", loaded.append)
    with built_app(settings, monkeypatch) as application:
        assert loaded == []  # building the app trains nothing; serving it does
        with TestClient(application):
            assert loaded == [settings]
