"""`python -m app users create|disable|enable|list`: staff accounts from the command line."""
from __future__ import annotations

import argparse

from sqlmodel import select

from app.db import session_scope, upgrade
from app.staff.models import ROLES, StaffUser
from app.staff.passwords import read_password
from app.staff.service import StaffError, create_user, set_disabled


def _run(args: argparse.Namespace) -> int:
    upgrade()
    with session_scope() as db:
        if args.action == "create":
            try:
                user = create_user(db, username=args.username, password=read_password(), role=args.role)
            except (StaffError, ValueError) as exc:
                print(f"error: {exc}")
                return 1
            print(f"created {user.username} ({user.role})")
        elif args.action in ("disable", "enable"):
            user = db.exec(select(StaffUser).where(StaffUser.username == args.username)).first()
            if user is None:
                print(f"error: no user {args.username!r}")
                return 1
            set_disabled(db, user, args.action == "disable")
            print(f"{args.action}d {user.username}")
        else:
            for u in db.exec(select(StaffUser).order_by(StaffUser.username)):
                print(f"{u.username}\t{u.role}\t{'disabled' if u.disabled else 'active'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="staff accounts")
    p.add_argument("action", choices=["create", "disable", "enable", "list"])
    p.add_argument("--username")
    # No --password: the password is read from a prompt or stdin (app/staff/passwords.py), never from argv.
    p.add_argument("--role", choices=ROLES)
    p.set_defaults(func=_run)
