"""Every route × every actor gets exactly what API.md allows; a route missing from the table fails the suite."""
from __future__ import annotations

import pytest
from fastapi.routing import iter_route_contexts

from app.db import session_scope
from app.escalations.models import Escalation
from tests.security.matrix import TABLE
from tests.security.world import ROLES, World

CASES = [(method, path, role) for (method, path) in TABLE for role in ROLES]


def app_routes(world: World) -> set[tuple[str, str]]:
    return {(m, rc.path) for rc in iter_route_contexts(world.app.routes) for m in rc.methods or () if m != "HEAD"}


def test_every_route_has_an_entry(world: World) -> None:
    routes = app_routes(world)
    assert routes - set(TABLE) == set(), "routes without an authorization entry in tests/security/matrix.py"
    assert set(TABLE) - routes == set(), "entries for routes the app no longer has"


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=[f"{m} {p} as {r}" for m, p, r in CASES])
def test_access(world: World, method: str, path: str, role: str) -> None:
    rule = TABLE[(method, path)]
    objs = world.objects()
    request = rule.build(world, objs)
    headers = world.headers(role, objs)
    expected = rule.expect[role]
    if rule.stream:
        with world.client.stream(request.pop("method"), request.pop("url"), headers=headers, **request) as r:
            status = r.status_code
    else:
        r = world.client.request(request.pop("method"), request.pop("url"), headers=headers, **request)
        status = r.status_code
    assert status == expected, f"{method} {path} as {role}: {status} (expected {expected})"
    if status in (401, 403):
        _assert_untouched(objs.escalation)


def _assert_untouched(escalation_id: str) -> None:
    """A refused request changed nothing: escalation E is still claimed by counsellor X, unresolved."""
    with session_scope() as db:
        esc = db.get(Escalation, escalation_id)
        assert esc is not None and esc.status == "claimed" and esc.resolved_at is None and esc.outcome is None


def test_counsellor_y_cannot_see_x_claim_in_detail_but_can_read_open_ones(world: World) -> None:
    objs = world.objects()
    y = world.headers("counsellor_y", objs)
    assert world.client.get(f"/api/v1/escalations/{objs.open_escalation}", headers=y).status_code == 200
    assert world.client.get(f"/api/v1/escalations/{objs.escalation}", headers=y).status_code == 403
    msgs = world.client.get(f"/api/v1/escalations/{objs.escalation}/messages", headers=y)
    assert msgs.status_code == 403 and "messages" not in msgs.json()


def test_disabled_account_cannot_log_in(world: World) -> None:
    r = world.client.post("/api/v1/auth/token", data={"username": "disabled", "password": "a long test password"})
    assert r.status_code == 401


def test_employee_token_is_bound_to_its_session(world: World) -> None:
    """Session B's token on session A's id is 401 whatever the route; the reply never carries A's messages."""
    objs = world.objects()
    b = world.headers("employee_b", objs)
    for url in (f"/api/v1/sessions/{objs.session_a}/messages", f"/api/v1/sessions/{objs.session_a}/results"):
        r = world.client.get(url, headers=b)
        assert r.status_code == 401 and "messages" not in r.json()
