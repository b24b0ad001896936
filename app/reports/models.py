"""Organisations and their units: where a QR link comes from, and the tree reports merge small units up."""
from __future__ import annotations

from datetime import datetime

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
