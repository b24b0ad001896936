"""Reading the report rollup (app/reports/models.py ReportRollup): the only place reports learn counts from.

The rollup holds, per (scale, org, unit, campaign, band), the count and score sum of completed assessments of each
month (grain "m") and of each day (grain "d"). Database triggers keep it equal to a recount of the assessments
(migration 0030), so a report reads a few thousand rows where it would group up to millions.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select
from sqlmodel import Session, col, select

from app.reports.models import ReportRollup

MONTH, DAY = "m", "d"
NONE = ""  # how the rollup's key spells null
OrgScope = Select[tuple[str]] | None


class RollupRow(NamedTuple):
    """One rollup row with nulls restored: a month's or a day's count and score sum of one key (a tuple: reports
    read thousands of them per request)."""

    org: str | None
    unit: str | None
    campaign: str | None
    day: date
    band: str | None
    n: int
    score_sum: int
    month: tuple[int, int]  # (year, month) of `day`


def read(db: Session, scale_id: str, grain: str, first: date, last: date, scope: OrgScope = None,
         campaign: str | None = None, unit: str | None = None) -> Iterator[RollupRow]:
    """Rows of `grain` whose day lies in [first, last], of the orgs in `scope` (None: all), only those of
    `campaign` and of `unit` when given. Rows that fell to zero (all their assessments erased) are skipped."""
    stmt = select(ReportRollup.org, ReportRollup.unit, ReportRollup.campaign_id, ReportRollup.day, ReportRollup.band,
                  ReportRollup.n, ReportRollup.score_sum).where(
        ReportRollup.scale_id == scale_id, ReportRollup.grain == grain, col(ReportRollup.day) >= first,
        col(ReportRollup.day) <= last, col(ReportRollup.n) > 0)
    if scope is not None:
        stmt = stmt.where(col(ReportRollup.org).in_(scope))
    if campaign is not None:
        stmt = stmt.where(ReportRollup.campaign_id == campaign)
    if unit is not None:
        stmt = stmt.where(ReportRollup.unit == unit)
    # Core rows fetched at once, not ORM rows one by one: a fraction of the time for the thousands a long period reads
    for org, unit_, campaign_, day, band, n, score_sum in db.connection().execute(stmt).all():
        if isinstance(day, str):
            day = date.fromisoformat(day)
        yield RollupRow(org or None, unit_ or None, campaign_ or None, day, band or None, n, score_sum,
                        (day.year, day.month))
