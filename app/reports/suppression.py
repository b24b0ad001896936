"""Disclosure control for HR reports: fixed (unit, month) atoms, merge-up, suppression and band grouping.

Why this shape: published figures must not be combinable (across groupings, overlapping periods or the CSV) into a
figure about fewer than k people. Cell-by-cell suppression with complementary suppression cannot promise that once
periods may overlap freely, so the query space is restricted instead:

1. **Time atoms.** Periods snap to whole calendar months, and only closed months (before the current UTC month) are
   reported, so a figure never moves from one day to the next as assessments arrive.
2. **Unit atoms.** For each (scale, month), the org tree is walked bottom-up. A unit stands alone only when its
   headcount is unknown or at least k *and* its pooled count (its own assessments plus those of sub-units merged
   into it that month) is at least k; otherwise its whole pool merges into its parent. The org itself is the root
   pool (it also takes assessments whose unit is missing or unknown); one more root takes those with no known org.
   Each month is pooled with the tree as it stood when the month closed: a unit or org created later takes none of
   that month's assessments, so registering one never moves a count between published pools.
3. **Suppression.** A root pool below k is suppressed. Suppressed atoms are left out of *every* published figure,
   totals included, so nothing about them can be derived by differencing: every figure of every report is a sum of
   shown atoms, each at least k.
4. **Bands.** Within a shown atom, bands are grouped from the most severe end: contiguous bands are pooled until the
   pool reaches k; a remainder at the mild end joins the last pool. Every published band figure is a pool of at
   least k. A cell spanning several atoms uses the finest grouping common to all of them (the intersection of their
   cut points), so a cell never shows a split that one of its atoms hides.
5. **Mean score.** A cell shows the mean only when every atom's score sum cannot pin any hidden band count (checked
   against each band's score range); otherwise the mean is null.

Because all (atom, band pool) blocks of a scale form one partition of its counted assessments and every published
count is a sum of whole blocks, anyone combining any number of reports learns at most each block's count (>= k).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Month = tuple[int, int]  # (year, month)
Draws = dict[float, int]  # noise scale -> number of independent draws summed (app/reports/noise.py)
SUM = "__sum__"
ACT_FROM = "moderate"  # the band from which HR is shown a unit's share "at moderate or above"
RawKey = tuple[str | None, str | None]  # (org, unit) exactly as stored on the assessment


@dataclass
class Pool:
    """Counts of one (node, month): per band count and score sum, and which raw (org, unit) keys fed it."""

    bands: dict[str, int] = field(default_factory=dict)
    score_sum: int = 0
    sources: set[RawKey] = field(default_factory=set)
    # With noise: the noise draws (scale -> count) in each band count and in the score sum (key SUM), and the true
    # counts behind the noisy ones (audits and tests only; never published)
    draws: dict[str, Draws] = field(default_factory=dict)
    true_bands: dict[str, int] | None = None  # None: the same as bands (no noise)

    @property
    def n(self) -> int:
        return sum(self.bands.values())

    def absorb(self, other: Pool) -> None:
        true = self.true_bands if self.true_bands is not None else dict(self.bands)
        for band, count in (other.true_bands if other.true_bands is not None else other.bands).items():
            true[band] = true.get(band, 0) + count
        self.true_bands = true
        for band, count in other.bands.items():
            self.bands[band] = self.bands.get(band, 0) + count
        self.score_sum += other.score_sum
        self.sources |= other.sources
        for cell, draws in other.draws.items():
            mine = self.draws.setdefault(cell, {})
            for scale, c in draws.items():
                mine[scale] = mine.get(scale, 0) + c


@dataclass(frozen=True)
class Node:
    key: str
    parent: str | None  # None for a root (an org, or the root of assessments without a known org)
    headcount: int | None = None


@dataclass(frozen=True)
class Atom:
    node: str
    month: Month
    n: int
    bands: Mapping[str, int]
    score_sum: int
    cuts: frozenset[int]  # i in cuts: a band pool boundary sits before band_order[i]
    mean_ok: bool
    sources: frozenset[RawKey]
    draws: Mapping[str, Draws] = field(default_factory=dict)
    true_bands: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """Provenance of one published count: which atoms and which bands it sums (kept for audits and tests)."""

    atoms: tuple[tuple[str, Month], ...]
    sources: frozenset[tuple[RawKey, Month]]  # the raw (org, unit) keys and months whose assessments it counts
    bands: tuple[str, ...]
    value: int
    true_value: int = 0  # the count before noise (equal to value without noise); never published
    margin: int = 0  # half-width of the 95 % interval of the noise in value


@dataclass(frozen=True)
class CellValues:
    n: int | None
    bands: dict[str, int | None] | None
    band_groups: list[tuple[tuple[str, ...], int]] | None
    mean_score: float | None
    figures: tuple[Figure, ...]
    margins: dict[tuple[str, ...], int] = field(default_factory=dict)  # band pool (all bands: n) -> noise margin
    mean_margin: float | None = None
    acting: tuple[int, int] | None = None  # (count, margin) at ACT_FROM or above, when a pool starts there

    @property
    def suppressed(self) -> bool:
        return self.n is None


def band_cuts(counts: Sequence[int], k: int) -> frozenset[int]:
    """Pool contiguous bands from the most severe end until each pool holds >= k; the mild remainder joins the last."""
    cuts: list[int] = []
    running = 0
    for i in range(len(counts) - 1, -1, -1):
        running += counts[i]
        if running >= k:
            cuts.append(i)
            running = 0
    if cuts and cuts[-1] != 0:
        cuts.pop()  # bands left at the mild end (even empty ones) join the pool above: no pool is below k
    cuts = sorted(c for c in cuts if c > 0)
    # Noisy counts can be negative, so a mild remainder can pull the pool it joins below k: merge on until not.
    while cuts and sum(counts[:cuts[0]]) < k:
        cuts.pop(0)
    return frozenset(cuts)


def groups_of(order: Sequence[str], cuts: Iterable[int]) -> list[tuple[str, ...]]:
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(order)), len(order)]
    return [tuple(order[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def mean_reveals_nothing(counts: Sequence[int], score_sum: int, cuts: frozenset[int],
                         ranges: Sequence[tuple[int, int]] | None) -> bool:
    """True when, for every band inside a multi-band pool, another split of that pool fits the score sum too.

    Each band's (lo, hi) must be score values that band really can take; without ranges only all-singleton pools
    are safe.
    """
    bounds = [0, *sorted(cuts), len(counts)]
    pools = [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False) if b - a > 1]
    if not pools:
        return True
    if ranges is None:
        return False
    low = sum(c * ranges[i][0] for i, c in enumerate(counts))
    high = sum(c * ranges[i][1] for i, c in enumerate(counts))

    def movable(src: int, dst: int) -> bool:
        if counts[src] == 0:
            return False
        lo = low - ranges[src][0] + ranges[dst][0]
        hi = high - ranges[src][1] + ranges[dst][1]
        return lo <= score_sum <= hi

    for pool in pools:
        for b in pool:
            if not any(movable(b, o) or movable(o, b) for o in pool if o != b):
                return False
    return True


def _merged_draws(draws: Mapping[str, Draws], cells: Iterable[str]) -> Draws:
    out: Draws = {}
    for cell in cells:
        for scale, c in draws.get(cell, {}).items():
            out[scale] = out.get(scale, 0) + c
    return out


def build_atoms(nodes: Mapping[str, Node], pools: Mapping[str, Pool], month: Month, k: int,
                band_order: Sequence[str], ranges: Sequence[tuple[int, int]] | None,
                noisy: bool = False, margin: Callable[[Draws], int] | None = None) -> list[Atom]:
    """Merge small pools up the tree for one (scale, month); return the shown atoms only (suppressed ones vanish).

    `noisy`: the pools hold noisy counts, so every decision here (merge, suppress, pool bands) is made on them and
    is post-processing of the noisy release; the mean needs no pinning check, its sum being noisy too. With
    `margin`, a pool stands only when its noisy count also passes its own 95 % margin, so pools that hold little
    or nothing but noise (an empty month, an empty unit) are merged or suppressed rather than shown."""
    depth: dict[str, int] = {}

    def depth_of(key: str) -> int:
        if key not in depth:
            parent = nodes[key].parent
            depth[key] = 0 if parent is None else depth_of(parent) + 1
        return depth[key]

    work = {key: Pool() for key in nodes}
    for key, pool in pools.items():
        work[key].absorb(pool)
    atoms: list[Atom] = []
    for key in sorted(nodes, key=lambda x: (-depth_of(x), x)):  # children before parents
        node, pool = nodes[key], work[key]
        if pool.n == 0 and not pool.draws:
            continue
        small_unit = node.headcount is not None and node.headcount < k
        floor = k if margin is None else max(k, margin(_merged_draws(pool.draws, band_order)))
        if node.parent is not None and (small_unit or pool.n < floor):
            work[node.parent].absorb(pool)
            continue
        if pool.n < floor:
            continue  # a root below k: suppressed, and left out of every figure
        counts = [pool.bands.get(b, 0) for b in band_order]
        cuts = band_cuts(counts, k)
        mean_ok = noisy or mean_reveals_nothing(counts, pool.score_sum, cuts, ranges)
        atoms.append(Atom(key, month, pool.n, dict(pool.bands), pool.score_sum, cuts, mean_ok,
                          frozenset(pool.sources), dict(pool.draws),
                          dict(pool.bands if pool.true_bands is None else pool.true_bands)))
    return atoms


def _draws(atoms: Sequence[Atom], cells: Iterable[str]) -> Draws:
    out: Draws = {}
    for a in atoms:
        for cell in cells:
            for scale, c in a.draws.get(cell, {}).items():
                out[scale] = out.get(scale, 0) + c
    return out


def combine(atoms: Sequence[Atom], band_order: Sequence[str],
            margin: Callable[[Draws], int] | None = None) -> CellValues:
    """One published cell from the shown atoms it covers; no shown atom means a suppressed cell. `margin` gives the
    95 % noise half-width of a sum of noise draws (None: exact counts, no margins)."""
    if not atoms:
        return CellValues(None, None, None, None, ())
    n = sum(a.n for a in atoms)
    cuts = frozenset.intersection(*(a.cuts for a in atoms))
    keys = tuple((a.node, a.month) for a in atoms)
    sources = frozenset((raw, a.month) for a in atoms for raw in a.sources)
    groups = [(g, sum(a.bands.get(b, 0) for a in atoms for b in g)) for g in groups_of(band_order, cuts)]
    bands: dict[str, int | None] = {b: None for b in band_order}
    for g, count in groups:
        if len(g) == 1:
            bands[g[0]] = count
    mean = round(sum(a.score_sum for a in atoms) / n, 1) if all(a.mean_ok for a in atoms) else None
    pools = [tuple(band_order), *(g for g, _ in groups if len(g) < len(band_order))]
    margins = {g: margin(_draws(atoms, g)) if margin else 0 for g in pools}
    mean_margin = None
    if margin and mean is not None:  # delta method: the sum's margin plus the mean times the count's, over n
        mean_margin = round((margin(_draws(atoms, [SUM])) + abs(mean) * margins[pools[0]]) / n, 1)

    def true(g: Sequence[str]) -> int:
        return sum(a.true_bands.get(b, 0) for a in atoms for b in g)

    figures = (Figure(keys, sources, tuple(band_order), n, true(band_order), margins[pools[0]]),
               *(Figure(keys, sources, g, c, true(g), margins[g]) for g, c in groups if len(g) < len(band_order)))
    return CellValues(n, bands, groups, mean, figures, margins, mean_margin, _acting(atoms, groups, margin))


def _acting(atoms: Sequence[Atom], groups: list[tuple[tuple[str, ...], int]],
            margin: Callable[[Draws], int] | None) -> tuple[int, int] | None:
    """The published pools from ACT_FROM up, summed (post-processing: no new figure is drawn), with the margin of
    their summed noise; None when ACT_FROM is inside a larger pool or not a band of the scale."""
    starts = [i for i, (g, _) in enumerate(groups) if g[0] == ACT_FROM]
    if not starts:
        return None
    above = groups[starts[0]:]
    bands = [b for g, _ in above for b in g]
    return sum(c for _, c in above), margin(_draws(atoms, bands)) if margin else 0
