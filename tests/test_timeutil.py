"""Timestamps leave the API as UTC with a Z, whatever the host's time zone and whether the store kept the zone."""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.timeutil import iso


@pytest.fixture
def shanghai_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_naive_stored_value_is_read_as_utc_not_as_the_hosts_local_time(shanghai_host: None) -> None:
    assert iso(datetime(2026, 1, 1, 12, 0, 0)) == "2026-01-01T12:00:00Z"


def test_an_aware_value_is_converted_to_utc(shanghai_host: None) -> None:
    beijing = timezone(timedelta(hours=8))
    assert iso(datetime(2026, 1, 1, 20, 0, 0, tzinfo=beijing)) == "2026-01-01T12:00:00Z"
    assert iso(datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)) == "2026-01-01T12:00:00Z"
    assert iso(None) is None
