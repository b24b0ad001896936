"""Staff accounts and opaque server-side tokens: argon2id passwords, idle and absolute expiry, instant revocation."""
from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.config import Settings
from app.sessions.tokens import hash_token, new_token
from app.staff.models import ROLES, AuditEvent, StaffToken, StaffUser
from app.staff.passwords import weakness
from app.timeutil import utcnow

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class StaffError(ValueError):
    pass


def create_user(db: Session, *, username: str, password: str, role: str, centre: str | None = None,
                org: str | None = None) -> StaffUser:
    """`centre` for a counsellor or a centre admin (an admin with a centre), `org` for HR or an org admin (which must
    have one); an admin with neither is the platform admin (app/network/scope.py)."""
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    _check_scope(db, role, centre, org)
    if problem := weakness(password, username):
        raise StaffError(problem)
    if db.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise StaffError(f"user {username!r} already exists")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role, centre_id=centre, org_id=org)
    db.add(user)
    db.flush()
    return user


def hash_password(password: str) -> str:
    """argon2id; the caller has checked the password with passwords.weakness."""
    return _hasher.hash(password)


def set_scope(db: Session, user: StaffUser, *, centre: str | None, org: str | None) -> None:
    """Move an account to another centre or org (or to none); its open sessions see the new scope at once."""
    _check_scope(db, user.role, centre, org)
    user.centre_id, user.org_id = centre, org
    db.add(user)


def _check_scope(db: Session, role: str, centre: str | None, org: str | None) -> None:
    from app.network.models import Centre  # the network package imports staff models; import here, not at the top
    from app.network.scope import CENTRE_ROLES, ORG_ROLES
    from app.reports.models import Org

    if centre is not None and org is not None:
        raise StaffError("give a centre or an org, not both")
    if role == "org_admin" and org is None:
        raise StaffError("an org admin belongs to an org: give its org")
    if centre is not None:
        if role not in CENTRE_ROLES:
            raise StaffError(f"a {role} belongs to an org, not a centre")
        if db.get(Centre, centre) is None:
            raise StaffError(f"no centre {centre!r}")
    if org is not None:
        if role not in ORG_ROLES:
            raise StaffError(f"a {role} belongs to a centre, not an org" if role == "counsellor"
                             else "an admin belongs to a centre, or to none (platform); an org's admin is an "
                                  "org_admin")
        if db.get(Org, org) is None:
            raise StaffError(f"no org {org!r}")


def password_matches(user: StaffUser, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(db: Session, username: str, password: str) -> StaffUser | None:
    user = db.exec(select(StaffUser).where(StaffUser.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)  # same work for unknown users
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.add(user)
    return user


def issue_token(db: Session, settings: Settings, pepper: bytes, user: StaffUser) -> str:
    token = new_token()
    now = utcnow()
    db.add(StaffToken(token_hash=hash_token(pepper, token), user_id=user.id or 0, created_at=now, last_seen_at=now,
                      expires_at=now + timedelta(hours=settings.staff_token_absolute_hours)))
    return token


def resolve_token(db: Session, settings: Settings, pepper: bytes, token: str, *,
                  touch: bool = True) -> StaffUser | None:
    """The user behind a live token; touches it (idle expiry slides) unless `touch` is False, as for the live feed's
    periodic re-check, which must not keep an idle console logged in. Expired or revoked tokens resolve to None."""
    row = db.get(StaffToken, hash_token(pepper, token))
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at > timedelta(minutes=settings.staff_token_idle_minutes):
        return None
    user = db.get(StaffUser, row.user_id)
    if user is None or user.disabled:
        return None
    if touch and now - row.last_seen_at > timedelta(seconds=30):
        row.last_seen_at = now
        db.add(row)
    return user


def revoke_token(db: Session, pepper: bytes, token: str) -> None:
    row = db.get(StaffToken, hash_token(pepper, token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.add(row)


def set_disabled(db: Session, user: StaffUser, disabled: bool) -> None:
    """Disabling ends every session of the user at once."""
    user.disabled = disabled
    db.add(user)
    if disabled:
        revoke_all(db, user)


def revoke_all(db: Session, user: StaffUser) -> None:
    """End every session of the user (disabled, or their password was reset)."""
    db.exec(update(StaffToken).where(col(StaffToken.user_id) == user.id, col(StaffToken.revoked_at).is_(None))
            .values(revoked_at=utcnow()))


def audit(db: Session, user: StaffUser, action: str, target_type: str, target_id: str) -> None:
    db.add(AuditEvent(actor_id=user.id, actor=user.username, action=action, target_type=target_type,
                      target_id=target_id))
