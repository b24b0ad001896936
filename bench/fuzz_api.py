"""The long schemathesis run: every operation of the app's schema, many examples each, random seeds, every kind of
caller (the suite runs the same with 25 derandomized examples per operation). Prints the counts; exits 1 on a
finding.

    .venv/bin/python bench/fuzz_api.py --examples 300 [--nasty]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.security.fuzzing import Stats, _fuzz_operation, load_schema  # noqa: E402
from tests.security.world import running_app  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="examples per operation")
    parser.add_argument("--nasty", action="store_true",
                        help="spoil strings with lone surrogates, NUL and control characters (fuzzing.spoil_case)")
    args = parser.parse_args()
    failures: list[str] = []
    stats = Stats()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as world:
        for result in load_schema(world).get_all_operations():
            op = result.ok()
            stats.operations += 1
            try:
                _fuzz_operation(world, op, args.examples, stats, derandomize=False, nasty=args.nasty)
            except Exception as exc:  # report every operation's finding, then fail
                failures.append(f"{op.method.upper()} {op.path}: {exc}")
    print(f"operations: {stats.operations}  examples: {stats.total}  ({time.perf_counter() - start:.0f} s)")
    print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(stats.statuses.items())))
    for label, n in sorted(stats.examples.items()):
        print(f"  {n:6d}  {label}")
    for failure in failures:
        print(f"FINDING {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
