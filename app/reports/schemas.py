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


class Summary(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    k: int
    scale: str
    group_by: Literal["unit", "org", "month"]
    from_: date | None = Field(alias="from", description="effective start: first day of a month; null if no month")
    to: date | None = Field(description="effective end: last day of the last closed month in the period")
    requested_from: date
    requested_to: date
    months: list[str]
    bands: list[BandInfo]
    cells: list[Cell]
    total: Cell
    method: str


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
