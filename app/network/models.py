"""Service centres in a tree of any depth (city → county → station …); an org names the centre that serves it."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class Centre(SQLModel, table=True):
    __tablename__ = "centre"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    parent_id: str | None = Field(default=None, foreign_key="centre.id", index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
