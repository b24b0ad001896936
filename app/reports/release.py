"""The noisy release behind every report: true counts per (leaf, period, band) and score sums, plus stored noise.

Noise sits on leaves (a registered unit, an org's own pool, the pool of unknown orgs), never on the merged pools a
report shows: the leaves do not depend on the data or on which report is asked, so the same noisy cells feed every
grouping, period, scope and format, and a unit registered later moves its noisy cells between pools without
revealing their true counts. Every leaf gets noise, empty or not, so an absent cell is never told apart from zero.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import and_, case, extract, func, literal, text
from sqlmodel import Session, col, select

from app.assessments.models import Assessment
from app.reports.noise import SUM, Budget, NoiseKey, NoiseStore, running_runs
from app.reports.suppression import Month, Pool, RawKey
from app.scales.definitions import ScaleDefinition

Leaf = tuple[str, str | None]  # (org or "-", unit or None)


def leaf_key(leaf: Leaf) -> str:
    return f"{leaf[0]}|{leaf[1] or ''}"


def month_key(m: Month) -> str:
    return f"{m[0]:04d}-{m[1]:02d}"


class TrueCounts:
    """True band counts and score sums per (leaf, period key), and the raw keys that fed each (for audits)."""

    def __init__(self) -> None:
        self.bands: dict[tuple[Leaf, str], dict[str, int]] = defaultdict(dict)
        self.sums: dict[tuple[Leaf, str], int] = defaultdict(int)
        self.sources: dict[tuple[Leaf, str], set[RawKey]] = defaultdict(set)

    def add(self, leaf: Leaf, period: str, raw: RawKey, band: str, count: int, score_sum: int) -> None:
        cell = self.bands[(leaf, period)]
        cell[band] = cell.get(band, 0) + count
        self.sums[(leaf, period)] += score_sum
        self.sources[(leaf, period)].add(raw)


def _early(created: dict[str, date]):  # type: ignore[no-untyped-def]
    """1 for an answer completed on or before its unit's registration day: it stays in the org's own leaf for good,
    so registering a unit never moves an answer between leaves (which differencing would show exactly)."""
    if not created:
        return literal(0)
    return case(*[(and_(Assessment.unit == uid, col(Assessment.completed_on) <= day), 1)
                  for uid, day in sorted(created.items())], else_=0)


def _base(scale_id: str, first: date, last: date, scope, early):  # type: ignore[no-untyped-def]
    stmt = select(Assessment.org, Assessment.unit, early).where(
        Assessment.scale_id == scale_id, Assessment.status == "completed",
        col(Assessment.completed_on) >= first, col(Assessment.completed_on) <= last)
    return stmt if scope is None else stmt.where(col(Assessment.org).in_(scope))


def true_counts(db: Session, scale_id: str, closed: Sequence[Month], running: Month | None, today: date,
                leaf_of, scope, created: dict[str, date]) -> TrueCounts:  # type: ignore[no-untyped-def]
    """Two grouped reads: closed months by month, the running month's complete days by day (each day mapped to
    the dyadic run that holds it)."""
    out = TrueCounts()
    if db.get_bind().dialect.name == "postgresql":
        db.exec(text("SET LOCAL work_mem = '64MB'"))  # type: ignore[call-overload]
    if closed:
        first = date(*closed[0], 1)
        last = date(closed[-1][0] + closed[-1][1] // 12, closed[-1][1] % 12 + 1, 1) - timedelta(days=1)
        year, month = extract("year", Assessment.completed_on), extract("month", Assessment.completed_on)
        early = _early(created)
        stmt = _base(scale_id, first, last, scope, early).add_columns(
            year, month, Assessment.band, func.count(), func.coalesce(func.sum(Assessment.score), 0)
        ).group_by(Assessment.org, Assessment.unit, early, year, month, Assessment.band)
        for org, unit, before, y, m, band, count, score_sum in db.exec(stmt):
            out.add(leaf_of((org, None if before else unit)), month_key((int(y), int(m))), (org, unit), band or "?",
                    int(count), int(score_sum))
    if running is not None:
        start = date(*running, 1)
        runs = running_runs(start, today)
        if runs:
            early = _early(created)
            stmt = _base(scale_id, start, today - timedelta(days=1), scope, early).add_columns(
                Assessment.completed_on, Assessment.band, func.count(), func.coalesce(func.sum(Assessment.score), 0)
            ).group_by(Assessment.org, Assessment.unit, early, Assessment.completed_on, Assessment.band)
            for org, unit, before, day, band, count, score_sum in db.exec(stmt):
                if isinstance(day, str):
                    day = date.fromisoformat(day)
                run = next(r for r in runs if r[1] <= day.day < r[1] + r[2])
                out.add(leaf_of((org, None if before else unit)), f"{month_key(running)}:{run[0]}", (org, unit),
                        band or "?", int(count), int(score_sum))
    return out


def noisy_pools(db: Session, scale: ScaleDefinition, order: Sequence[str], closed: Sequence[Month],
                running: Month | None, today: date, leaves: Sequence[Leaf], counts: TrueCounts, budget: Budget,
                node_of) -> dict[Month, dict[str, Pool]]:  # type: ignore[no-untyped-def]
    """Per month, per report node: the sum of its leaves' noisy cells (noise drawn now where none is stored)."""
    top = max(abs(v) for v in scale.score_range("total"))
    periods: list[tuple[Month, str, bool]] = [(m, month_key(m), False) for m in closed]
    if running is not None:
        periods += [(running, f"{month_key(running)}:{r[0]}", True) for r in running_runs(date(*running, 1), today)]
    wanted: dict[NoiseKey, float] = {}
    for _, period, is_running in periods:
        count_scale, sum_scale = budget.count_scale(is_running), budget.sum_scale(is_running, top)
        for leaf in leaves:
            key = leaf_key(leaf)
            for band in order:
                wanted[(key, period, band)] = count_scale
            wanted[(key, period, SUM)] = sum_scale
    noise = NoiseStore(db, scale.id).get(wanted)
    pools: dict[Month, dict[str, Pool]] = defaultdict(dict)
    for month, period, _ in periods:
        for leaf in leaves:
            key, cell = leaf_key(leaf), (leaf, period)
            true = counts.bands.get(cell, {})
            bands, draws = {}, {}
            for band in order:
                value, scale_used = noise[(key, period, band)]
                bands[band] = true.get(band, 0) + value
                draws[band] = {scale_used: 1}
            value, scale_used = noise[(key, period, SUM)]
            draws[SUM] = {scale_used: 1}
            # sources: the leaf itself, empty or not (every figure's provenance is the noisy leaf cells it sums)
            leaf_pool = Pool(bands, counts.sums.get(cell, 0) + value, {leaf}, draws,
                             {b: true.get(b, 0) for b in order})
            pools[month].setdefault(node_of(leaf, month), Pool()).absorb(leaf_pool)
    return pools
