"""Schemathesis against the app's own OpenAPI schema, shared by the suite (bounded) and bench/fuzz_api.py (long).

Every operation gets valid and invalid (negative) inputs, sent as each kind of caller, against random ids and
against real objects. The checks are schemathesis' own (response schema, documented status codes, negative data
rejected with 4xx) plus two of ours: no 5xx other than 503, and no 2xx for a caller the authorization table
refuses (tests/security/matrix.py), whatever the input. With `nasty`, string values of the body, query, path and
headers are also spoiled with what no well-formed client sends: lone UTF-16 surrogates (JSON bodies only: they
cannot be sent in a URL, a form or a header), NUL and other control characters.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import checks as st_checks
from schemathesis.core import NotSet
from schemathesis.generation import GenerationMode

from tests.security.matrix import TABLE, _org
from tests.security.world import World

CALLERS = ("anonymous", "employee_a", "employee_b", "counsellor_x", "counsellor_y", "hr", "admin", "expired")
STREAM = ("GET", "/api/v1/escalations/stream")  # an open stream never ends: fuzzed only as callers it refuses


def _has_nasty(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cs", "Cc") for c in value)


def nasty_text(*, surrogates: bool = True) -> st.SearchStrategy[str]:
    """Short text with at least one lone surrogate or control character among ordinary ones."""
    bad = st.characters(codec=None, categories=("Cs", "Cc") if surrogates else ("Cc",))
    return st.lists(st.one_of(bad, st.characters(codec="utf-8")), min_size=1, max_size=24).map("".join) \
        .filter(_has_nasty)


NASTY_HEADER = st.text(st.characters(min_codepoint=0, max_codepoint=127, exclude_characters="\r\n"),
                       min_size=1, max_size=24).map(lambda s: "v" + s)  # clients refuse a leading blank


def _spoil(value: Any, draw: Callable[[st.SearchStrategy[Any]], Any], strings: st.SearchStrategy[str]) -> Any:
    """Each string leaf of a JSON-like value may be replaced by (or suffixed with) a nasty one."""
    if isinstance(value, str):
        how = draw(st.sampled_from(("keep", "replace", "append")))
        return value if how == "keep" else (draw(strings) if how == "replace" else value + draw(strings))
    if isinstance(value, dict):
        return {k: _spoil(v, draw, strings) for k, v in value.items()}
    if isinstance(value, list):
        return [_spoil(v, draw, strings) for v in value]
    return value


def spoil_case(case: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
    """Put surrogates and control characters where a client can put them (see the module docstring)."""
    in_url = st.text(st.characters(codec="utf-8", categories=("Cc",)), min_size=1, max_size=4)
    json_body = "json" in (case.media_type or "")
    # NotSet: no body at all (an optional body, as POST /sessions has), nothing to spoil
    if case.body is not None and not isinstance(case.body, bytes | NotSet):
        case.body = _spoil(case.body, draw, nasty_text(surrogates=json_body))
        if json_body:  # JSON text as a client sends it ("\ud800" escaped): schemathesis cannot encode surrogates
            case.body = json.dumps(case.body).encode()
    if case.query:
        case.query = _spoil(dict(case.query), draw, in_url)
    if case.path_parameters:  # appended, so the path still names the same route
        case.path_parameters = {k: v + draw(in_url) if isinstance(v, str) and draw(st.booleans()) else v
                                for k, v in case.path_parameters.items()}
    case.headers = {**(case.headers or {}), "X-Forwarded-For": draw(NASTY_HEADER),
                    "User-Agent": draw(NASTY_HEADER)}


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


def _checks(nasty: bool = False) -> list[Any]:
    """Spoiled cases are valid ones made invalid outside schemathesis' knowledge: no negative-data check for them."""
    common = [st_checks.response_schema_conformance, st_checks.status_code_conformance,
              st_checks.content_type_conformance]
    return common if nasty else [*common, st_checks.negative_data_rejection]


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


def _fuzz_operation(world: World, op: Any, max_examples: int, stats: Stats, derandomize: bool,
                    nasty: bool = False) -> None:
    key = (op.method.upper(), op.path)
    label = f"{key[0]} {key[1]}"
    callers = tuple(c for c in CALLERS if key != STREAM or TABLE[key].expect[c] in (401, 403))
    modes = [op.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    if (op.path_parameters or op.query or op.body or op.headers) and not nasty:
        modes.append(op.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(case=st.one_of(modes), role=st.sampled_from(callers), real=st.booleans(), data=st.data())
    def run(case: Any, role: str, real: bool, data: st.DataObject) -> None:
        objs = None if real and case.path_parameters else world.objects()
        auth = _real_path(world, case, role) if objs is None else world.headers(role, objs).get("Authorization", "")
        if nasty:
            spoil_case(case, data.draw)
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
        case.validate_response(response, checks=_checks(nasty))

    run()


def fuzz(world: World, max_examples: int, *, derandomize: bool = True, nasty: bool = False,
         only: Callable[[tuple[str, str]], bool] = lambda key: True) -> Stats:
    schema = load_schema(world)
    stats = Stats()
    for result in schema.get_all_operations():
        op = result.ok()
        if not only((op.method.upper(), op.path)):
            continue
        stats.operations += 1
        _fuzz_operation(world, op, max_examples, stats, derandomize, nasty)
    return stats
