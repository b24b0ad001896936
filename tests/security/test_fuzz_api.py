"""Schemathesis on every operation of the app's own schema, as every kind of caller (bounded; see fuzzing.py)."""
from __future__ import annotations

from tests.security.fuzzing import fuzz
from tests.security.matrix import TABLE
from tests.security.world import World

EXAMPLES_PER_OPERATION = 25


def test_schemathesis_every_operation(world: World) -> None:
    stats = fuzz(world, EXAMPLES_PER_OPERATION)
    in_schema = {k for k in TABLE if k[1] in world.app.openapi()["paths"]}
    assert stats.operations == len(in_schema) and len(stats.examples) == len(in_schema)
    assert all(n >= 5 for n in stats.examples.values()), stats.examples
    print(f"\nschemathesis: {stats.operations} operations, {stats.total} examples, statuses {dict(stats.statuses)}")


def test_schemathesis_with_surrogates_and_control_characters(world: World) -> None:
    """The same run with every string spoiled by lone surrogates, NUL and control characters (fuzzing.spoil_case):
    still never a 5xx other than 503, never a 2xx for a refused caller, always the documented responses."""
    stats = fuzz(world, EXAMPLES_PER_OPERATION, nasty=True)
    assert all(n >= 5 for n in stats.examples.values()), stats.examples
    assert stats.statuses[422] > 0, stats.statuses  # the spoiled inputs were refused, not silently taken
    print(f"\nschemathesis (nasty strings): {stats.operations} operations, {stats.total} examples, "
          f"statuses {dict(stats.statuses)}")
