"""`python -m app orgs create|list` and `python -m app units create|list|qr`: the org tree behind QR links."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.config import get_settings
from app.db import session_scope, upgrade
from app.reports import orgs


def _base_url() -> str:
    return get_settings().base_url


def _orgs(args: argparse.Namespace) -> int:
    upgrade()
    with session_scope() as db:
        if args.action == "create":
            if not args.id or not args.name:
                print("error: orgs create needs --id and --name")
                return 1
            org = orgs.create_org(db, args.id, args.name, args.centre)
            print(f"created org {org.id} ({org.name}), served by {org.centre_id or 'no centre'}")
        else:
            for o in orgs.list_orgs(db):
                print(f"{o.id}\t{o.name}\tcentre={o.centre_id or '-'}")
    return 0


def _units(args: argparse.Namespace) -> int:
    upgrade()
    with session_scope() as db:
        if args.action == "create":
            if not args.id or not args.name:
                print("error: units create needs --org, --id and --name")
                return 1
            unit = orgs.create_unit(db, args.org, args.id, args.name, args.parent, args.headcount)
            print(f"created unit {unit.id} in {unit.org_id}: {orgs.unit_link(_base_url(), unit)}")
        elif args.action == "list":
            for u in orgs.list_units(db, args.org):
                print(f"{u.id}\t{u.name}\tparent={u.parent_id or '-'}\theadcount={u.headcount}\t"
                      f"{orgs.unit_link(_base_url(), u)}")
        else:
            unit = orgs.get_unit(db, args.org, args.id or "")
            link = orgs.unit_link(_base_url(), unit)
            out = Path(args.out or f"qr-{unit.org_id}-{unit.id}.svg")
            out.write_text(orgs.qr_svg(link), encoding="utf-8")
            print(f"{link}\nQR code written to {out}")
    return 0


def _guard(func):  # type: ignore[no-untyped-def]
    """Known refusals (unknown org, duplicate id) print one line and exit 1 instead of a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except orgs.OrgError as exc:
            print(f"error: {exc.detail}")
            return 1

    return run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("orgs", help="organisations (admin)")
    p.add_argument("action", choices=["create", "list"])
    p.add_argument("--id")
    p.add_argument("--name")
    p.add_argument("--centre", help="the centre that serves this org")
    p.set_defaults(func=_guard(_orgs))
    p = sub.add_parser("units", help="org units, their widget links and QR codes (admin)")
    p.add_argument("action", choices=["create", "list", "qr"])
    p.add_argument("--org", required=True)
    p.add_argument("--id", help="unit id (create, qr)")
    p.add_argument("--name")
    p.add_argument("--parent", help="parent unit id in the same org")
    p.add_argument("--headcount", type=int)
    p.add_argument("--out", help="qr: where to write the SVG (default qr-ORG-UNIT.svg)")
    p.set_defaults(func=_guard(_units))
