"""HR summary reports: one read of the rollup (app/reports/rollup.py) per request, the atom rules of suppression.py,
then cells.

Every report variant (grouping, period, JSON or CSV) is assembled from the same per-(scale, month) atoms, which is
what makes differencing two reports useless; see the module docstring of app/reports/suppression.py.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import Select
from sqlmodel import Session, col, select

from app.config import Settings
from app.reports import rollup
from app.reports.leaves import Leaves, load_spans
from app.reports.models import Org, Unit
from app.reports.noise import CONFIDENCE, Budget
from app.reports.noise import margin as noise_margin
from app.reports.release import noisy_pools, true_counts
from app.reports.schemas import BandGroup, BandInfo, Cell, Privacy, Summary
from app.reports.suppression import Atom, CellValues, Month, Node, Pool, RawKey, build_atoms
from app.reports.suppression import combine as combine_atoms
from app.scales.definitions import ScaleDefinition

GroupBy = Literal["unit", "org", "month"]
OrgScope = Select[tuple[str]] | None  # a selection of org ids, or None for all
UNSPECIFIED = "-"
MAX_MONTHS = 120
METHOD = ("Whole calendar months only, closed months only. Units below k employees or k assessments in a month "
          "merge into their parent that month; org-level pools below k are suppressed and left out of every "
          "figure, totals included. Band counts are pooled from the most severe end so every published pool has "
          "at least k assessments. Suppressed means fewer than k.")
METHOD_NOISY = ("Differential privacy: every count and score sum carries random noise (OpenDP, discrete Laplace), "
                "drawn once and reused by every report, with a budget of epsilon {month} per assessment for a "
                "closed month and {running} for the running month's daily figures. Whole calendar months; the "
                "running month counts whole days up to yesterday. Units below k employees or a noisy count below k "
                "merge into their parent that month; org-level pools below k are suppressed and left out of every "
                "figure. Band counts are pooled from the most severe end until each pool reaches k. Each figure "
                "comes with the 95 % half-width of its noise (±); a mean too uncertain to help is left out.")


def budget_of(settings: Settings) -> Budget:
    return Budget(settings.report_epsilon_month, settings.report_epsilon_running, settings.report_mean_share)


class ReportError(ValueError):
    """A request the report API refuses with 422."""


@dataclass(frozen=True)
class Period:
    requested_from: date
    requested_to: date
    months: list[Month]
    running: Month | None = None  # the running month, when the period holds it (counted up to yesterday)
    today: date | None = None

    @property
    def start(self) -> date | None:
        return date(*self.months[0], 1) if self.months else None

    @property
    def end(self) -> date | None:
        if not self.months:
            return None
        if self.running is not None and self.today is not None:
            return self.today - timedelta(days=1)
        return month_end(self.months[-1])

    @property
    def closed(self) -> list[Month]:
        return [m for m in self.months if m != self.running]


@dataclass(frozen=True)
class CellMeta:
    group: str
    kind: Literal["unit", "org", "month", "total"]
    label: str
    org: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Report:
    scale: ScaleDefinition
    k: int
    group_by: GroupBy
    period: Period
    band_order: list[str]
    cells: list[tuple[CellMeta, CellValues]]
    total: CellValues
    budget: Budget | None = None


EARLIEST, LATEST = date(2000, 1, 1), date(9998, 12, 31)  # month arithmetic stays inside date's range


def month_end(m: Month) -> date:
    nxt = date(m[0] + 1, 1, 1) if m[1] == 12 else date(m[0], m[1] + 1, 1)
    return nxt - timedelta(days=1)


def resolve_period(from_: date | None, to: date | None, today: date, running: bool = False) -> Period:
    """Snap to whole months. Without noise (`running` False) clip to the last closed month, so no exact figure
    changes while a month is running; with noise the running month counts its whole days up to yesterday."""
    last_closed = today.replace(day=1) - timedelta(days=1)
    if running and today.day > 1:
        last_closed = today - timedelta(days=1)
    for name, value in (("from", from_), ("to", to)):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ReportError(f"'{name}' must lie between {EARLIEST} and {LATEST}")
    to = to or last_closed
    if from_ is None:
        months_back = to.year * 12 + to.month - 1 - 11
        from_ = date(months_back // 12, months_back % 12 + 1, 1)
    if from_ > to:
        raise ReportError(f"'from' ({from_}) is after 'to' ({to})")
    end = min(to, last_closed)
    first, last = from_.year * 12 + from_.month - 1, end.year * 12 + end.month - 1
    if to.year * 12 + to.month - 1 - first + 1 > MAX_MONTHS:
        raise ReportError(f"the period spans more than {MAX_MONTHS} months")
    months = [(i // 12, i % 12 + 1) for i in range(first, last + 1)]
    current = (today.year, today.month)
    return Period(from_, to, months, current if current in months else None, today)


def scale_bands(scale: ScaleDefinition) -> tuple[list[str], dict[str, dict[str, str]], list[tuple[int, int]] | None]:
    """Band ids from mild to severe, their labels, and the total-score range each band really takes (if known)."""
    primary = scale.scoring.primary
    sets = [bs for bs in scale.bands if bs.score != "total"] if primary == "most_severe" else \
        [bs for bs in scale.bands if bs.score == primary]
    ordered = sorted(sets[0].bands, key=lambda b: b.min)
    order = [b.id for b in ordered]
    labels: dict[str, dict[str, str]] = {}
    for b in ordered:
        zh, en = b.label.zh_CN, b.label.en
        if primary == "most_severe":  # labels name one subscale ("压力：轻度"); keep the severity word only
            zh, en = zh.split("：")[-1], en.split(": ")[-1]
        labels[b.id] = {"zh-CN": zh, "en": en}
    values = [o.value for o in scale.options]
    contiguous = values == list(range(values[0], values[-1] + 1))
    if sets[0].score != "total" or not contiguous:
        return order, labels, None
    m = scale.scoring.multiplier
    ranges = [(-(-b.min // m) * m, (b.max // m) * m) for b in ordered]
    return order, labels, None if any(lo > hi for lo, hi in ranges) else ranges


@dataclass(frozen=True)
class Tree:
    nodes: dict[str, Node]
    labels: dict[str, str]
    orgs: list[Org]
    units: list[Unit]
    since: dict[str, date] = field(default_factory=dict)  # node -> the day it was created
    scoped: bool = False  # only some orgs: no pool of assessments without a known org
    unit_org: dict[str, str] = field(default_factory=dict)  # unit id -> its org

    def leaf_of(self, raw: RawKey) -> tuple[str, str | None]:
        """Where an assessment's noise lives: its unit if registered in its own org, else its org's own pool, else
        the pool of unknown orgs. A unit id of another org counts as no unit (nobody pads another org's unit)."""
        org, unit = raw
        if unit is not None and self.unit_org.get(unit) == org:
            return org, unit
        if org is not None and f"org:{org}" in self.nodes and org != UNSPECIFIED:
            return org, None
        return UNSPECIFIED, None

    @property
    def leaves(self) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = [(o.id, None) for o in self.orgs]
        out += [(u.org_id, u.id) for u in self.units]
        return out if self.scoped else [*out, (UNSPECIFIED, None)]

    def node_of(self, raw: RawKey, month: Month) -> str:
        """A month is pooled with the tree as it stood when the month closed: a unit (or org) created later takes
        none of that month's assessments, so creating one never changes a figure already published."""
        org, unit = self.leaf_of(raw)
        closed = month_end(month)
        for key in (f"unit:{unit}" if unit is not None else None, f"org:{org}" if org is not None else None):
            if key is not None and key in self.nodes and self.since.get(key, closed) <= closed:
                return key
        return f"org:{UNSPECIFIED}"


def load_tree(db: Session, scope: OrgScope = None) -> Tree:
    """The orgs and units of `scope` (None: all, and the pool of assessments with no known org)."""
    org_stmt = select(Org).order_by(col(Org.name), col(Org.id))
    unit_stmt = select(Unit).order_by(col(Unit.name), col(Unit.id))
    if scope is not None:
        org_stmt, unit_stmt = org_stmt.where(col(Org.id).in_(scope)), unit_stmt.where(col(Unit.org_id).in_(scope))
    orgs = list(db.exec(org_stmt))
    units = list(db.exec(unit_stmt))
    nodes = {f"org:{o.id}": Node(f"org:{o.id}", None) for o in orgs}
    nodes[f"org:{UNSPECIFIED}"] = Node(f"org:{UNSPECIFIED}", None)
    labels = {f"org:{o.id}": o.name for o in orgs}
    labels[f"org:{UNSPECIFIED}"] = UNSPECIFIED
    for u in units:
        parent = f"unit:{u.parent_id}" if u.parent_id else f"org:{u.org_id}"
        nodes[f"unit:{u.id}"] = Node(f"unit:{u.id}", parent, u.headcount)
        labels[f"unit:{u.id}"] = u.name
    since = {f"org:{o.id}": o.created_at.date() for o in orgs} | {f"unit:{u.id}": u.created_at.date() for u in units}
    return Tree(nodes, labels, orgs, units, since, scoped=scope is not None,
                unit_org={u.id: u.org_id for u in units})


def month_pools(db: Session, scale_id: str, period: Period, tree: Tree, scope: OrgScope = None,
                campaign: str | None = None) -> dict[Month, dict[str, Pool]]:
    """Exact counts of closed months from the rollup's month rows, of the orgs in `scope` only (the scope is in the
    query: nothing of another org is ever read), of `campaign` only when given."""
    pools: dict[Month, dict[str, Pool]] = defaultdict(dict)
    if not period.months or period.start is None or period.end is None:
        return pools
    for r in rollup.read(db, scale_id, rollup.MONTH, period.start, period.end, scope, campaign):
        m = (r.day.year, r.day.month)
        node = tree.node_of((r.org, r.unit), m)  # the unit only if it is of the assessment's org
        pool = pools[m].setdefault(node, Pool())
        pool.absorb(Pool({r.band or "?": r.n}, r.score_sum, {(r.org, r.unit)}))
    return pools


def _unit_order(tree: Tree) -> list[CellMeta]:
    """Per org: its org-level pool, then its units depth-first; the pool of unspecified orgs last."""
    children: dict[str, list[Unit]] = defaultdict(list)
    for u in tree.units:
        children[f"unit:{u.parent_id}" if u.parent_id else f"org:{u.org_id}"].append(u)
    out: list[CellMeta] = []

    def walk(key: str, org: str) -> None:
        for u in children.get(key, []):
            parent = u.parent_id or f"org:{org}"
            out.append(CellMeta(u.id, "unit", u.name, org, parent))
            walk(f"unit:{u.id}", org)

    for o in tree.orgs:
        out.append(CellMeta(f"org:{o.id}", "org", o.name, o.id))
        walk(f"org:{o.id}", o.id)
    if not tree.scoped:
        out.append(CellMeta(f"org:{UNSPECIFIED}", "org", UNSPECIFIED, None))
    return out


def summary(db: Session, scale: ScaleDefinition, k: int, group_by: GroupBy, from_: date | None, to: date | None,
            today: date, scope: OrgScope = None, budget: Budget | None = None, campaign: str | None = None) -> Report:
    """`scope`: the org ids the caller may see (app/network/scope.py org_scope); None for every org. `budget`: the
    differential privacy budget (the API always gives one); None gives exact counts of closed months (tests).
    `campaign`: count only the answers given in that campaign's conversations (its report)."""
    if k < 5:
        raise ReportError("k below 5 is refused")
    running = budget is not None and budget.epsilon_running > 0
    if to is None and running:
        to = today
    period = resolve_period(from_, to, today, running)
    tree = load_tree(db, scope)
    order, _, ranges = scale_bands(scale)
    leaves = Leaves(tree.leaves, tree.unit_org, load_spans(db, scope, campaign), campaign)
    if budget is None:
        pools = month_pools(db, scale.id, period, tree, scope, campaign)
        found = {b for by_node in pools.values() for p in by_node.values() for b in p.bands}
    else:
        counts = true_counts(db, scale.id, period.closed, period.running, today, tree.leaf_of, scope,
                             {u.id: tree.since[f"unit:{u.id}"] for u in tree.units}, leaves, campaign)
        found = {b for cell in counts.bands.values() for b in cell}
    extra = sorted(found - set(order))
    order = order + extra  # bands a past scale version used; shown after the current ones
    if extra:
        ranges = None
    if budget is not None:
        pools = noisy_pools(db, scale, order, period.closed, period.running, today, leaves.of_month, counts, budget,
                            tree.node_of)
    atoms: list[Atom] = [a for m in period.months for a in build_atoms(tree.nodes, pools.get(m, {}), m, k, order,
                                                                        ranges, noisy=budget is not None,
                                                                        margin=noise_margin if budget else None)]
    margin_of = noise_margin if budget is not None else None

    def combine(cell_atoms: list[Atom], band_order: list[str]) -> CellValues:
        return combine_atoms(cell_atoms, band_order, margin_of)

    by_node: dict[str, list[Atom]] = defaultdict(list)
    by_org: dict[str, list[Atom]] = defaultdict(list)
    by_month: dict[Month, list[Atom]] = defaultdict(list)
    for a in atoms:
        by_node[a.node].append(a)
        root = a.node
        while (parent := tree.nodes[root].parent) is not None:
            root = parent
        by_org[root].append(a)
        by_month[a.month].append(a)
    cells: list[tuple[CellMeta, CellValues]] = []
    if group_by == "unit":
        for meta in _unit_order(tree):
            key = meta.group if meta.kind == "org" else f"unit:{meta.group}"
            cells.append((meta, combine(by_node.get(key, []), order)))
    elif group_by == "org":
        for o in tree.orgs:
            cells.append((CellMeta(o.id, "org", o.name, o.id), combine(by_org.get(f"org:{o.id}", []), order)))
        if not tree.scoped:
            cells.append((CellMeta(UNSPECIFIED, "org", UNSPECIFIED), combine(by_org.get(f"org:{UNSPECIFIED}", []),
                                                                              order)))
    else:
        for m in period.months:
            label = f"{m[0]:04d}-{m[1]:02d}"
            cells.append((CellMeta(label, "month", label), combine(by_month.get(m, []), order)))
    return Report(scale, k, group_by, period, order, cells, combine(atoms, order), budget)


def _cell(meta: CellMeta, v: CellValues, top: int | None = None) -> Cell:
    """`top`: the scale's top score when the figures are noisy; a mean whose margin passes a quarter of it is left
    out (too uncertain to act on)."""
    groups = [BandGroup(bands=list(g), n=c, margin=v.margins.get(g, 0)) for g, c in v.band_groups] \
        if v.band_groups is not None else None
    mean, mean_margin = v.mean_score, v.mean_margin
    if top is not None and mean_margin is not None and mean_margin > top / 4:
        mean, mean_margin = None, None
    noisy = top is not None and not v.suppressed
    band_margins = {b: (v.margins.get((b,)) if c is not None else None) for b, c in (v.bands or {}).items()}
    n_margin = v.margins.get(tuple(v.bands or ())) if noisy else None
    share, share_margin = _share(v, n_margin or 0)
    return Cell(group=meta.group, kind=meta.kind, label=meta.label, org=meta.org, parent=meta.parent, n=v.n,
                suppressed=v.suppressed, bands=v.bands, band_groups=groups, mean_score=mean, n_margin=n_margin,
                band_margins=band_margins if noisy else None, mean_margin=mean_margin if noisy else None,
                share_moderate_plus=share, share_moderate_plus_margin=share_margin if noisy else None)


def _share(v: CellValues, n_margin: int) -> tuple[float | None, float | None]:
    """The share at moderate or above and its ± by the delta method, as for the mean: (count ± + share × n ±) / n."""
    if v.acting is None or not v.n or v.n <= 0:
        return None, None
    count, margin = v.acting
    share = min(1.0, max(0.0, count / v.n))  # noise may pass either end
    return round(share, 3), round((margin + share * n_margin) / v.n, 3)


def to_summary(report: Report) -> Summary:
    order, labels, _ = scale_bands(report.scale)
    infos = [BandInfo(id=b, label=labels.get(b, {"zh-CN": b, "en": b})) for b in report.band_order]
    p, b = report.period, report.budget
    top = max(abs(x) for x in report.scale.score_range("total")) if b is not None else None
    privacy = None if b is None else Privacy(
        epsilon_month=b.epsilon_month, epsilon_running=b.epsilon_running, confidence=CONFIDENCE,
        running_month=f"{p.running[0]:04d}-{p.running[1]:02d}" if p.running else None, counted_through=p.end)
    method = METHOD if b is None else METHOD_NOISY.format(month=b.epsilon_month, running=b.epsilon_running)
    return Summary(k=report.k, scale=report.scale.id, group_by=report.group_by, from_=p.start, to=p.end,
                   requested_from=p.requested_from, requested_to=p.requested_to,
                   months=[f"{y:04d}-{m:02d}" for y, m in p.months], bands=infos,
                   cells=[_cell(meta, v, top) for meta, v in report.cells],
                   total=_cell(CellMeta("total", "total", "total"), report.total, top), method=method,
                   privacy=privacy)


def to_csv(report: Report) -> str:
    """The same cells as the JSON, one row each and the total last; empty fields where the JSON has null. Margins
    (±, 95 %) follow each figure; the period and the method are on every row, so a row read alone says both."""
    s = to_summary(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scale", "from", "to", "kind", "group", "label", "n", "n_margin", "suppressed", "mean_score",
                "mean_margin", "share_moderate_plus", "share_moderate_plus_margin",
                *(f"band:{b}" for b in report.band_order), "band_groups", "method"])
    for c in [*s.cells, s.total]:
        bands = c.bands or {}
        groups = "; ".join(f"{'+'.join(g.bands)}={g.n}" + (f"±{g.margin}" if s.privacy else "")
                           for g in c.band_groups or [])

        def fmt(value: object) -> str:
            return "" if value is None else str(value)

        w.writerow([s.scale, fmt(s.from_), fmt(s.to), c.kind, c.group, c.label, fmt(c.n), fmt(c.n_margin),
                    "true" if c.suppressed else "false", fmt(c.mean_score), fmt(c.mean_margin),
                    fmt(c.share_moderate_plus), fmt(c.share_moderate_plus_margin),
                    *(fmt(bands.get(b)) for b in report.band_order), groups, s.method])
    return buf.getvalue()
