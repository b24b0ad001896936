"""The noisy release behind every report: true counts per (leaf, period, band) and score sums, plus stored noise.

Noise sits on leaves (a registered unit, an org's own pool, the pool of unknown orgs, and a campaign's own leaf of
each: app/reports/leaves.py), never on the merged pools a report shows: the leaves do not depend on the data or on
which report is asked, so the same noisy cells feed every grouping, period, scope and format, and a unit registered
later moves its noisy cells between pools without revealing their true counts. Every leaf gets noise, empty or not,
so an absent cell is never told apart from zero.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta

from sqlmodel import Session

from app.reports import rollup
from app.reports.leaves import BaseLeaf, Leaf, Leaves, leaf_key
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
    """True band counts and score sums per (leaf, period key)."""

    def __init__(self) -> None:
        self.bands: dict[tuple[Leaf, str], dict[str, int]] = defaultdict(dict)
        self.sums: dict[tuple[Leaf, str], int] = defaultdict(int)


def _closed_rows(db: Session, scale_id: str, closed: Sequence[Month], scope: OrgScope, campaign: str | None,
                 created: dict[str, date]) -> Iterator[tuple[RollupRow, bool]]:
    """Month rows of the closed months, each with "before": completed on or before its unit's registration day.
    In the month a unit was registered, its day rows up to that day are split off its month row as "before"."""
    first, last = date(*closed[0], 1), month_last(closed[-1])
    split: dict[tuple[str, Month], date] = {}  # (unit, month) -> registration day inside that month
    for r in rollup.read(db, scale_id, rollup.MONTH, first, last, scope, campaign):
        day = created.get(r.unit) if r.unit is not None else None
        if day is None or day < r.day:
            yield r, False
        elif day >= month_last(r.month):
            yield r, True
        else:
            yield r, False
            split[(r.unit, r.month)] = day  # type: ignore[index]
    for (unit, m), day in sorted(split.items()):
        for r in rollup.read(db, scale_id, rollup.DAY, date(*m, 1), day, scope, campaign, unit):
            yield r, True  # moved from the month row to the org's own pool
            yield r._replace(day=date(*m, 1), n=-r.n, score_sum=-r.score_sum), False


def true_counts(db: Session, scale_id: str, closed: Sequence[Month], running: Month | None, today: date,
                leaf_of: Callable[[RawKey], BaseLeaf], scope: OrgScope, created: dict[str, date],
                leaves: Leaves | None = None, campaign: str | None = None) -> TrueCounts:
    """True counts per leaf from the rollup: closed months from month rows, the running month's complete days
    from day rows (each day mapped to the dyadic run that holds it). An answer completed on or before its unit's
    registration day stays in the org's own leaf for good, so registering a unit never moves an answer between
    leaves (which differencing would show exactly). `leaves` places campaign answers in their campaign's leaves;
    `campaign` counts that campaign's answers only."""
    out = TrueCounts()
    placed: dict[tuple[str | None, str | None, bool, str | None, Month], Leaf | None] = {}
    bands, sums = out.bands, out.sums

    def add(r: RollupRow, before: bool, period: str) -> None:
        """Thousands of rows per request: the leaf of each distinct place is worked out once."""
        place = (r.org, r.unit, before, r.campaign, r.month)
        leaf = placed.get(place, False)
        if leaf is False:
            base = leaf_of((r.org, None if before else r.unit))
            leaf = placed[place] = leaves.place(base, r.campaign, r.month) if leaves is not None else base
        if leaf is not None:
            cell, band = bands[(leaf, period)], r.band or "?"  # type: ignore[index]
            cell[band] = cell.get(band, 0) + r.n
            sums[(leaf, period)] += r.score_sum  # type: ignore[index]

    if closed:
        month_keys = {m: month_key(m) for m in closed}
        for r, before in _closed_rows(db, scale_id, closed, scope, campaign, created):
            add(r, before, month_keys[r.month])
    if running is not None:
        start = date(*running, 1)
        runs = running_runs(start, today)
        if runs:
            for r in rollup.read(db, scale_id, rollup.DAY, start, today - timedelta(days=1), scope, campaign):
                before = r.unit is not None and r.unit in created and r.day <= created[r.unit]
                run = next(x for x in runs if x[1] <= r.day.day < x[1] + x[2])
                add(r, before, f"{month_key(running)}:{run[0]}")
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
    true_of, sum_of = counts.bands, counts.sums
    for month, period, _ in periods:
        by_node = pools[month]
        for leaf in leaves(month):
            key, cell = leaf_key(leaf), (leaf, period)
            true = true_of.get(cell, {})
            node = node_of((leaf[0], leaf[1]), month)
            pool = by_node.get(node)
            if pool is None:
                pool = by_node[node] = Pool(true_bands={})
            # the sum of the node's leaves' noisy cells, as Pool.absorb would add them (without a Pool per leaf)
            noisy, exact, draws = pool.bands, pool.true_bands, pool.draws
            assert exact is not None
            for band in order:
                value, scale_used = noise[(key, period, band)]
                t = true.get(band, 0)
                noisy[band] = noisy.get(band, 0) + t + value
                exact[band] = exact.get(band, 0) + t
                band_draws = draws.setdefault(band, {})
                band_draws[scale_used] = band_draws.get(scale_used, 0) + 1
            value, scale_used = noise[(key, period, SUM)]
            pool.score_sum += sum_of.get(cell, 0) + value
            band_draws = draws.setdefault(SUM, {})
            band_draws[scale_used] = band_draws.get(scale_used, 0) + 1
            # sources: the leaf itself, empty or not (every figure's provenance is the noisy leaf cells it sums)
            pool.sources.add(leaf)  # type: ignore[arg-type]
    return pools
