"""`python -m app serve` takes what start-up built out of the garbage collector's way before it serves."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

import app.main
from app.__main__ import main as cli


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the suite collects as usual


def test_serve_freezes_the_start_up_objects_before_it_serves(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    built = object()
    seen: dict[str, Any] = {}
    monkeypatch.setattr(app.main, "create_app", lambda settings: built)

    def run(application: object, **_: Any) -> None:
        seen["app"], seen["frozen"] = application, gc.get_freeze_count()

    monkeypatch.setattr(uvicorn, "run", run)
    assert gc.get_freeze_count() == 0
    assert cli(["serve"]) == 0
    assert seen["app"] is built
    assert seen["frozen"] > 10_000  # every module the app imported, not a token few
