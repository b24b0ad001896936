"""A counsellor transfers a case to another centre (a sibling too): recorded with who and why (encrypted), visible to
the receiving centre's staff and still to the first centre, heard on the receiving centre's live feed; clear 4xx
for a bad centre or an empty reason, 404 out of scope. And the claim-window/service-hours API of a centre."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import session_scope
from app.escalations import events, live
from app.network.models import Referral
from app.staff.models import StaffUser
from app.timeutil import utcnow
from tests.network.referral_world import OFFICE_HOURS, WINDOWS, build, headers, moves, raise_case, row

REASON = "the employee now works at the west site"


@pytest.fixture
def net(app_client: tuple) -> TestClient:
    client, _ = app_client
    build()
    return client


def _user(name: str) -> StaffUser:
    with session_scope() as db:
        user = db.exec(select(StaffUser).where(StaffUser.username == name)).one()
        db.expunge(user)
        return user


def _ids(client: TestClient, who: str) -> set[str]:
    r = client.get("/api/v1/escalations", headers=headers(who), params={"status": "all"})
    assert r.status_code == 200
    return {e["id"] for e in r.json()["escalations"]}


def test_transfer_to_a_sibling_centre(net: TestClient) -> None:
    eid = raise_case(net, "high", utcnow())
    url = f"/api/v1/escalations/{eid}/transfer"
    assert net.post(url, json={"centre": "west", "reason": REASON}, headers=headers("c_west")).status_code == 404
    for bad in ({"centre": "nowhere", "reason": REASON}, {"centre": "west", "reason": "   "}, {"centre": "west"},
                {"centre": "west", "reason": REASON, "username": "c_city"}, {"centre": "station", "reason": REASON},
                {}):
        r = net.post(url, json=bad, headers=headers("c_station"))
        assert r.status_code == 422, (bad, r.text)
    assert moves(eid) == [] and row(eid).holding_centre_id == "station"
    assert eid not in _ids(net, "c_west") and live._render(_user("c_west"), [("escalation", eid)]) == []

    heard: list[tuple[str, str]] = []
    unsubscribe = events.subscribe(lambda kind, ident: heard.append((kind, ident)))
    try:
        r = net.post(url, json={"centre": "west", "reason": REASON}, headers=headers("c_station"))
    finally:
        unsubscribe()
    assert r.status_code == 200, r.text
    assert (r.json()["centre"], r.json()["status"]) == ("west", "open")
    assert ("escalation", eid) in heard
    assert [e.event for e in live._render(_user("c_west"), [("escalation", eid)])] == ["escalation"]
    assert moves(eid) == [("station", "west", "transfer")]
    for who in ("c_west", "a_west", "c_station", "c_county", "c_city", "padmin"):  # receiving and first centre
        assert eid in _ids(net, who), who
    detail = net.get(f"/api/v1/escalations/{eid}", headers=headers("c_west")).json()
    [move] = detail["referrals"]
    assert (move["from"], move["to"], move["reason"], move["by"], move["note"]) == \
        ("station", "west", "transfer", "c_station", REASON)
    assert move["to_name"] == "West centre"
    with session_scope() as db:
        stored = db.exec(select(Referral).where(Referral.escalation_id == eid)).one()
        assert stored.note_enc and REASON not in stored.note_enc  # encrypted like notes


def test_a_claimed_case_is_transferred_by_its_holder_and_arrives_unclaimed(net: TestClient) -> None:
    eid = raise_case(net, "urgent", utcnow())
    assert net.post(f"/api/v1/escalations/{eid}/claim", headers=headers("c_station")).status_code == 200
    url = f"/api/v1/escalations/{eid}/transfer"
    assert net.post(url, json={"centre": "west", "reason": REASON}, headers=headers("c_county")).status_code == 403
    r = net.post(url, json={"centre": "west", "reason": REASON}, headers=headers("c_station"))
    assert r.status_code == 200 and r.json()["claimed_by"] is None and r.json()["status"] == "open"
    assert net.post(f"/api/v1/escalations/{eid}/claim", headers=headers("c_west")).status_code == 200
    # the west counsellor holds it now and may send it on; the station still sees where it went
    r = net.post(url, json={"centre": "city", "reason": "needs the city team"}, headers=headers("c_west"))
    assert r.status_code == 200 and row(eid).holding_centre_id == "city"
    assert moves(eid) == [("station", "west", "transfer"), ("west", "city", "transfer")]
    assert net.get(f"/api/v1/escalations/{eid}", headers=headers("c_station")).status_code == 200


def test_the_old_hand_over_to_a_counsellor_still_works(net: TestClient) -> None:
    eid = raise_case(net, "routine", utcnow())
    assert net.post(f"/api/v1/escalations/{eid}/claim", headers=headers("c_station")).status_code == 200
    r = net.post(f"/api/v1/escalations/{eid}/transfer", json={"username": "c_county"}, headers=headers("c_station"))
    assert r.status_code == 200 and r.json()["claimed_by"] == "c_county" and moves(eid) == []


def test_claim_windows_and_service_hours_api(net: TestClient) -> None:
    url = "/api/v1/centres/station/policy"
    got = net.get(url, headers=headers("c_station"))
    assert got.status_code == 200, got.text
    assert got.json()["claim_windows"] == WINDOWS
    assert got.json()["service_hours"]["always_open"] is True and got.json()["open_now"] is True
    body = {"claim_windows": {**WINDOWS, "urgent_minutes": 5}, "service_hours": OFFICE_HOURS}
    assert net.put(url, json=body, headers=headers("c_station")).status_code == 403
    assert net.put(url, json=body, headers=headers("a_west")).status_code == 404  # not in a_west's scope
    assert net.get(url, headers=headers("c_west")).status_code == 404
    assert net.get("/api/v1/centres/nowhere/policy", headers=headers("padmin")).status_code == 404
    r = net.put(url, json=body, headers=headers("a_county"))  # an admin of the centre above
    assert r.status_code == 200, r.text
    assert r.json()["claim_windows"]["urgent_minutes"] == 5 and r.json()["service_hours"] == OFFICE_HOURS
    assert net.get(url, headers=headers("padmin")).json()["service_hours"] == OFFICE_HOURS
    hours = OFFICE_HOURS
    for bad in ({"claim_windows": {**WINDOWS, "urgent_minutes": 0}, "service_hours": hours},
                {"claim_windows": {**WINDOWS, "routine_days": 31}, "service_hours": hours},
                {"claim_windows": WINDOWS, "service_hours": {**hours, "timezone": "Mars/Olympus_Mons"}},
                {"claim_windows": WINDOWS, "service_hours": {**hours, "days": ["mon", "funday"]}},
                {"claim_windows": WINDOWS, "service_hours": {**hours, "days": []}},
                {"claim_windows": WINDOWS, "service_hours": {**hours, "days": ["mon", "mon"]}},
                {"claim_windows": WINDOWS, "service_hours": {**hours, "opens_at": "18:00"}},
                {"claim_windows": WINDOWS, "service_hours": {**hours, "closes_at": "24:00"}},
                {"claim_windows": WINDOWS, "service_hours": hours, "extra": 1},
                {"claim_windows": WINDOWS}):
        r = net.put(url, json=bad, headers=headers("padmin"))
        assert r.status_code == 422, (bad, r.text)
    directory = net.get("/api/v1/centres/directory", headers=headers("c_station"))
    assert {c["id"] for c in directory.json()["centres"]} == {"city", "county", "station", "west"}
