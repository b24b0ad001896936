"""A campaign of one org, the anonymous participation events its links record, and read-only share links.

Participation events carry no session id: like an assessment's org/unit copy, they let participation figures
survive erasure and purging of the conversation, so a published day's figure never changes by one person."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow

EVENTS = ("opened", "consented", "completed")


class Campaign(SQLModel, table=True):
    __tablename__ = "campaign"

    id: str = Field(primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="org.id", index=True, max_length=64)
    name: str = Field(max_length=120)
    scales_json: str  # scale ids, a JSON list
    units_json: str  # unit ids of the org, a JSON list
    opens_on: date
    closes_on: date
    message: str | None = Field(default=None, max_length=500)
    created_by: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow)


class CampaignEvent(SQLModel, table=True):
    """One step of one conversation opened through a campaign link: opened, consented or completed (its first
    completed assessment), on the UTC day it happened (reports never see anything finer than a day)."""

    __tablename__ = "campaign_event"
    __table_args__ = (Index("ix_campaign_event_campaign_day", "campaign_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", max_length=32, ondelete="CASCADE")
    unit: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    day: date


class CampaignShare(SQLModel, table=True):
    """A read-only link to one campaign's participation view, for unit leaders without an account. Only the keyed
    hash of its token is stored (as for session and staff tokens), so the database cannot hand out working links."""

    __tablename__ = "campaign_share"

    id: str = Field(primary_key=True, max_length=32)
    campaign_id: str = Field(foreign_key="campaign.id", index=True, max_length=32, ondelete="CASCADE")
    token_hash: str = Field(index=True, unique=True, max_length=64)
    label: str | None = Field(default=None, max_length=80)
    expires_on: date  # the last day the link opens, in the org's days
    created_by: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
