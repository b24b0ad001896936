"""The noisy release behind every report: true counts per (leaf, period, band) and score sums, plus stored noise.

Noise sits on leaves (a registered unit, an org's own pool, the pool of unknown orgs, and a campaign's own leaf of
each: app/reports/leaves.py), never on the merged pools a report shows: the leaves do not depend on the data or on
which report is asked, so the same noisy cells feed every grouping, period, scope and format, and a unit registered
later moves its noisy cells between pools without revealing their true counts. Every leaf gets noise, empty or not,
so an absent cell is never told apart from zero.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from sqlmodel import Session

from app.reports import rollup
from app.reports.leaves import BaseLeaf, Leaf, Leaves, leaf_key, month_of
from app.reports.noise import SUM, Budget, NoiseKey, NoiseStore, running_runs
from app.reports.rollup import OrgScope, RollupRow
from app.reports.suppression import Month, Pool, RawKey
from app.scales.definitions import ScaleDefinition

__all__ = ["Leaf", "TrueCounts", "leaf_key", "month_key", "noisy_pools", "true_counts"]


def month_key(m: Month) -> str:
    return f"{m[0]:04d}-{m[1]:02d}"


def month_last(m: Month) -> date:
    return date(m[0] + m[1] // 12, m[1] % 12 + 1, 1) - timedelta(days=1)


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


def _closed_rows(db: Session, scale_id: str, closed: Sequence[Month], scope: OrgScope, campaign: str | None,
                 created: dict[str, date]) -> list[tuple[RollupRow, bool]]:
    """Month rows of the closed months, each with "before": completed on or before its unit's registration day.
    In the month a unit was registered, its day rows up to that day are split off its month row as "before"."""
    first, last = date(*closed[0], 1), month_last(closed[-1])
    out: list[tuple[RollupRow, bool]] = []
    split: dict[tuple[str, Month], date] = {}  # (unit, month) -> registration day inside that month
    for r in rollup.read(db, scale_id, rollup.MONTH, first, last, scope, campaign):
        day = created.get(r.unit) if r.unit is not None else None
        if day is None or day < r.day:
            out.append((r, False))
        elif day >= month_last(month_of(r.day)):
            out.append((r, True))
        else:
            out.append((r, False))
            split[(r.unit, month_of(r.day))] = day  # type: ignore[index]
    for (unit, m), day in sorted(split.items()):
        for r in rollup.read(db, scale_id, rollup.DAY, date(*m, 1), day, scope, campaign, unit):
            out.append((r, True))  # moved from the month row to the org's own pool
            out.append((RollupRow(r.org, r.unit, r.campaign, date(*m, 1), r.band, -r.n, -r.score_sum), False))
    return out


def true_counts(db: Session, scale_id: str, closed: Sequence[Month], running: Month | None, today: date,
                leaf_of: Callable[[RawKey], BaseLeaf], scope: OrgScope, created: dict[str, date],
                leaves: Leaves | None = None, campaign: str | None = None) -> TrueCounts:
    """True counts per leaf from the rollup: closed months from month rows, the running month's complete days
    from day rows (each day mapped to the dyadic run that holds it). An answer completed on or before its unit's
    registration day stays in the org's own leaf for good, so registering a unit never moves an answer between
    leaves (which differencing would show exactly). `leaves` places campaign answers in their campaign's leaves;
    `campaign` counts that campaign's answers only."""
    out = TrueCounts()

    def add(r: RollupRow, before: bool, period: str, m: Month) -> None:
        base = leaf_of((r.org, None if before else r.unit))
        leaf = leaves.place(base, r.campaign, m) if leaves is not None else base
        if leaf is not None:
            out.add(leaf, period, (r.org, r.unit), r.band or "?", r.n, r.score_sum)

    if closed:
        for r, before in _closed_rows(db, scale_id, closed, scope, campaign, created):
            add(r, before, month_key(month_of(r.day)), month_of(r.day))
    if running is not None:
        start = date(*running, 1)
        runs = running_runs(start, today)
        if runs:
            for r in rollup.read(db, scale_id, rollup.DAY, start, today - timedelta(days=1), scope, campaign):
                before = r.unit is not None and r.unit in created and r.day <= created[r.unit]
                run = next(x for x in runs if x[1] <= r.day.day < x[1] + x[2])
                add(r, before, f"{month_key(running)}:{run[0]}", running)
    return out


def noisy_pools(db: Session, scale: ScaleDefinition, order: Sequence[str], closed: Sequence[Month],
                running: Month | None, today: date, leaves: Callable[[Month], Sequence[Leaf]], counts: TrueCounts,
                budget: Budget, node_of: Callable[[BaseLeaf, Month], str]) -> dict[Month, dict[str, Pool]]:
    """Per month, per report node: the sum of its leaves' noisy cells (noise drawn now where none is stored)."""
    top = max(abs(v) for v in scale.score_range("total"))
    periods: list[tuple[Month, str, bool]] = [(m, month_key(m), False) for m in closed]
    if running is not None:
        periods += [(running, f"{month_key(running)}:{r[0]}", True) for r in running_runs(date(*running, 1), today)]
    wanted: dict[NoiseKey, float] = {}
    for month, period, is_running in periods:
        count_scale, sum_scale = budget.count_scale(is_running), budget.sum_scale(is_running, top)
        for leaf in leaves(month):
            key = leaf_key(leaf)
            for band in order:
                wanted[(key, period, band)] = count_scale
            wanted[(key, period, SUM)] = sum_scale
    noise = NoiseStore(db, scale.id).get(wanted)
    pools: dict[Month, dict[str, Pool]] = defaultdict(dict)
    for month, period, _ in periods:
        for leaf in leaves(month):
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
            pools[month].setdefault(node_of((leaf[0], leaf[1]), month), Pool()).absorb(leaf_pool)
    return pools
