"""Staff accounts (admin, counsellor, hr, org_admin), their opaque server-side tokens, and the audit trail."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.timeutil import utcnow

ROLES = ("admin", "counsellor", "hr", "org_admin")


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    password_hash: str
    role: str = Field(max_length=16)
    disabled: bool = False
    # set with a one-time password an admin was shown: it cannot open a session, only be changed (auth/password)
    must_change_password: bool = False
    # scope (app/network/scope.py): counsellors and centre admins have a centre, HR and org admins an org; at most
    # one of the two. An admin with neither is the platform admin.
    centre_id: str | None = Field(default=None, foreign_key="centre.id", index=True, max_length=64)
    org_id: str | None = Field(default=None, foreign_key="org.id", index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class StaffToken(SQLModel, table=True):
    __tablename__ = "staff_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="staff_user.id")
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    target_type: str = Field(max_length=32)
    target_id: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, index=True)
