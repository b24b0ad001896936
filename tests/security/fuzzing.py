"""Schemathesis against the app's own OpenAPI schema, shared by the suite (bounded) and bench/fuzz_api.py (long).

Every operation gets valid and invalid (negative) inputs, sent as each kind of caller, against random ids and
against real objects. The checks are schemathesis' own (response schema, documented status codes, negative data
rejected with 4xx) plus two of ours: no 5xx other than 503, and no 2xx for a caller the authorization table
refuses (tests/security/matrix.py), whatever the input.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import checks as st_checks
from schemathesis.generation import GenerationMode

from tests.security.matrix import TABLE, _org
from tests.security.world import World

CALLERS = ("anonymous", "employee_a", "employee_b", "counsellor_x", "counsellor_y", "hr", "admin", "expired")
STREAM = ("GET", "/api/v1/escalations/stream")  # an open stream never ends: fuzzed only as callers it refuses


@dataclass
class Stats:
    operations: int = 0
    examples: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.examples.values())


def load_schema(world: World) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", world.app)


def _checks() -> list[Any]:
    return [st_checks.response_schema_conformance, st_checks.status_code_conformance,
            st_checks.content_type_conformance, st_checks.negative_data_rejection]


def _real_path(world: World, case: Any, role: str) -> str:
    """Point the case's path at real objects (a fresh session A, escalation E claimed by X, an org and unit)."""
    objs = world.objects()
    params = dict(case.path_parameters or {})
    if "session_id" in params:
        params["session_id"] = objs.session_a
    if "escalation_id" in params:
        params["escalation_id"] = objs.escalation
    if "org_id" in params:
        params["org_id"], unit = _org(world, objs)
        if "unit_id" in params:
            params["unit_id"] = unit
    case.path_parameters = params
    return world.headers(role, objs).get("Authorization", "")


def _fuzz_operation(world: World, op: Any, max_examples: int, stats: Stats, derandomize: bool) -> None:
    key = (op.method.upper(), op.path)
    label = f"{key[0]} {key[1]}"
    callers = tuple(c for c in CALLERS if key != STREAM or TABLE[key].expect[c] in (401, 403))
    modes = [op.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    if op.path_parameters or op.query or op.body or op.headers:
        modes.append(op.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(case=st.one_of(modes), role=st.sampled_from(callers), real=st.booleans())
    def run(case: Any, role: str, real: bool) -> None:
        objs = None if real and case.path_parameters else world.objects()
        auth = _real_path(world, case, role) if objs is None else world.headers(role, objs).get("Authorization", "")
        headers = dict(case.headers or {})
        headers.pop("Authorization", None)
        headers.pop("authorization", None)
        if auth:
            headers["Authorization"] = auth
        case.headers = headers
        response = case.call()
        stats.examples[label] += 1
        stats.statuses[response.status_code] += 1
        assert response.status_code < 500 or response.status_code == 503, f"{label} as {role}: server error"
        if TABLE[key].expect[role] in (401, 403):
            assert not 200 <= response.status_code < 300, f"{label} as {role}: {response.status_code} (refused role)"
        case.validate_response(response, checks=_checks())

    run()


def fuzz(world: World, max_examples: int, *, derandomize: bool = True) -> Stats:
    schema = load_schema(world)
    stats = Stats()
    for result in schema.get_all_operations():
        op = result.ok()
        stats.operations += 1
        _fuzz_operation(world, op, max_examples, stats, derandomize)
    return stats
