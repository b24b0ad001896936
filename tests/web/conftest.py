"""Fixtures of the widget's tests. The fast tests need SQLite only. The browser tests share one Chromium and, where
Rasa plays no part (embedding, layout, the "assistant unavailable" path), one app process started without Rasa."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.config import ROOT, Settings
from scripts.devstack import Stack
from tests.conftest import free_port, sqlite_copy
from tests.network.helpers import WORLD_LINK, register_links
from tests.web.admin_pages import admin_app
from tests.web.console_pages import ConsoleApp, console_app
from tests.web.hostpage import HostPage


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    return sqlite_copy(sqlite_template, tmp_path / "test.db")


@dataclass
class PlainApp:
    url: str
    allowed_host: HostPage  # a host page whose origin XINAN_EMBED_ALLOWED_ORIGINS names
    other_host: HostPage  # a host page on an origin that is not allowed
    data_dir: Path


@pytest.fixture(scope="session")
def plain_app(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlainApp]:
    """The app as its own process (`python -m app serve`) with no Rasa server behind it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    allowed, other = HostPage(url), HostPage(url)
    # The set-up's trained models: the crisis classifier is not trained again inside a test's first crisis message.
    settings = Settings(data_dir=tmp_path_factory.mktemp("plain") / "var",  # type: ignore[call-arg]
                        rasa_models_dir=ROOT / "var" / "models")
    stack = Stack(settings, app_port=port, rasa_port=free_port(), log_dir=ROOT / "test-output" / "logs",
                  extra_env={"XINAN_EMBED_ALLOWED_ORIGINS": allowed.url})
    stack.start_app()
    try:
        stack.wait_ready(timeout=60, path="/healthz")  # no Rasa behind this app, so not /readyz
        register_links(settings, *WORLD_LINK)
        yield PlainApp(url, allowed, other, settings.resolved_data_dir)
    finally:
        stack.stop()
        allowed.close()
        other.close()


@pytest.fixture(scope="session")
def console25_app(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleApp]:
    """An app without Rasa holding urgent cases from a long-named org and unit (the console layout and axe tests)."""
    yield from console_app(tmp_path_factory.mktemp("console25"))


@pytest.fixture(scope="session")
def admin_console_app(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleApp]:
    """An app without Rasa and without cases for the admin area's tests (browser and axe)."""
    yield from admin_app(tmp_path_factory.mktemp("admin"))
