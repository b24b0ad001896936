"""Tiered referral (app/network/referrals.py) with time injected, never slept: a case unclaimed past its centre's
claim window moves to the parent and stays visible to the first; out of hours it is referred at once; at the root
an unclaimed urgent case keeps alerting; a pass is idempotent. Runs on SQLite and PostgreSQL (the db_url fixture)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import db as app_db
from app.config import ROOT, Settings
from app.escalations import events, live
from app.network.jobs import refer_once
from app.runtime import get_runtime
from app.safety.crisis_flow import within
from app.timeutil import utcnow
from tests.conftest import make_settings
from tests.network.referral_world import (
    MONDAY_10_SHANGHAI,
    OFFICE_HOURS,
    SATURDAY_11_SHANGHAI,
    WINDOWS,
    build,
    headers,
    moves,
    raise_case,
    row,
    set_hours,
)


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Iterator[Settings]:
    """The app's own periodic pass is off here: each test runs the pass itself at the times it chooses."""
    s = make_settings(tmp_path, database_url=db_url, referral_interval_seconds=0)
    yield s
    app_db.get_engine.cache_clear()


def utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def run(at: datetime) -> dict[str, int]:
    return refer_once(get_runtime().settings, at)


@pytest.fixture
def net(app_client: tuple) -> TestClient:
    client, _ = app_client
    build()
    return client


def test_a_case_unclaimed_past_its_window_moves_up_and_stays_visible_to_the_first(net: TestClient) -> None:
    set_hours(net, "county", {**OFFICE_HOURS, "always_open": True}, {**WINDOWS, "urgent_minutes": 30})
    t0 = utcnow()
    eid = raise_case(net, "urgent", t0)
    assert (row(eid).holding_centre_id, utc(row(eid).due_at)) == ("station", t0 + timedelta(minutes=10))
    assert run(t0 + timedelta(minutes=9)) == {"referred": 0, "realerted": 0}
    assert row(eid).holding_centre_id == "station" and moves(eid) == []

    t1 = t0 + timedelta(minutes=10, seconds=1)
    assert run(t1) == {"referred": 1, "realerted": 0}
    esc = row(eid)
    assert esc.holding_centre_id == "county" and esc.status == "open"
    assert utc(esc.due_at) == t1 + timedelta(minutes=30)  # the county's own urgent window
    assert within(esc.due_at, "en", now=t1) == "30 minutes"  # the crisis reply's "expected within …"
    assert moves(eid) == [("station", "county", "unclaimed")]
    assert run(t1) == {"referred": 0, "realerted": 0} and len(moves(eid)) == 1  # idempotent

    first = net.get(f"/api/v1/escalations/{eid}", headers=headers("c_station"), params={"locale": "en"})
    assert first.status_code == 200 and first.json()["centre"] == "county"
    assert [(m["from"], m["to"], m["reason"]) for m in first.json()["referrals"]] == moves(eid)
    assert eid in {e["id"] for e in net.get("/api/v1/escalations", headers=headers("c_county")).json()["escalations"]}
    assert net.get(f"/api/v1/escalations/{eid}", headers=headers("c_west")).status_code == 404


def test_a_claimed_case_is_never_referred(net: TestClient) -> None:
    t0 = utcnow()
    eid = raise_case(net, "urgent", t0)
    assert net.post(f"/api/v1/escalations/{eid}/claim", headers=headers("c_station")).status_code == 200
    assert run(t0 + timedelta(hours=2)) == {"referred": 0, "realerted": 0}
    assert row(eid).holding_centre_id == "station" and moves(eid) == []


