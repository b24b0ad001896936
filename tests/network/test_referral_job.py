"""The referral pass runs by itself in the running app: a background task, off the event loop."""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import db as app_db
from app.config import Settings
from app.timeutil import utcnow
from tests.conftest import make_settings
from tests.network.referral_world import build, moves, raise_case, row


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Iterator[Settings]:
    s = make_settings(tmp_path, database_url=db_url, referral_interval_seconds=1)
    yield s
    app_db.get_engine.cache_clear()


def test_the_running_app_refers_overdue_cases_by_itself(app_client: tuple) -> None:
    client: TestClient = app_client[0]
    build()
    eid = raise_case(client, "urgent", utcnow() - timedelta(minutes=11))  # its window passed a minute ago
    deadline = time.monotonic() + 15
    while row(eid).holding_centre_id == "station" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert row(eid).holding_centre_id == "county" and moves(eid) == [("station", "county", "unclaimed")]
    assert client.get("/healthz").status_code == 200  # the loop kept serving meanwhile
