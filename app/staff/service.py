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


def create_user(db: Session, *, username: str, password: str, role: str) -> StaffUser:
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if problem := weakness(password, username):
        raise StaffError(problem)
    if db.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise StaffError(f"user {username!r} already exists")
    user = StaffUser(username=username, password_hash=_hasher.hash(password), role=role)
    db.add(user)
    db.flush()
    return user


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
        db.exec(update(StaffToken).where(col(StaffToken.user_id) == user.id, col(StaffToken.revoked_at).is_(None))
                .values(revoked_at=utcnow()))


def audit(db: Session, user: StaffUser, action: str, target_type: str, target_id: str) -> None:
    db.add(AuditEvent(actor_id=user.id, actor=user.username, action=action, target_type=target_type,
                      target_id=target_id))
