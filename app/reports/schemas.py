"""Bodies of the HR report and org admin API (API.md "HR", extended with period, band metadata and band pools)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.text_rules import CleanLine

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
MAX_HEADCOUNT = 10_000_000  # far above any unit; keeps the value inside every database's integer


class BandInfo(BaseModel):
    id: str
    label: dict[str, str] = Field(description="per locale (zh-CN, en)")


class BandGroup(BaseModel):
    bands: list[str]
    n: int
    margin: int = Field(0, description="± half-width of the 95 % interval of the noise in n (0: exact)")


class Cell(BaseModel):
    group: str = Field(description="unit id, 'org:<id>' for org-level pools, org id, YYYY-MM, or 'total'")
    kind: Literal["unit", "org", "month", "total"]
    label: str
    org: str | None = None
    parent: str | None = None
    n: int | None
    suppressed: bool
    bands: dict[str, int | None] | None = Field(
        description="exact count per band; null inside a pooled band group (see band_groups)")
    band_groups: list[BandGroup] | None = Field(description="every band pool of the cell, each at least k")
    mean_score: float | None
    n_margin: int | None = Field(None, description="± half-width of the 95 % interval of the noise in n")
    band_margins: dict[str, int | None] | None = Field(None, description="± of each band shown in `bands`")
    mean_margin: float | None = Field(None, description="± of mean_score (approximate, 95 %)")
    share_moderate_plus: float | None = Field(
        None, description="share of n at moderate or above, when the band pools allow it (a pool starts there)")
    share_moderate_plus_margin: float | None = Field(None, description="± of that share (approximate, 95 %)")


class Privacy(BaseModel):
    epsilon_month: float = Field(description="budget per assessment of a closed month's figures")
    epsilon_running: float = Field(description="budget per assessment of the running month's daily figures")
    confidence: float = Field(description="the level of every ± margin")
    running_month: str | None = Field(description="YYYY-MM of the running month when the period holds it")
    counted_through: date | None = Field(description="the last whole day counted (yesterday in a running month)")


class Summary(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    k: int
    scale: str
    group_by: Literal["unit", "org", "month"]
    from_: date | None = Field(alias="from", description="effective start: first day of a month; null if no month")
    to: date | None = Field(description="effective end: the last day counted (yesterday when the period holds the "
                                        "running month, else the last day of its last month)")
    requested_from: date
    requested_to: date
    months: list[str]
    bands: list[BandInfo]
    cells: list[Cell]
    total: Cell
    method: str
    privacy: Privacy | None = Field(None, description="the noise behind the figures (null: exact figures)")


class OrgIn(BaseModel):
    id: str = Field(pattern=ID_PATTERN)
    name: CleanLine = Field(min_length=1, max_length=200)
    centre: str | None = Field(None, pattern=ID_PATTERN,
                               description="the centre that serves this org (a centre admin's default: its own)")


class OrgOut(BaseModel):
    id: str
    name: str
    centre: str | None = None


class UnitIn(BaseModel):
    id: str = Field(pattern=ID_PATTERN)
    name: CleanLine = Field(min_length=1, max_length=200)
    parent: str | None = Field(None, pattern=ID_PATTERN,
                               description="id of the parent unit in the same org; null for a top unit")
    headcount: int | None = Field(None, ge=0, le=MAX_HEADCOUNT)


class UnitPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: CleanLine | None = Field(None, min_length=1, max_length=200)
    headcount: int | None = Field(None, ge=0, le=MAX_HEADCOUNT, description="null clears it")


class UnitOut(BaseModel):
    id: str
    org: str
    name: str
    parent: str | None
    headcount: int | None
    link: str = Field(description="the widget link for this unit; print its QR code from qr_svg")
    qr_svg: str = Field(description="path of the SVG QR code of the link")
    poster: str = Field(description="path of the unit's printable A4 QR poster page")


class PosterOut(BaseModel):
    """What the A4 poster page prints for a unit; its fixed wording is on the page itself, in both languages."""

    org: str
    org_name: str
    unit: str
    unit_name: str
    link: str = Field(description="the widget link the QR code opens")
    qr: str = Field(description="the QR code of `link` as an SVG data URI")
    k: int = Field(description="the smallest group HR reports show (the privacy promise names it)")
    campaign: str | None = Field(None, description="the campaign whose link the QR code opens (?campaign=)")
    campaign_name: str | None = None
    closes_on: date | None = Field(None, description="the campaign's last day")
