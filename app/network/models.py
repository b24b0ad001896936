"""Service centres in a tree of any depth (city → county → station …); an org names the centre that serves it.

A centre's claim windows and service hours are data on the centre (app/network/policy.py reads them); referrals
record every move of an escalation between centres (app/network/referrals.py)."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.timeutil import utcnow

DEFAULT_URGENT_MINUTES = 10
DEFAULT_HIGH_MINUTES = 240
DEFAULT_ROUTINE_DAYS = 3
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_DAYS = "mon,tue,wed,thu,fri"
REFERRAL_REASONS = ("unclaimed", "out_of_hours", "transfer", "root_realert")


class Centre(SQLModel, table=True):
    __tablename__ = "centre"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    parent_id: str | None = Field(default=None, foreign_key="centre.id", index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    # claim windows: how long a case of each priority may wait unclaimed here before it moves to the parent
    claim_urgent_minutes: int = DEFAULT_URGENT_MINUTES
    claim_high_minutes: int = DEFAULT_HIGH_MINUTES
    claim_routine_days: int = DEFAULT_ROUTINE_DAYS  # working days: days with service hours (every day when 24/7)
    # service hours; a new centre is open around the clock until an admin sets its hours (README)
    always_open: bool = True
    timezone: str = Field(default=DEFAULT_TIMEZONE, max_length=64)
    open_days: str = Field(default=DEFAULT_DAYS, max_length=32)  # comma-separated mon … sun
    opens_at: str = Field(default="09:00", max_length=5)  # HH:MM local time
    closes_at: str = Field(default="17:30", max_length=5)


class Referral(SQLModel, table=True):
    """One move of an escalation: up the tree (window passed, out of hours), a counsellor's transfer, or a re-alert
    at the root (from and to the same centre). A null centre is the top of a deployment without centres."""
    __tablename__ = "referral"

    id: int | None = Field(default=None, primary_key=True)
    escalation_id: str = Field(foreign_key="escalation.id", index=True, max_length=32, ondelete="CASCADE")
    from_centre_id: str | None = Field(default=None, foreign_key="centre.id", max_length=64)
    to_centre_id: str | None = Field(default=None, foreign_key="centre.id", max_length=64)
    reason: str = Field(max_length=16)
    note_enc: str | None = None  # a transfer's reason as the counsellor typed it, encrypted like escalation notes
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow)
