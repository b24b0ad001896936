"""Organisations and their units: where a QR link comes from, and the tree reports merge small units up."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class Org(SQLModel, table=True):
    __tablename__ = "org"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    # the centre that serves this employer (its counsellors see the org's escalations); null: none yet
    centre_id: str | None = Field(default=None, foreign_key="centre.id", index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    id: str = Field(primary_key=True, max_length=64)
    org_id: str = Field(foreign_key="org.id", index=True, max_length=64)
    parent_id: str | None = Field(default=None, foreign_key="unit.id", max_length=64)
    name: str = Field(max_length=200)
    headcount: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ReportNoise(SQLModel, table=True):
    """The noise OpenDP drew for one released report cell (scale, leaf, period, band or score sum), kept for good:
    every later report reuses it, so repeating or differencing reports never averages the noise away. OpenDP's
    sampler cannot be seeded, hence the table; it is as sensitive as the assessments it hides, and no API reads it."""

    __tablename__ = "report_noise"

    scale_id: str = Field(primary_key=True, max_length=32)
    leaf: str = Field(primary_key=True, max_length=200)  # "org|unit" ("org|" the org itself, "-|" unknown), "|campaign"
    period: str = Field(primary_key=True, max_length=24)  # "2026-04" (closed month) or "2026-05:9+4" (days 9-12)
    cell: str = Field(primary_key=True, max_length=32)  # a band id, or "__sum__" for the score sum
    noise: int
    scale: float  # the discrete Laplace scale it was drawn with (margins use it, whatever the settings are now)
    created_at: datetime = Field(default_factory=utcnow)


class ReportRollup(SQLModel, table=True):
    """Completed assessments counted per (scale, org, unit, campaign, month or day, band), with their score sum:
    reports read these instead of grouping up to millions of assessments. Kept exact by database triggers on
    `assessment` (migration 0030) in the same transaction as any insert, change or delete, so an erased assessment
    is never counted. Month rows (grain "m", day = the 1st) serve closed months; day rows (grain "d") serve the
    running month and a unit's registration month. An empty string stands for null in the key."""

    __tablename__ = "report_rollup"

    scale_id: str = Field(primary_key=True, max_length=32)
    grain: str = Field(primary_key=True, max_length=1)
    day: date = Field(primary_key=True)
    org: str = Field(primary_key=True, max_length=64)
    unit: str = Field(primary_key=True, max_length=64)
    campaign_id: str = Field(primary_key=True, max_length=32)
    band: str = Field(primary_key=True, max_length=32)
    n: int
    score_sum: int = Field(sa_type=BigInteger)

