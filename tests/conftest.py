"""Shared fixtures: a migrated store per test (SQLite, and PostgreSQL when it answers), the app with a fake Rasa,
and the real stack (Rasa 3.6.21 server + app processes) once per run for the dialogue tests."""
from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app import db as app_db
from app.config import ROOT, Settings
from app.db import upgrade
from app.runtime import get_runtime, set_runtime
from app.scales.registry import set_registry
from scripts.devstack import Stack
from tests.fakes import FakeRasa
from tests.network.helpers import LIVE_UNITS, register_links

PG_ADMIN_URL = os.environ.get("XINAN_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
OUTPUT = ROOT / "test-output"


def _pg_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return True
    except Exception:
        return False


PG = _pg_available()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the migrations built once per run; each test gets a copy (migrating costs ~0.5 s a test)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    url = f"sqlite:///{path}"
    upgrade(make_settings(path.parent, database_url=url), url=url)
    return path


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL database the migrations built once per run, used as the TEMPLATE of each test's database."""
    if not PG:
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    with fresh_pg_database("xinan_tpl") as (url, name):
        upgrade(make_settings(tmp_path_factory.mktemp("pg_template"), database_url=url), url=url)
        yield name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database per test at the migrations' head: a copy of a SQLite file, or a new PostgreSQL database
    made from a template (both built by the migrations once per run) and dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
        return
    with fresh_pg_database("xinan_t", template=request.getfixturevalue("pg_template")) as (url, _):
        yield url


def sqlite_copy(template: Path, path: Path) -> str:
    """Copies a migrated SQLite file with SQLite's backup API and returns the copy's URL."""
    with sqlite3.connect(template) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return f"sqlite:///{path}"


@contextmanager
def fresh_pg_database(prefix: str, template: str | None = None) -> Iterator[tuple[str, str]]:
    """A new PostgreSQL database (its URL and name), empty or a copy of `template`, dropped afterwards whatever
    happens."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path / "var", "rasa_models_dir": ROOT / "var" / "models"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Iterator[Settings]:
    s = make_settings(tmp_path, database_url=db_url)
    yield s
    app_db.get_engine.cache_clear()


@contextmanager
def built_app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    """The real app (create_app, not yet serving) on `settings`' migrated store; its globals reset afterwards."""
    from app import config
    from app.main import create_app

    monkeypatch.setattr(config, "get_settings", lambda: settings)
    app_db.get_engine.cache_clear()
    monkeypatch.setattr(app_db, "get_settings", lambda: settings)
    try:
        yield create_app(settings)
    finally:
        app_db.get_engine().dispose()
        app_db.get_engine.cache_clear()
        set_runtime(None)
        set_registry(None)


@pytest.fixture
def app_client(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, FakeRasa]]:
    """The real app on a fresh migrated store, talking to a fake Rasa that calls the app's real actions."""
    with built_app(settings, monkeypatch) as app:
        fake = FakeRasa(app, get_runtime().pepper)
        app.state.rasa.mount(httpx.MockTransport(fake.handle))
        with TestClient(app) as client:
            yield client, fake


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real Rasa 3.6.21 server and the app as processes on free loopback ports, on a fresh SQLite store."""
    data = tmp_path_factory.mktemp("live")
    settings = Settings(data_dir=data / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    stack = Stack(settings, app_port=free_port(), rasa_port=free_port(), log_dir=OUTPUT / "logs",
                  # every test client shares 127.0.0.1: the browser tests open dozens of conversations a minute
                  extra_env={"XINAN_CLIENT_RATE_PER_MINUTE": "100000", "XINAN_SESSIONS_PER_CLIENT_PER_MINUTE": "1000"})
    stack.start_rasa()
    stack.start_app()
    try:
        stack.wait_ready(timeout=240)
        register_links(settings, "acme", *LIVE_UNITS)
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def live_url(live_stack: Stack) -> str:
    return live_stack.app_url


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last, in their collected order: from the first one on, Playwright's sync API keeps an
    asyncio loop running in the main thread, beside which pytest-asyncio cannot run an async test."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Debian Chromium for the whole run: Playwright's sync API allows one instance per thread."""
    from tests.web.browser import chromium, require_chromium

    require_chromium()
    with chromium() as b:
        yield b
