"""HR summary reports: one SQL aggregation per request, then the atom rules of suppression.py, then cells.

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

from sqlalchemy import Select, extract, func, text
from sqlmodel import Session, col, select

from app.assessments.models import Assessment
from app.reports.models import Org, Unit
from app.reports.schemas import BandGroup, BandInfo, Cell, Summary
from app.reports.suppression import Atom, CellValues, Month, Node, Pool, RawKey, build_atoms, combine
from app.scales.definitions import ScaleDefinition

GroupBy = Literal["unit", "org", "month"]
OrgScope = Select[tuple[str]] | None  # a selection of org ids, or None for all
UNSPECIFIED = "-"
MAX_MONTHS = 120
METHOD = ("Whole calendar months only, closed months only. Units below k employees or k assessments in a month "
          "merge into their parent that month; org-level pools below k are suppressed and left out of every "
          "figure, totals included. Band counts are pooled from the most severe end so every published pool has "
          "at least k assessments. Suppressed means fewer than k.")


class ReportError(ValueError):
    """A request the report API refuses with 422."""


@dataclass(frozen=True)
class Period:
    requested_from: date
    requested_to: date
    months: list[Month]

    @property
    def start(self) -> date | None:
        return date(*self.months[0], 1) if self.months else None

    @property
    def end(self) -> date | None:
        return month_end(self.months[-1]) if self.months else None


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


EARLIEST, LATEST = date(2000, 1, 1), date(9998, 12, 31)  # month arithmetic stays inside date's range


def month_end(m: Month) -> date:
    nxt = date(m[0] + 1, 1, 1) if m[1] == 12 else date(m[0], m[1] + 1, 1)
    return nxt - timedelta(days=1)


def resolve_period(from_: date | None, to: date | None, today: date) -> Period:
    """Snap to whole months and clip to the last closed month, so no figure changes while a month is running."""
    last_closed = today.replace(day=1) - timedelta(days=1)
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
    return Period(from_, to, [(i // 12, i % 12 + 1) for i in range(first, last + 1)])


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

    def node_of(self, raw: RawKey, month: Month) -> str:
        """A month is pooled with the tree as it stood when the month closed: a unit (or org) created later takes
        none of that month's assessments, so creating one never changes a figure already published."""
        org, unit = raw
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
    return Tree(nodes, labels, orgs, units, since, scoped=scope is not None)


def month_pools(db: Session, scale_id: str, period: Period, tree: Tree,
                scope: OrgScope = None) -> dict[Month, dict[str, Pool]]:
    """The only read of assessments: counts and score sums grouped in SQL by (org, unit, month, band), of the orgs
    in `scope` only (the scope is in the query: nothing of another org is ever read)."""
    pools: dict[Month, dict[str, Pool]] = defaultdict(dict)
    if not period.months:
        return pools
    if db.get_bind().dialect.name == "postgresql":
        # A few thousand groups from up to a million rows: let the planner hash in memory, not sort on disk.
        db.exec(text("SET LOCAL work_mem = '64MB'"))  # type: ignore[call-overload]
    year = extract("year", Assessment.completed_on)
    month = extract("month", Assessment.completed_on)
    stmt = (select(Assessment.org, Assessment.unit, year, month, Assessment.band, func.count(),
                   func.coalesce(func.sum(Assessment.score), 0))
            .where(Assessment.scale_id == scale_id, Assessment.status == "completed",
                   col(Assessment.completed_on) >= period.start, col(Assessment.completed_on) <= period.end)
            .group_by(Assessment.org, Assessment.unit, year, month, Assessment.band))
    if scope is not None:
        stmt = stmt.where(col(Assessment.org).in_(scope))
    for org, unit, y, m, band, count, score_sum in db.exec(stmt):
        node = tree.node_of((org, unit), (int(y), int(m)))
        pool = pools[(int(y), int(m))].setdefault(node, Pool())
        pool.absorb(Pool({band or "?": int(count)}, int(score_sum), {(org, unit)}))
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
            today: date, scope: OrgScope = None) -> Report:
    """`scope`: the org ids the caller may see (app/network/scope.py org_scope); None for every org."""
    if k < 5:
        raise ReportError("k below 5 is refused")
    period = resolve_period(from_, to, today)
    tree = load_tree(db, scope)
    order, _, ranges = scale_bands(scale)
    pools = month_pools(db, scale.id, period, tree, scope)
    extra = sorted({b for by_node in pools.values() for p in by_node.values() for b in p.bands} - set(order))
    order = order + extra  # bands a past scale version used; shown after the current ones
    if extra:
        ranges = None
    atoms: list[Atom] = [a for m in period.months for a in build_atoms(tree.nodes, pools.get(m, {}), m, k, order,
                                                                        ranges)]
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
    return Report(scale, k, group_by, period, order, cells, combine(atoms, order))


def _cell(meta: CellMeta, v: CellValues) -> Cell:
    groups = [BandGroup(bands=list(g), n=c) for g, c in v.band_groups] if v.band_groups is not None else None
    return Cell(group=meta.group, kind=meta.kind, label=meta.label, org=meta.org, parent=meta.parent, n=v.n,
                suppressed=v.suppressed, bands=v.bands, band_groups=groups, mean_score=v.mean_score)


def to_summary(report: Report) -> Summary:
    order, labels, _ = scale_bands(report.scale)
    infos = [BandInfo(id=b, label=labels.get(b, {"zh-CN": b, "en": b})) for b in report.band_order]
    p = report.period
    return Summary(k=report.k, scale=report.scale.id, group_by=report.group_by, from_=p.start, to=p.end,
                   requested_from=p.requested_from, requested_to=p.requested_to,
                   months=[f"{y:04d}-{m:02d}" for y, m in p.months], bands=infos,
                   cells=[_cell(meta, v) for meta, v in report.cells],
                   total=_cell(CellMeta("total", "total", "total"), report.total), method=METHOD)


def to_csv(report: Report) -> str:
    """The same cells as the JSON, one row each and the total last; empty fields where the JSON has null."""
    s = to_summary(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scale", "from", "to", "kind", "group", "label", "n", "suppressed", "mean_score",
                *(f"band:{b}" for b in report.band_order), "band_groups"])
    for c in [*s.cells, s.total]:
        bands = c.bands or {}
        groups = "; ".join(f"{'+'.join(g.bands)}={g.n}" for g in c.band_groups or [])

        def fmt(value: object) -> str:
            return "" if value is None else str(value)

        w.writerow([s.scale, fmt(s.from_), fmt(s.to), c.kind, c.group, c.label, fmt(c.n),
                    "true" if c.suppressed else "false", fmt(c.mean_score),
                    *(fmt(bands.get(b)) for b in report.band_order), groups])
    return buf.getvalue()