def test_at_the_root_an_unclaimed_urgent_case_keeps_alerting(net: TestClient) -> None:
    heard: list[tuple[str, str]] = []
    unsubscribe = events.subscribe(lambda kind, ident: heard.append((kind, ident)))
    try:
        t0 = utcnow()
        urgent, high = raise_case(net, "urgent", t0), raise_case(net, "high", t0)
        run(t0 + timedelta(minutes=11))  # station → county
        run(t0 + timedelta(minutes=22))  # county → city, the root
        assert row(urgent).holding_centre_id == "city"
        at_root = utc(row(urgent).due_at)
        assert run(at_root - timedelta(seconds=1)) == {"referred": 0, "realerted": 0}
        assert run(at_root) == {"referred": 0, "realerted": 1}
        assert moves(urgent)[-1] == ("city", "city", "root_realert") and ("realert", urgent) in heard
        assert run(at_root + timedelta(minutes=5)) == {"referred": 0, "realerted": 0}  # once per urgent window
        assert run(at_root + timedelta(minutes=10, seconds=1)) == {"referred": 0, "realerted": 1}  # and again
        assert [m[2] for m in moves(urgent)].count("root_realert") == 2
        # every re-alert reaches the root's console, and the case is still open and still the station's to see
        assert [e.event for e in live._render(_user("c_city"), [("realert", urgent)])] == ["realert"]
        assert live._render(_user("c_west"), [("realert", urgent)]) == []
        assert row(urgent).status == "open"
        assert net.get(f"/api/v1/escalations/{urgent}", headers=headers("c_station")).status_code == 200
        # a high case is not re-alerted at the root, and not dropped: it waits, overdue, in the root's queue
        assert run(t0 + timedelta(hours=5)) == {"referred": 1, "realerted": 1}  # high: station → county
        assert run(t0 + timedelta(hours=10)) == {"referred": 1, "realerted": 1}  # high: county → city
        assert run(t0 + timedelta(hours=15)) == {"referred": 0, "realerted": 1}  # the urgent one only
        assert (row(high).holding_centre_id, row(high).status) == ("city", "open")
        assert "root_realert" not in [m[2] for m in moves(high)]
    finally:
        unsubscribe()


def test_raised_out_of_hours_an_urgent_case_is_referred_at_once(net: TestClient) -> None:
    for centre in ("station", "county"):
        set_hours(net, centre, OFFICE_HOURS)
    weekend = raise_case(net, "urgent", SATURDAY_11_SHANGHAI)
    assert row(weekend).holding_centre_id == "city"  # open around the clock
    assert moves(weekend) == [("station", "county", "out_of_hours"), ("county", "city", "out_of_hours")]
    assert utc(row(weekend).due_at) == SATURDAY_11_SHANGHAI + timedelta(minutes=10)
    in_hours = raise_case(net, "urgent", MONDAY_10_SHANGHAI)
    assert row(in_hours).holding_centre_id == "station" and moves(in_hours) == []
    # a window that passes after closing time climbs past the closed county to the city
    late = MONDAY_10_SHANGHAI + timedelta(hours=7, minutes=25)  # 17:25 local
    eid = raise_case(net, "urgent", late)
    assert row(eid).holding_centre_id == "station"
    run(late + timedelta(minutes=11))
    assert moves(eid) == [("station", "county", "unclaimed"), ("county", "city", "out_of_hours")]
    assert row(eid).holding_centre_id == "city"


def test_routine_windows_count_working_days(net: TestClient) -> None:
    set_hours(net, "station", OFFICE_HOURS)
    friday = MONDAY_10_SHANGHAI + timedelta(days=4)
    eid = raise_case(net, "routine", friday)
    assert utc(row(eid).due_at) == friday + timedelta(days=5)  # Fri → Mon, Tue, Wed: same time on Wednesday
    assert run(friday + timedelta(days=3)) == {"referred": 0, "realerted": 0}


def test_the_command_line_runs_one_pass(net: TestClient, settings: Settings) -> None:
    client = net
    eid = raise_case(client, "high", utcnow() - timedelta(hours=5))
    env = {**os.environ, "XINAN_DATABASE_URL": settings.database_url or "", "XINAN_DATA_DIR": str(settings.data_dir),
           "XINAN_RASA_MODELS_DIR": str(settings.rasa_models_dir)}
    out = subprocess.run([sys.executable, "-m", "app", "referrals", "run"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "referred 1, re-alerted 0"
    assert row(eid).holding_centre_id == "county" and len(moves(eid)) == 1


def _user(name: str):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from app.db import session_scope
    from app.staff.models import StaffUser

    with session_scope() as db:
        user = db.exec(select(StaffUser).where(StaffUser.username == name)).one()
        db.expunge(user)
        return user
