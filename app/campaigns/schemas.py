"""Bodies of the campaign API (an extension of API.md "HR": campaigns, their links and participation)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.reports.schemas import BandInfo, Cell, Privacy
from app.text_rules import CleanLine, CleanText

MAX_MESSAGE = 280  # the widget shows it in its header: a few lines on a phone


class CampaignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: CleanLine = Field(min_length=1, max_length=120)
    scales: list[str] = Field(min_length=1, max_length=20, description="scale ids, e.g. phq9, gad7")
    units: list[str] = Field(min_length=1, max_length=500, description="ids of the org's registered units")
    opens_on: date
    closes_on: date = Field(description="the last day the links open conversations (on or after opens_on)")
    message: CleanText | None = Field(None, max_length=MAX_MESSAGE, description="shown in the widget's header")


class CampaignLink(BaseModel):
    unit: str
    name: str
    link: str = Field(description="the unit's campaign link: /chat?org=…&unit=…&campaign=…")
    poster: str = Field(description="path of the A4 QR poster page of this campaign link")


class CampaignOut(BaseModel):
    id: str
    org: str
    name: str
    scales: list[str]
    units: list[str]
    opens_on: date
    closes_on: date
    message: str | None
    status: str = Field(description='"scheduled", "open" or "closed" (in the serving centre\'s timezone)')
    links: list[CampaignLink]


class CampaignPublic(BaseModel):
    """What the widget shows of a campaign: nothing about who made it, its units or its figures."""

    id: str
    name: str
    closes_on: date
    message: str | None


class ParticipationRow(BaseModel):
    unit: str = Field(description="unit id, or 'total' (the shown units only)")
    label: str
    headcount: int | None
    suppressed: bool = Field(description="fewer than k took part (or the unit has fewer than k employees)")
    opened: int | None
    opened_margin: int | None = Field(None, description="± half-width of the 95 % interval of the noise")
    consented: int | None = Field(description="null when the unit is suppressed or the figure is below k")
    consented_margin: int | None = None
    completed: int | None = Field(description="conversations with a completed assessment; null below k")
    completed_margin: int | None = None
    completed_share: float | None = Field(None, description="completed / headcount, when both are known")


class Participation(BaseModel):
    campaign: str
    org: str
    name: str
    opens_on: date
    closes_on: date
    k: int
    units: list[ParticipationRow]
    total: ParticipationRow
    method: str
    privacy: Privacy


class ShareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: CleanLine | None = Field(None, max_length=80, description="who the link is for, e.g. 一厂 leaders")


class ShareOut(BaseModel):
    """A share link as listed: never its token (only its hash is stored)."""

    id: str
    label: str | None
    created_at: datetime
    expires_on: date = Field(description="the last day the link opens (a month after the campaign closes)")
    revoked_at: datetime | None
    active: bool = Field(description="neither revoked nor expired")


class ShareCreated(ShareOut):
    token: str = Field(description="shown once: only its keyed hash is stored")
    link: str = Field(description="the read-only page for unit leaders: /hr/shared/{token}")


class UnitChoice(BaseModel):
    id: str
    name: str
    parent: str | None
    headcount: int | None


class CampaignOptions(BaseModel):
    """What the create form offers: the loaded scales, the org's registered units, and its limits."""

    org: str
    today: date = Field(description="today where the org is served (a campaign may not close before it)")
    max_days: int
    max_message: int
    scales: list[str] = Field(description="ids of the loaded scales (names: GET /api/v1/scales)")
    units: list[UnitChoice]


class PreviousShare(BaseModel):
    """A unit's share at moderate or above in the previous campaign, as that campaign's own report shows it."""

    campaign: str
    name: str
    opens_on: date
    closes_on: date
    share_moderate_plus: float | None = Field(description="null when that report could not tell it (few answers)")
    share_moderate_plus_margin: float | None = Field(description="± of that share (approximate, 95 %)")
    change: Literal["higher", "lower", "no_clear_change"] | None = Field(
        description="higher/lower only when the two 95 % intervals do not overlap; null when a share is unknown")
    says: dict[str, str] | None = Field(description="the change in words, by language (zh-CN, en)")


class CampaignUnit(Cell):
    previous: PreviousShare | None = Field(
        None, description="the latest campaign of the org covering this unit and scale that closed before this opened")


class CampaignReportOut(BaseModel):
    """The HR unit report of one of the campaign's scales over its whole months, kept to its units: cells, bands,
    period, method and privacy as in the summary report (no figures before the campaign opens)."""

    model_config = ConfigDict(populate_by_name=True)

    campaign: str
    org: str
    name: str
    status: str
    scale: str
    scales: list[str]
    k: int
    from_: date | None = Field(alias="from", description="first day counted; null when no day is counted yet")
    to: date | None = Field(description="last day counted (yesterday while the month runs)")
    bands: list[BandInfo]
    units: list[CampaignUnit] = Field(
        description="one cell per unit of the campaign, as the unit report gives it, and its previous share")
    note: str = Field(description="what the figures cover")
    method: str | None
    privacy: Privacy | None
