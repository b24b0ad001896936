"""`python -m app users create|disable|enable|scope|list`: staff accounts from the command line; `scope` moves an
account to a centre (`--centre`), an org (`--org`) or, with neither, to no scope."""
from __future__ import annotations

import argparse

from sqlmodel import select

from app.db import session_scope, upgrade
from app.staff.models import ROLES, StaffUser
from app.staff.passwords import read_password
from app.staff.service import StaffError, create_user, set_disabled, set_scope


def _run(args: argparse.Namespace) -> int:
    upgrade()
    with session_scope() as db:
        if args.action == "create":
            try:
                user = create_user(db, username=args.username, password=read_password(), role=args.role,
                                   centre=args.centre, org=args.org)
            except (StaffError, ValueError) as exc:
                print(f"error: {exc}")
                return 1
            print(f"created {user.username} ({user.role}, {_scope(user)})")
            if user.role != "admin" and user.centre_id is None and user.org_id is None:
                print("warning: no --centre or --org: this account sees no escalations and no reports")
        elif args.action in ("disable", "enable", "scope"):
            user = db.exec(select(StaffUser).where(StaffUser.username == args.username)).first()
            if user is None:
                print(f"error: no user {args.username!r}")
                return 1
            if args.action == "scope":
                try:
                    set_scope(db, user, centre=args.centre, org=args.org)
                except StaffError as exc:
                    print(f"error: {exc}")
                    return 1
                print(f"{user.username} ({user.role}) now has scope: {_scope(user)}")
            else:
                set_disabled(db, user, args.action == "disable")
                print(f"{args.action}d {user.username}")
        else:
            for u in db.exec(select(StaffUser).order_by(StaffUser.username)):
                print(f"{u.username}\t{u.role}\t{_scope(u)}\t{'disabled' if u.disabled else 'active'}")
    return 0


def _scope(user: StaffUser) -> str:
    if user.centre_id is not None:
        return f"centre {user.centre_id}"
    if user.org_id is not None:
        return f"org {user.org_id}"
    return "platform" if user.role == "admin" else "no scope"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="staff accounts")
    p.add_argument("action", choices=["create", "disable", "enable", "scope", "list"])
    p.add_argument("--username")
    # No --password: the password is read from a prompt or stdin (app/staff/passwords.py), never from argv.
    p.add_argument("--role", choices=ROLES)
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--centre", help="the centre a counsellor or centre admin belongs to")
    scope.add_argument("--org", help="the org an HR user or an org admin belongs to")
    p.set_defaults(func=_run)
