"""`python -m app centres create|list`: the tree of service centres (the CLI acts as the platform admin)."""
from __future__ import annotations

import argparse

from app.db import session_scope, upgrade
from app.network import service


def _run(args: argparse.Namespace) -> int:
    upgrade()
    try:
        with session_scope() as db:
            if args.action == "create":
                if not args.id or not args.name:
                    print("error: centres create needs --id and --name")
                    return 1
                c = service.create_centre(db, None, args.id, args.name, args.parent)
                print(f"created centre {c.id} ({c.name}) under {c.parent_id or '-'}")
            else:
                for c in service.list_centres(db, None):
                    print(f"{c.id}\t{c.name}\tparent={c.parent_id or '-'}")
    except service.NetworkError as exc:
        print(f"error: {exc.detail}")
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("centres", help="service centres in a tree (platform admin)")
    p.add_argument("action", choices=["create", "list"])
    p.add_argument("--id")
    p.add_argument("--name")
    p.add_argument("--parent", help="the centre above (omit for a top centre)")
    p.set_defaults(func=_run)
