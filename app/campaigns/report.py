"""A campaign's report: the HR summary of one of its scales, per unit, over the campaign's months, kept to its units.

It is the org's own unit report (app/reports/service.py summary, scoped in the query to the campaign's org) for the
whole months from the opening month to the closing day or yesterday, with only the campaign's units kept, counting
only the answers given in conversations opened through the campaign's links. Those answers have noisy leaf cells of
their own (app/reports/leaves.py), which the org's unit report sums with the unit's other cells: each answer is in one
cell, so the campaign report spends no privacy budget of its own.

Each unit also gets the previous campaign's share at moderate or above: that campaign's own report, computed the same
way from the same stored noise (post-processing of one release), so the comparison spends no budget either."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session, col, select

from app.campaigns.models import Campaign
from app.campaigns.service import CampaignError, org_today, scales_of, status, units_of
from app.reports.models import Org
from app.reports.noise import Budget
from app.reports.schemas import Cell, Summary
from app.reports.service import ReportError, summary, to_summary
from app.scales.definitions import ScaleDefinition

NOTE = ("Only the answers given in conversations opened through the campaign's links, in the campaign's whole "
        "months; figures as in the HR report, with the same kind of noise and suppression.")
Change = Literal["higher", "lower", "no_clear_change"]
SAYS: dict[Change, dict[str, str]] = {
    "higher": {"zh-CN": "高于上次", "en": "higher than last time"},
    "lower": {"zh-CN": "低于上次", "en": "lower than last time"},
    "no_clear_change": {"zh-CN": "与上次相比无明显变化", "en": "no clear change from last time"},
}


@dataclass(frozen=True)
class Previous:
    """A unit's cell in the previous campaign's report of the same scale, and how the share compares."""

    campaign: Campaign
    cell: Cell | None  # None: that report has no cell for the unit
    change: Change | None  # None: one of the two shares cannot be told


@dataclass(frozen=True)
class CampaignReport:
    summary: Summary | None  # None: the campaign has not opened yet
    units: list[Cell]
    previous: dict[str, Previous]  # unit id -> the previous campaign's figures, for units an earlier one covered


def _unit_cells(db: Session, c: Campaign, scale: ScaleDefinition, k: int, budget: Budget,
                today_utc: date) -> tuple[Summary, dict[str, Cell]]:
    """The org's unit report over the campaign's months; the one computation both a campaign and its successor use,
    so the successor shows exactly the figures already published on this campaign's own page."""
    scope = select(Org.id).where(col(Org.id) == c.org_id)
    try:
        last = max(c.opens_on, min(c.closes_on, today_utc))  # the org's first day may still be yesterday in UTC
        out = to_summary(summary(db, scale, k, "unit", c.opens_on, last, today_utc, scope, budget, campaign=c.id))
    except ReportError as exc:
        raise CampaignError(422, str(exc)) from exc
    return out, {cell.group: cell for cell in out.cells if cell.kind == "unit"}


def previous_campaigns(db: Session, c: Campaign, scale_id: str) -> dict[str, Campaign]:
    """Per unit of `c`: the org's latest campaign of the same scale covering the unit that closed before `c` opens."""
    stmt = (select(Campaign).where(col(Campaign.org_id) == c.org_id, col(Campaign.closes_on) < c.opens_on,
                                   col(Campaign.id) != c.id)
            .order_by(col(Campaign.closes_on).desc(), col(Campaign.opens_on).desc(), col(Campaign.created_at).desc(),
                      col(Campaign.id)))
    out: dict[str, Campaign] = {}
    wanted = set(units_of(c))
    for earlier in db.exec(stmt):
        if scale_id not in scales_of(earlier):
            continue
        for unit in units_of(earlier):
            if unit in wanted and unit not in out:
                out[unit] = earlier
        if len(out) == len(wanted):
            break
    return out


def _interval(cell: Cell) -> tuple[float, float]:
    share, margin = cell.share_moderate_plus or 0.0, cell.share_moderate_plus_margin or 0.0
    return share - margin, share + margin


def compare(now: Cell, before: Cell | None) -> Change | None:
    """Higher or lower only when the two 95 % intervals of the share do not overlap; otherwise no clear change."""
    if before is None or now.share_moderate_plus is None or before.share_moderate_plus is None:
        return None
    (low_now, high_now), (low_before, high_before) = _interval(now), _interval(before)
    if low_now > high_before:
        return "higher"
    if high_now < low_before:
        return "lower"
    return "no_clear_change"


def campaign_report(db: Session, c: Campaign, scale: ScaleDefinition, k: int, budget: Budget,
                    today_utc: date) -> CampaignReport:
    """The unit report of `scale` (one of the campaign's) for the campaign's months, its units only, each with the
    previous campaign's share where one covered it."""
    if scale.id not in scales_of(c):
        raise CampaignError(422, f"scale {scale.id!r} is not one of this campaign's: {', '.join(scales_of(c))}")
    if status(c, org_today(db, c.org_id)) == "scheduled":
        return CampaignReport(None, [], {})
    out, cells = _unit_cells(db, c, scale, k, budget, today_utc)
    units = [cells[u] for u in units_of(c) if u in cells]
    earlier_cells: dict[str, dict[str, Cell]] = {}
    previous: dict[str, Previous] = {}
    for unit, earlier in previous_campaigns(db, c, scale.id).items():
        if unit not in cells:
            continue
        if earlier.id not in earlier_cells:
            earlier_cells[earlier.id] = _unit_cells(db, earlier, scale, k, budget, today_utc)[1]
        before = earlier_cells[earlier.id].get(unit)
        previous[unit] = Previous(earlier, before, compare(cells[unit], before))
    return CampaignReport(out, units, previous)
