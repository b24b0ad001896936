"""Participation of a campaign per unit (opened, consented, completed against headcount), released with the reports'
disclosure control: OpenDP noise drawn once per cell and stored (app/reports/noise.py NoiseStore), over closed months
and the running month's dyadic runs of whole days (the reports' periods and budget), margins at 95 %, and k.

A conversation adds at most one event of each kind, so it changes at most 3 counts of one period's release: each
count's noise is calibrated by OpenDP for sensitivity 3 at the budget's epsilon for that period, and the release
costs each participant epsilon_month per closed month (epsilon_running for the running month, all days together),
on top of the results' own release. Figures are post-processing of the stored noisy cells only, so reading them
again, on another day or with another report, spends nothing more.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.campaigns.models import EVENTS, Campaign, CampaignEvent
from app.campaigns.service import grace_end, unit_names, units_of
from app.reports.noise import LEVELS, Budget, Draws, NoiseKey, NoiseStore, calibrated_scale, margin, running_runs
from app.reports.release import month_key
from app.reports.suppression import Month

NOISE_SCOPE = "__campaign__"  # the noise table's scale_id for participation cells (no scale has this id)
METHOD = ("Differential privacy: every count carries random noise (OpenDP, discrete Laplace), drawn once and reused "
          "by every later reading, with a budget of epsilon {month} per participant for each closed month and "
          "{running} for the running month's daily figures. Events are counted by the day they happened, whole "
          "days up to yesterday. A unit with fewer than k employees, or whose noisy count of opened conversations "
          "is below k or below its own ±, is suppressed and left out of the total; a consented or completed figure "
          "below k is not shown. Each figure comes with the 95 % half-width of its noise (±).")


@dataclass
class Figure:
    value: int = 0
    draws: Draws = field(default_factory=dict)

    def add(self, value: int, scale: float) -> None:
        self.value += value
        self.draws[scale] = self.draws.get(scale, 0) + 1

    def absorb(self, other: Figure) -> None:
        self.value += other.value
        for s, c in other.draws.items():
            self.draws[s] = self.draws.get(s, 0) + c

    @property
    def margin(self) -> int:
        return margin(self.draws)


@dataclass
class Row:
    unit: str
    label: str
    headcount: int | None
    figures: dict[str, Figure | None]  # kind -> figure; None: not shown (suppressed or below k)

    @property
    def suppressed(self) -> bool:
        return self.figures["opened"] is None


@dataclass
class Release:
    rows: list[Row]
    total: Row
    running: Month | None
    counted_through: date | None


def _scale(budget: Budget, running: bool) -> float:
    epsilon = budget.epsilon_running / LEVELS if running else budget.epsilon_month
    return calibrated_scale(round(epsilon, 12), len(EVENTS))


def periods(c: Campaign, today: date, budget: Budget) -> tuple[list[Month], Month | None, date | None]:
    """The closed months from the opening month to the grace end, the running month if it is one of them (and the
    budget spends on it), and the last day counted."""
    last = min(grace_end(c), today - timedelta(days=1))
    if last < c.opens_on:
        return [], None, None
    first_i, last_i = c.opens_on.year * 12 + c.opens_on.month - 1, last.year * 12 + last.month - 1
    months = [(i // 12, i % 12 + 1) for i in range(first_i, last_i + 1)]
    current = (today.year, today.month)
    closed = [m for m in months if m < current]
    running = current if current in months and budget.epsilon_running > 0 and today.day > 1 else None
    if running is None and current in months:  # no running figures: counted up to the last closed month
        last = date(*current, 1) - timedelta(days=1)
    return closed, running, (last if closed or running else None)


def release(db: Session, c: Campaign, k: int, budget: Budget, today: date) -> Release:
    """Per unit of the campaign, its noisy figures, suppressed below k (the unit's headcount or its participants)."""
    closed, running, through = periods(c, today, budget)
    runs = running_runs(date(*running, 1), today) if running else []
    keys: list[tuple[str, bool]] = [(month_key(m), False) for m in closed]
    keys += [(f"{month_key(running)}:{r[0]}", True) for r in runs] if running else []
    true: dict[tuple[str, str, str], int] = defaultdict(int)  # (unit, period, kind) -> count
    if through is not None:
        stmt = (select(CampaignEvent.unit, CampaignEvent.kind, CampaignEvent.day, func.count())
                .where(col(CampaignEvent.campaign_id) == c.id, col(CampaignEvent.day) >= c.opens_on,
                       col(CampaignEvent.day) <= through)
                .group_by(CampaignEvent.unit, CampaignEvent.kind, CampaignEvent.day))
        for unit, kind, day, count in db.exec(stmt):
            day = date.fromisoformat(day) if isinstance(day, str) else day
            if running and (day.year, day.month) == running:
                run = next(r for r in runs if r[1] <= day.day < r[1] + r[2])
                true[(unit, f"{month_key(running)}:{run[0]}", kind)] += int(count)
            else:
                true[(unit, month_key((day.year, day.month)), kind)] += int(count)
    units = units_of(c)
    wanted: dict[NoiseKey, float] = {(f"{c.id}|{u}", period, kind): _scale(budget, is_running)
                                     for u in units for period, is_running in keys for kind in EVENTS}
    noise = NoiseStore(db, NOISE_SCOPE).get(wanted)
    known = unit_names(db, c)
    rows: list[Row] = []
    for u in units:
        figures = {kind: Figure() for kind in EVENTS}
        for period, _ in keys:
            for kind in EVENTS:
                value, scale = noise[(f"{c.id}|{u}", period, kind)]
                figures[kind].add(true.get((u, period, kind), 0) + value, scale)
        unit = known.get(u)
        headcount = unit.headcount if unit is not None else None
        rows.append(Row(u, unit.name if unit is not None else u, headcount, _shown(figures, headcount, k)))
    return Release(rows, _total(rows, k), running, through)


def _shown(figures: dict[str, Figure], headcount: int | None, k: int) -> dict[str, Figure | None]:
    """The reports' rules: a unit of fewer than k employees, or whose noisy count does not pass k and its own ±,
    shows nothing; inside a shown unit a figure below k is not shown."""
    opened = figures["opened"]
    if (headcount is not None and headcount < k) or not opened.draws or opened.value < max(k, opened.margin):
        return {kind: None for kind in EVENTS}
    return {kind: f if kind == "opened" or f.value >= k else None for kind, f in figures.items()}


def _total(rows: list[Row], k: int) -> Row:
    """The sum of the shown figures of the shown units (suppressed ones are left out, as in the reports)."""
    sums = {kind: Figure() for kind in EVENTS}
    headcount: int | None = 0  # None once a shown unit's headcount is unknown
    for row in rows:
        if row.suppressed:
            continue
        headcount = headcount + row.headcount if row.headcount is not None and headcount is not None else None
        for kind, f in row.figures.items():
            if f is not None:
                sums[kind].absorb(f)
    shown = {kind: f if f.draws and f.value >= k else None for kind, f in sums.items()}
    if shown["opened"] is None:
        shown = {kind: None for kind in EVENTS}
    return Row("total", "total", headcount if any(not r.suppressed for r in rows) else None, shown)
