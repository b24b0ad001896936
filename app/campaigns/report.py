"""A campaign's report: the HR summary of one of its scales, per unit, over the campaign's months, kept to its units.

It is the org's own unit report (app/reports/service.py summary, scoped in the query to the campaign's org) for the
whole months from the opening month to the closing day or yesterday, with only the campaign's units kept: the same
stored noisy cells HR can already read, so it spends no privacy budget of its own. Assessments do not record which
link opened them, so a unit's figures are all its answers of those months, campaign link or not."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.campaigns.models import Campaign
from app.campaigns.service import CampaignError, org_today, scales_of, status, units_of
from app.reports.models import Org
from app.reports.noise import Budget
from app.reports.schemas import Cell, Summary
from app.reports.service import ReportError, summary, to_summary
from app.scales.definitions import ScaleDefinition

NOTE = ("Every answer of the campaign's units in the campaign's whole months, through the campaign's link or not "
        "(answers do not record which link opened them); figures as in the HR report, with the same noise.")


@dataclass(frozen=True)
class CampaignReport:
    summary: Summary | None  # None: the campaign has not opened yet
    units: list[Cell]


def campaign_report(db: Session, c: Campaign, scale: ScaleDefinition, k: int, budget: Budget,
                    today_utc: date) -> CampaignReport:
    """The unit report of `scale` (one of the campaign's) for the campaign's months, its units only."""
    if scale.id not in scales_of(c):
        raise CampaignError(422, f"scale {scale.id!r} is not one of this campaign's: {', '.join(scales_of(c))}")
    if status(c, org_today(db, c.org_id)) == "scheduled":
        return CampaignReport(None, [])
    scope = select(Org.id).where(col(Org.id) == c.org_id)
    try:
        last = max(c.opens_on, min(c.closes_on, today_utc))  # the org's first day may still be yesterday in UTC
        report = summary(db, scale, k, "unit", c.opens_on, last, today_utc, scope, budget)
    except ReportError as exc:
        raise CampaignError(422, str(exc)) from exc
    out = to_summary(report)
    cells = {cell.group: cell for cell in out.cells if cell.kind == "unit"}
    return CampaignReport(out, [cells[u] for u in units_of(c) if u in cells])
