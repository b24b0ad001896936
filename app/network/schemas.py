"""Bodies of the centres API (API.md "The service network")."""
from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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


HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class ClaimWindows(BaseModel):
    model_config = ConfigDict(extra="forbid")

    urgent_minutes: int = Field(ge=1, le=1440, description="an urgent case waits this long unclaimed here")
    high_minutes: int = Field(ge=1, le=10080)
    routine_days: int = Field(ge=1, le=30, description="working days: days with service hours")


class ServiceHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    always_open: bool = Field(description="open around the clock (the other fields are kept for later)")
    timezone: str = Field("Asia/Shanghai", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$")
    days: list[Day] = Field(min_length=1, max_length=7)
    opens_at: str = Field(pattern=HHMM, description="HH:MM local time")
    closes_at: str = Field(pattern=HHMM, description="HH:MM local time, after opens_at (no overnight hours)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Shanghai") from None
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ServiceHours:
        if len(set(self.days)) != len(self.days):
            raise ValueError("a day is listed twice")
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        return self


class CentrePolicy(BaseModel):
    """A centre's claim windows and service hours (app/network/policy.py)."""
    model_config = ConfigDict(extra="forbid")

    claim_windows: ClaimWindows
    service_hours: ServiceHours


class CentrePolicyOut(CentrePolicy):
    centre: str
    open_now: bool = Field(description="whether the centre is within its service hours now")
