"""Bodies of the centres API (API.md "The service network")."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.reports.schemas import ID_PATTERN
from app.text_rules import CleanLine


class CentreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    name: CleanLine = Field(min_length=1, max_length=200)
    parent: str | None = Field(None, pattern=ID_PATTERN, description="the centre above; null for a top centre")


class CentreOut(BaseModel):
    id: str
    name: str
    parent: str | None


class CentreList(BaseModel):
    centres: list[CentreOut]
