"""Store faults during a turn, on the real app in-process (the fake Rasa calls the real actions): SQLite locked by
another writer, PostgreSQL connections killed (as by a restart). The employee gets a clear reply or a 503 with
resources, never a 500; answers are stored once; the conversation goes on."""
from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG, PG_ADMIN_URL, fresh_pg_database
from tests.security.world import World, running_app

BUSY_SECONDS = 15  # app/db.py: SQLite busy timeout


def _say(world: World, sid: str, token: str, cid: str | None = None, **body: str) -> httpx.Response:
    body = {"client_msg_id": cid or uuid.uuid4().hex, **body}
    auth = {"Authorization": f"Bearer {token}"}
    return world.client.post(f"/api/v1/sessions/{sid}/messages", json=body, headers=auth)


def _start(world: World) -> tuple[str, str]:
    sid, token = world.employee()
    assert _say(world, sid, token, payload="/agree").status_code == 200
    r = _say(world, sid, token, payload='/request_scale{"scale":"gad7"}')
    assert r.status_code == 200 and r.json()["messages"][-1]["progress"]["answered"] == 0, r.text
    return sid, token


def _answers(world: World, sid: str) -> list[tuple[int, int]]:
    with create_engine(world.settings.sqlalchemy_url).connect() as c:
        rows = c.execute(text("SELECT a.item_index, a.value FROM answer a JOIN assessment s ON s.id = a.assessment_id"
                              " WHERE s.session_id = :sid ORDER BY a.item_index"), {"sid": sid})
        return [(int(r[0]), int(r[1])) for r in rows]


def _resources(r: httpx.Response) -> bool:
    return any(m.get("card") and m["card"].get("type") == "resources" for m in r.json()["messages"])


def _hold_sqlite(path: Path, seconds: float, started: threading.Event) -> None:
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    started.set()
    time.sleep(seconds)
    con.execute("ROLLBACK")
    con.close()


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_app(tmp_path_factory.mktemp("lock")) as w:
        yield w


def _locked_turn(world: World, seconds: float, sid: str, token: str, cid: str, words: str) -> httpx.Response:
    started = threading.Event()
    db_file = Path(world.settings.sqlalchemy_url.removeprefix("sqlite:///"))
    holder = threading.Thread(target=_hold_sqlite, args=(db_file, seconds, started))
    holder.start()
    assert started.wait(10)
    try:
        return _say(world, sid, token, cid, text=words)
    finally:
        holder.join()


def test_sqlite_locked_briefly_the_turn_waits_and_answers(sqlite_world: World) -> None:
    sid, token = _start(sqlite_world)
    r = _locked_turn(sqlite_world, 2, sid, token, uuid.uuid4().hex, "好几天")
    assert r.status_code == 200 and r.json()["messages"][-1]["progress"]["answered"] == 1, r.text
    assert _answers(sqlite_world, sid) == [(0, 1)]


def test_sqlite_locked_past_the_busy_timeout_gives_503_with_resources(sqlite_world: World) -> None:
    sid, token = _start(sqlite_world)
    cid = uuid.uuid4().hex
    r = _locked_turn(sqlite_world, BUSY_SECONDS + 2, sid, token, cid, "好几天")
    assert r.status_code == 503 and _resources(r), r.text
    assert _answers(sqlite_world, sid) == []
    again = _say(sqlite_world, sid, token, cid, text="好几天")
    assert again.status_code == 200 and again.json()["messages"][-1]["progress"]["answered"] == 1, again.text
    assert _say(sqlite_world, sid, token, text="几乎每天").status_code == 200
    assert _answers(sqlite_world, sid) == [(0, 1), (1, 3)]


@pytest.fixture(scope="module")
def pg_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, str]]:
    if not PG:
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    with fresh_pg_database("xinan_sec") as (url, name), \
            running_app(tmp_path_factory.mktemp("pg"), database_url=url) as w:
        yield w, name


def _terminate(name: str) -> int:
    """What a PostgreSQL restart does to the app: every server connection of its database is gone."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        n = c.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :d "
                           "AND pid <> pg_backend_pid()"), {"d": name}).one()[0]
    admin.dispose()
    return int(n)


@pytest.mark.postgres
def test_postgres_connections_killed_between_and_during_turns(pg_world: tuple[World, str]) -> None:
    world, name = pg_world
    sid, token = _start(world)
    assert _terminate(name) >= 1
    r = _say(world, sid, token, text="好几天")  # between turns: the pool notices and reconnects
    assert r.status_code == 200, r.text
    handle = world.fake.handle

    async def killing(request: httpx.Request) -> httpx.Response:
        """While "Rasa" works on the message (the employee message is committed), the store restarts."""
        if request.url.path.endswith("/webhook"):
            _terminate(name)
        return await handle(request)

    world.app.state.rasa.mount(httpx.MockTransport(killing))
    cid = uuid.uuid4().hex
    try:
        r = _say(world, sid, token, cid, text="几乎每天")
    finally:
        world.app.state.rasa.mount(httpx.MockTransport(handle))
    assert r.status_code in (200, 503), r.text
    if r.status_code == 503:
        assert _resources(r)
        r = _say(world, sid, token, cid, text="几乎每天")
    assert r.status_code == 200, r.text
    assert _answers(world, sid) == [(0, 1), (1, 3)]
    assert _say(world, sid, token, text="完全不会").status_code == 200
    assert _answers(world, sid) == [(0, 1), (1, 3), (2, 0)]


