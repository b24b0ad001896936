"""Staff accounts managed by admins over the API: list, create, disable/enable, reset a password, change a scope.

Which accounts an admin manages is a WHERE condition in the query itself (as in app/network/scope.py): the platform
admin all of them; a centre admin those of its centre or any centre below it and the HR and org admins of the orgs
that subtree serves; an org admin the HR and org admins of its own org (and it creates only those two roles, 403
for any other); nobody else any. An account outside that is answered like an unknown one (404), and a centre or org
outside it like an unknown one (422), so their existence is not revealed.
"""
from __future__ import annotations

import secrets

from sqlalchemy import ColumnElement, false, or_, true
from sqlmodel import Session, col, select

from app.errors import Refused
from app.network.scope import ORG_ROLES, is_platform_admin, org_scope, subtree
from app.network.service import visible_centre
from app.reports.models import Org
from app.staff.models import StaffUser
from app.staff.passwords import weakness
from app.staff.service import (
    StaffError,
    audit,
    create_user,
    hash_password,
    password_matches,
    revoke_all,
    set_disabled,
    set_scope,
)
from app.text_rules import refuse_bad_characters

MAX_PASSWORD = 200  # argon2 takes any length; this only keeps a request small
# no 0/o, 1/l/i: read aloud or copied from a screen without mistakes
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AdminError(Refused, ValueError):
    """Answered by the API with its status (app/errors.py)."""


def managed(actor: StaffUser) -> ColumnElement[bool]:
    """The WHERE condition for the staff accounts `actor` manages (module docstring)."""
    if is_platform_admin(actor):
        return true()
    if actor.role == "admin" and actor.centre_id is not None:
        tree = subtree(actor.centre_id)  # one CTE for both conditions (served_orgs would make a second, same-named)
        return or_(col(StaffUser.centre_id).in_(tree),
                   col(StaffUser.org_id).in_(select(Org.id).where(col(Org.centre_id).in_(tree))))
    if actor.role == "org_admin" and actor.org_id is not None:
        return (col(StaffUser.org_id) == actor.org_id) & col(StaffUser.role).in_(ORG_ROLES)
    return false()


def list_staff(db: Session, actor: StaffUser) -> list[StaffUser]:
    return list(db.exec(select(StaffUser).where(managed(actor)).order_by(col(StaffUser.username))))


def get_staff(db: Session, actor: StaffUser, user_id: int) -> StaffUser:
    user = db.exec(select(StaffUser).where(col(StaffUser.id) == user_id, managed(actor))).first()
    if user is None:
        raise AdminError(404, f"no staff account {user_id}")
    return user


def new_password() -> str:
    """A one-time password of four groups of four (about 79 bits), shown to the admin once."""
    while True:
        password = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
        if weakness(password) is None:
            return password


def checked_password(given: str, username: str) -> str:
    """A password a person chose, or AdminError(422) naming the problem without echoing the password."""
    if len(given) > MAX_PASSWORD:
        raise AdminError(422, f"password must be at most {MAX_PASSWORD} characters")
    if problem := refuse_bad_characters(given, allow_newlines=False):
        raise AdminError(422, f"password {problem}")
    if problem := weakness(given, username):
        raise AdminError(422, problem)
    return given


def _password(given: str | None, username: str) -> tuple[str, str | None]:
    """The password to set and the one to show once (None when the admin chose it). Problems are named without
    echoing the password."""
    if given is None:
        made = new_password()
        return made, made
    return checked_password(given, username), None


def _check_scope_allowed(db: Session, actor: StaffUser, centre: str | None, org: str | None) -> None:
    """A centre admin gives every account a centre of its subtree or an org it serves; the platform admin any
    (their existence is checked by service.set_scope / create_user)."""
    if is_platform_admin(actor):
        return
    if centre is None and org is None:
        raise AdminError(422, "give the account a centre or an org in your scope")
    if centre is not None and visible_centre(db, actor, centre) is None:
        raise AdminError(422, f"no centre {centre!r}")
    if org is not None:
        scope = org_scope(actor)
        stmt = select(Org.id).where(col(Org.id) == org)
        if scope is not None:
            stmt = stmt.where(col(Org.id).in_(scope))
        if db.exec(stmt).first() is None:
            raise AdminError(422, f"no org {org!r}")


def create_staff(db: Session, actor: StaffUser, *, username: str, role: str, centre: str | None,
                 org: str | None, password: str | None) -> tuple[StaffUser, str | None]:
    """The account and its one-time password (None when the admin set it)."""
    if actor.role == "org_admin" and role not in ORG_ROLES:
        raise AdminError(403, f"an org admin creates {' and '.join(ORG_ROLES)} accounts only")
    _check_scope_allowed(db, actor, centre, org)
    if db.exec(select(StaffUser.id).where(col(StaffUser.username) == username)).first() is not None:
        raise AdminError(409, f"user {username!r} already exists")
    chosen, shown = _password(password, username)
    try:
        user = create_user(db, username=username, password=chosen, role=role, centre=centre, org=org)
    except StaffError as exc:
        raise AdminError(422, str(exc)) from exc
    user.must_change_password = shown is not None
    audit(db, actor, "staff.create", "staff_user", str(user.id))
    return user, shown


def _not_self(actor: StaffUser, user: StaffUser, what: str) -> None:
    if actor.id == user.id:
        raise AdminError(422, f"you cannot {what} your own account; ask another admin")


def set_enabled(db: Session, actor: StaffUser, user_id: int, enabled: bool) -> StaffUser:
    """Disabling ends every session of the account at once (service.set_disabled)."""
    user = get_staff(db, actor, user_id)
    if not enabled:
        _not_self(actor, user, "disable")
    set_disabled(db, user, not enabled)
    audit(db, actor, "staff.enable" if enabled else "staff.disable", "staff_user", str(user.id))
    return user


def reset_password(db: Session, actor: StaffUser, user_id: int, password: str | None) -> tuple[StaffUser, str | None]:
    """Sets the given password or a new one-time one; every session of the account ends, so whoever held the old
    password is out."""
    user = get_staff(db, actor, user_id)
    chosen, shown = _password(password, user.username)
    user.password_hash = hash_password(chosen)
    user.must_change_password = shown is not None
    db.add(user)
    revoke_all(db, user)
    audit(db, actor, "staff.password_reset", "staff_user", str(user.id))
    return user, shown


def change_own_password(db: Session, user: StaffUser, new_password: str) -> None:
    """The account holder (who just proved the current password) chooses a new one: the one-time flag goes, and
    every session of the account ends."""
    if password_matches(user, new_password):
        raise AdminError(422, "choose a password other than the current one")
    user.password_hash = hash_password(checked_password(new_password, user.username))
    user.must_change_password = False
    db.add(user)
    revoke_all(db, user)
    audit(db, user, "staff.password_change", "staff_user", str(user.id))


def change_scope(db: Session, actor: StaffUser, user_id: int, centre: str | None, org: str | None) -> StaffUser:
    user = get_staff(db, actor, user_id)
    _not_self(actor, user, "change the scope of")
    _check_scope_allowed(db, actor, centre, org)
    try:
        set_scope(db, user, centre=centre, org=org)
    except StaffError as exc:
        raise AdminError(422, str(exc)) from exc
    audit(db, actor, "staff.scope", "staff_user", str(user.id))
    return user
