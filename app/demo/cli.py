"""`python -m app demo [--no-activity]`: the demo network in the configured store, idempotently, then the demo
accounts and their shared password (demo only)."""
from __future__ import annotations

import argparse
import time

from sqlmodel import Session

from app.db import session_scope, upgrade
from app.demo.network import DEMO_PASSWORD, build_shape, ensure_network
from app.runtime import Runtime, get_runtime


def demo(db: Session, rt: Runtime, activity: bool = True) -> tuple[dict[str, int], dict[str, int] | None]:
    """Rows added to the network, and the sample activity made (None: not asked for, or there already)."""
    # imported here: it loads the crisis classifier (scikit-learn), which every other command can do without
    from app.demo.activity import has_activity, make_activity

    shape = build_shape()
    added = ensure_network(db, shape)
    db.flush()
    made = make_activity(db, rt, shape) if activity and not has_activity(db, shape) else None
    return added, made


def _run(args: argparse.Namespace) -> int:
    upgrade()
    rt = get_runtime()
    t0 = time.perf_counter()
    with session_scope() as db:
        added, made = demo(db, rt, not args.no_activity)
    shape = build_shape()
    print(f"demo network ({time.perf_counter() - t0:.1f} s): {len(shape.centres)} centres, {len(shape.orgs)} orgs, "
          f"{len(shape.units)} units, {len(shape.staff)} staff accounts; added now: "
          + ", ".join(f"{n} {what}" for what, n in added.items()))
    if made is not None:
        print("sample activity: " + ", ".join(f"{n} {what}" for what, n in made.items()))
    elif not args.no_activity:
        print("sample activity: already there (not added again)")
    print(f"\nDEMO ONLY - every account below has the password: {DEMO_PASSWORD}\n"
          "(anyone who reads this README knows it: never run the demo on a real deployment)\n")
    for username, role, _, _, what in shape.staff:
        page = "/hr" if role == "hr" else "/console"
        print(f"  {username:<26} {role:<11} {page:<9} {what}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="a made-up city network with staff and sample activity (demo only)")
    p.add_argument("--no-activity", action="store_true", help="only the network and accounts, no sample cases")
    p.set_defaults(func=_run)
