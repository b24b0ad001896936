"""Scope: every escalation route × every staff role and scope × an escalation inside and outside that scope, on
SQLite and PostgreSQL. Outside the scope it is 404 (never 403) and nothing changes; HR and org admins are refused by
role (403).
Lists and the live feed carry only what the scope holds (two SSE clients, one per county)."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.db import session_scope
from app.escalations import live
from app.escalations.models import EscalationNote
from app.network.models import Referral
from app.staff.models import StaffUser
from app.staff.service import create_user, set_scope
from tests.security.network_world import HOLDER, NET_STAFF, OBJECTS, ORG_ROLES, SEES, Net, network_app
from tests.security.world import PASSWORD


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def net(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    with network_app(tmp_path_factory.mktemp("scope"), request.param) as n:
        yield n


@dataclass(frozen=True)
class Route:
    method: str
    suffix: str
    ok: int  # in scope, prepared as below
    claimed: bool  # prepare: claimed by the caller (else open)
    body: dict[str, Any] | None = None
    admin_only: bool = False


ROUTES = {
    "detail": Route("GET", "", 200, False),
    "chat": Route("GET", "/messages", 200, False),
    "claim": Route("POST", "/claim", 200, False),
    "release": Route("POST", "/release", 200, True),
    "transfer": Route("POST", "/transfer", 200, True, {"username": "c_root"}),  # c_root's scope holds every object
    "transfer_centre": Route("POST", "/transfer", 200, False, {"centre": "n-county-z", "reason": "closer to home"}),
    "assign": Route("POST", "/assign", 200, False, {"username": "c_root"}, admin_only=True),
    "message": Route("POST", "/messages", 201, True, {"text": "I am here"}),
    "note": Route("POST", "/notes", 201, True, {"text": "called back"}),
    "resolve": Route("POST", "/resolve", 200, True, {"outcome": "contacted"}),
}
CASES = [(r, who, obj) for r in ROUTES for who in NET_STAFF for obj in OBJECTS]


def expected(route: Route, who: str, obj: str) -> int:
    role = NET_STAFF[who][0]
    if role in ORG_ROLES or (route.admin_only and role != "admin"):
        return 403  # the role may not do this at all: says nothing about the object
    return route.ok if obj in SEES[who] else 404


@pytest.mark.parametrize(("route_name", "who", "obj"), CASES, ids=[f"{r}-{w}-{o}" for r, w, o in CASES])
def test_route_in_and_out_of_scope(net: Net, route_name: str, who: str, obj: str) -> None:
    route = ROUTES[route_name]
    holder = who if route.claimed and NET_STAFF[who][0] not in ORG_ROLES else None
    esc_id = net.escalation(obj, holder)
    before = net.row(esc_id)
    r = net.world.client.request(route.method, f"/api/v1/escalations/{esc_id}{route.suffix}",
                                 headers=net.headers(who), json=route.body)
    want = expected(route, who, obj)
    assert r.status_code == want, f"{route_name} as {who} on {obj}: {r.status_code} {r.text[:200]}"
    if want in (403, 404):
        after = net.row(esc_id)
        assert (after.status, after.claimed_by_id, after.resolved_at, after.outcome, after.holding_centre_id) == \
            (before.status, before.claimed_by_id, before.resolved_at, before.outcome, before.holding_centre_id)
        with session_scope() as db:
            assert db.exec(select(func.count()).select_from(EscalationNote)
                           .where(EscalationNote.escalation_id == esc_id)).one() == 0
            assert db.exec(select(func.count()).select_from(Referral)
                           .where(Referral.escalation_id == esc_id)).one() == 0
        assert esc_id not in r.text and "transcript" not in r.text


@pytest.mark.parametrize("who", list(NET_STAFF))
def test_queue_lists_exactly_the_scope(net: Net, who: str) -> None:
    made = {obj: net.escalation(obj) for obj in OBJECTS}
    r = net.world.client.get("/api/v1/escalations", params={"status": "all", "limit": 1000},
                             headers=net.headers(who))
    if NET_STAFF[who][0] in ORG_ROLES:
        assert r.status_code == 403
        return
    assert r.status_code == 200
    listed = {e["id"] for e in r.json()["escalations"]}
    assert {obj for obj, eid in made.items() if eid in listed} == SEES[who]
    centres = {e["id"]: e["centre"] for e in r.json()["escalations"]}
    assert {o: centres.get(made[o]) for o in SEES[who]} == {o: HOLDER[o] for o in SEES[who]}
    orgs = {e["org"] for e in r.json()["escalations"]}
    assert orgs <= {OBJECTS[o] for o in SEES[who]}  # nothing of another scope, whoever made it


def test_live_feed_of_centre_x_never_carries_centre_y(net: Net) -> None:
    """Two consoles listen at once (county X, county Y); cases of both open interleaved, then one last case for
    each. Each console stops at its own last case, so every case of the other county was sent before it."""
    ids = {"x": net.escalation("x"), "y": net.escalation("y")}
    heard: dict[str, list[dict[str, Any]]] = {"c_x": [], "c_y": []}
    readies = {w: threading.Event() for w in heard}
    markers: dict[str, str] = {}
    threads = []
    for who in heard:
        t = threading.Thread(target=_listen_until_marker, args=(net, who, heard[who], readies[who]), daemon=True)
        t.start()
        threads.append(t)
    for ev in readies.values():
        assert ev.wait(20)
    for _ in range(3):
        for obj in ("y", "x", "free", "unknown", "none"):
            net.escalation(obj)
    markers["x"], markers["y"] = net.escalation("x", reason=MARKER), net.escalation("y", reason=MARKER)
    for t in threads:
        t.join(40)
    x_orgs = {e["org"] for e in heard["c_x"]}
    y_orgs = {e["org"] for e in heard["c_y"]}
    assert markers["x"] in {e["id"] for e in heard["c_x"]}, heard["c_x"]
    assert markers["y"] in {e["id"] for e in heard["c_y"]}, heard["c_y"]
    assert x_orgs == {"n-org-x"} and y_orgs == {"n-org-y"}
    assert len(heard["c_x"]) >= 4 and len(heard["c_y"]) >= 4
    # the same rule, straight at the renderer: a Y case rendered for the X counsellor yields nothing
    assert live._render(net.user("c_x"), [("escalation", ids["y"])]) == []
    assert [e.event for e in live._render(net.user("c_y"), [("escalation", ids["y"])])] == ["escalation"]


MARKER = "employee asked again (last case of the test)"


def _listen_until_marker(net: Net, who: str, out: list[dict[str, Any]], ready: threading.Event) -> None:
    token = net.headers(who)["Authorization"][7:]
    started = time.monotonic()
    with net.world.client.stream("GET", "/api/v1/escalations/stream", params={"access_token": token}) as r:
        assert r.status_code == 200
        name = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                if name == "hello":
                    ready.set()
                elif name == "escalation":
                    out.append(json.loads(line[6:]))
                    if out[-1]["reason"] == MARKER:
                        return
                name = None
            if time.monotonic() - started > 30:
                return



def test_a_moved_counsellor_hears_the_new_scope_on_an_open_feed(net: Net) -> None:
    """The feed renders with the account as stored now, not as it was when the stream opened."""
    with session_scope() as db:
        mover = create_user(db, username=f"mover-{net.escalation('none')[:6]}", password=PASSWORD,
                            role="counsellor", centre="n-county-x")
        db.flush()
        db.expunge(mover)
    x, y = net.escalation("x"), net.escalation("y")
    assert [e.event for e in live._render(mover, [("escalation", x)])] == ["escalation"]
    assert live._render(mover, [("escalation", y)]) == []
    with session_scope() as db:
        stored = db.get(StaffUser, mover.id)
        assert stored is not None
        set_scope(db, stored, centre="n-county-y", org=None)
    assert live._render(mover, [("escalation", x)]) == []  # `mover` is the stale object the stream holds
    assert [e.event for e in live._render(mover, [("escalation", y)])] == ["escalation"]


def test_a_case_goes_only_to_someone_whose_scope_holds_it(net: Net) -> None:
    held = net.escalation("x", holder="c_x")
    r = net.world.client.post(f"/api/v1/escalations/{held}/transfer", json={"username": "c_y"},
                              headers=net.headers("c_x"))
    assert r.status_code == 422 and net.row(held).claimed_by_id == net.ids["c_x"]
    open_y = net.escalation("y")
    r = net.world.client.post(f"/api/v1/escalations/{open_y}/assign", json={"username": "c_station"},
                              headers=net.headers("padmin"))
    assert r.status_code == 422 and net.row(open_y).status == "open"
    r = net.world.client.post(f"/api/v1/escalations/{held}/transfer", json={"username": "c_station"},
                              headers=net.headers("c_x"))  # the station below county X serves org X
    assert r.status_code == 200 and net.row(held).claimed_by_id == net.ids["c_station"]
