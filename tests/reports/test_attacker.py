"""Property test: an attacker holding every report variant (groupings, overlapping periods, CSV) and combining them
learns no group below k. Each published figure is mapped back to the real assessments it counts (ground truth the
test generated itself), then single figures, every pair of nested figures and the whole linear span are checked."""
from __future__ import annotations

import atexit
import csv
import functools
import io
import itertools
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from app.assessments.models import Assessment
from app.config import ROOT
from app.db import upgrade
from app.reports.models import Org, Unit
from app.reports.service import Report, scale_bands, summary, to_csv, to_summary
from app.scales.registry import ScaleRegistry
from tests.conftest import make_settings

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # orgs and units that existed before every month a test reports on

SCALES = ScaleRegistry.from_dir(ROOT / "scales")
TODAY = date(2026, 5, 15)  # closed months: up to April 2026; May is running and must never be counted
DAYS = [date(2026, 2, 3), date(2026, 2, 27), date(2026, 3, 1), date(2026, 3, 20), date(2026, 3, 31),
        date(2026, 4, 10), date(2026, 5, 2)]
PERIODS = [(f, t) for f in (date(2026, 2, 1), date(2026, 2, 15), date(2026, 3, 1), date(2026, 4, 1))
           for t in (date(2026, 2, 28), date(2026, 3, 20), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 10))
           if f <= t]


@dataclass(frozen=True)
class Row:
    id: str
    org: str | None
    unit: str | None
    day: date
    band: str
    score: int


@st.composite
def worlds(draw: st.DrawFn) -> tuple[str, int, list[tuple[str, str, str | None, int | None]], list[Row]]:
    scale_id = draw(st.sampled_from(["gad7", "dass21"]))
    scale = SCALES[scale_id]
    k = draw(st.sampled_from([5, 6]))
    n_units = draw(st.integers(1, 6))
    units: list[tuple[str, str, str | None, int | None]] = []
    for i in range(n_units):
        org = draw(st.sampled_from(["o1", "o2"]))
        same = [u[0] for u in units if u[1] == org]
        parent = draw(st.sampled_from([None, *same]))
        units.append((f"u{i}", org, parent, draw(st.sampled_from([None, 3, 8, 40]))))
    order, _, ranges = scale_bands(scale)
    sets = {b.id: b for bs in scale.bands for b in bs.bands}
    keys = [(u[1], u[0]) for u in units] + [("o1", None), ("o2", "gone"), (None, None)]
    n_rows = draw(st.integers(0, 120))
    rows = []
    for i in range(n_rows):
        org, unit = draw(st.sampled_from(keys))
        band = draw(st.sampled_from(order))
        lo, hi = ranges[order.index(band)] if ranges else (sets[band].min, sets[band].max)
        rows.append(Row(f"a{i}", org, unit, draw(st.sampled_from(DAYS)), band, draw(st.integers(lo, hi))))
    return scale_id, k, units, rows


@functools.cache
def _migrated_template() -> Path:
    """A SQLite file the migrations built (rollup triggers included), once per test process."""
    folder = Path(tempfile.mkdtemp(prefix="xinan-attacker-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "migrated.db"
    upgrade(make_settings(folder, database_url=f"sqlite:///{path}"), url=f"sqlite:///{path}")
    return path


def _store(units: list[tuple[str, str, str | None, int | None]], rows: list[Row], scale_id: str) -> Session:
    """An in-memory copy of the migrated schema, filled with this world."""
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    with sqlite3.connect(_migrated_template()) as src:
        raw = engine.raw_connection()
        src.backup(raw.driver_connection)
    db = Session(engine)
    db.add_all([Org(id="o1", name="Org 1", created_at=LONG_AGO), Org(id="o2", name="Org 2", created_at=LONG_AGO)])
    db.flush()
    for uid, org, parent, headcount in units:
        db.add(Unit(id=uid, org_id=org, parent_id=parent, name=uid.upper(), headcount=headcount,
                    created_at=LONG_AGO))
        db.flush()
    for r in rows:
        db.add(Assessment(id=r.id, scale_id=scale_id, scale_version="1", status="completed", org=r.org, unit=r.unit,
                          completed_on=r.day, score=r.score, band=r.band))
    db.add(Assessment(id="open", scale_id=scale_id, scale_version="1", status="in_progress", org="o1", unit=None))
    db.flush()
    return db


def _descendants(units: list[tuple[str, str, str | None, int | None]], uid: str) -> set[str]:
    out = {uid}
    for child, _, parent, _ in units:
        if parent == uid:
            out |= _descendants(units, child)
    return out


def _rank(vectors: list[list[int]]) -> int:
    rows = [[Fraction(x) for x in v] for v in vectors]
    rank, cols = 0, len(rows[0]) if rows else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][c] != 0:
                f = rows[i][c] / rows[rank][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _published_numbers(report: Report) -> list[set[int]]:
    """What a reader sees in the JSON and in the CSV, per cell: they must be the same numbers."""
    s = to_summary(report)
    parsed = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert len(parsed) == len(s.cells) + 1
    out = []
    for cell, line in zip([*s.cells, s.total], parsed, strict=True):
        shown = {cell.n} if cell.n is not None else set()
        shown |= {g.n for g in cell.band_groups or []} | {v for v in (cell.bands or {}).values() if v is not None}
        from_csv = {int(line["n"])} if line["n"] else set()
        from_csv |= {int(v) for key, v in line.items() if key.startswith("band:") and v}
        from_csv |= {int(part.split("=")[1].split("±")[0]) for part in line["band_groups"].split("; ") if part}
        assert shown == from_csv
        assert (line["suppressed"] == "true") == cell.suppressed
        out.append(shown)
    return out


def breaches(figures: dict[frozenset[str], int], universe: set[str], k: int) -> list[str]:
    """The attacker: every pair of figures (a nested difference) and then the whole linear span of all of them."""
    found = [f"figure of {len(s)}" for s in figures if 0 < len(s) < k]
    sets = list(figures)
    for a, b in itertools.permutations(sets, 2):
        if b < a and 0 < len(a - b) < k:
            found.append(f"difference of two figures isolates {len(a - b)}")
    # Assessments that no published set tells apart form a class; a small class must not lie in the span.
    classes: dict[tuple[bool, ...], set[str]] = defaultdict(set)
    for i in universe:
        sig = tuple(i in s for s in sets)
        if any(sig):
            classes[sig].add(i)
    class_list = list(classes.values())
    matrix = [[1 if next(iter(c)) in s else 0 for c in class_list] for s in sets]
    base = _rank(matrix) if matrix else 0
    for j, c in enumerate(class_list):
        if len(c) < k and _rank([*matrix, [1 if x == j else 0 for x in range(len(class_list))]]) == base:
            found.append(f"{len(c)} assessments derivable from the span")
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_no_combination_of_reports_reveals_a_group_below_k(world: tuple) -> None:
    scale_id, k, units, rows = world
    scale = SCALES[scale_id]
    db = _store(units, rows, scale_id)
    by_key: dict[tuple, set[str]] = defaultdict(set)
    for r in rows:
        by_key[((r.org, r.unit), (r.day.year, r.day.month), r.band)].add(r.id)
    universe = {r.id: r for r in rows}
    figures: dict[frozenset[str], int] = {}
    for group_by, (f, t) in itertools.product(("unit", "org", "month"), PERIODS):
        report = summary(db, scale, k, group_by, f, t, TODAY)
        numbers = _published_numbers(report)
        for (meta, values), shown in zip([*report.cells, (None, report.total)], numbers, strict=True):
            assert {fig.value for fig in values.figures} == shown  # every number on the page has a provenance
            for fig in values.figures:
                ids = {i for (raw, month) in fig.sources for b in fig.bands for i in by_key.get((raw, month, b), ())}
                assert len(ids) == fig.value, "a figure must count exactly the assessments it claims"
                assert fig.value >= k, f"published figure {fig.value} is below k={k}"
                for i in ids:  # the figure stays inside its cell's group and the effective period
                    r = universe[i]
                    assert report.period.start <= r.day <= report.period.end < TODAY.replace(day=1)
                    if meta is not None and meta.kind == "month":
                        assert f"{r.day.year:04d}-{r.day.month:02d}" == meta.group
                    elif meta is not None and group_by == "org":
                        assert r.org == meta.group or (meta.group == "-" and r.org is None)
                    elif meta is not None and meta.kind == "unit":
                        assert r.unit in _descendants(units, meta.group)
                figures[frozenset(ids)] = fig.value
    assert breaches(figures, set(universe), k) == []
    db.close()


@pytest.mark.parametrize("scale_id", ["gad7", "pss10", "phq9"])
def test_band_ranges_are_scores_the_band_really_takes(scale_id: str) -> None:
    """The mean check relies on these ranges: each must lie inside the band's own min..max."""
    scale = SCALES[scale_id]
    order, labels, ranges = scale_bands(scale)
    assert ranges is not None and len(ranges) == len(order) and set(labels) == set(order)
    bands = {b.id: b for bs in scale.bands if bs.score == "total" for b in bs.bands}
    for band, (lo, hi) in zip(order, ranges, strict=True):
        assert bands[band].min <= lo <= hi <= bands[band].max


def test_the_attacker_catches_naive_cell_suppression() -> None:
    """The attacker has teeth: day-level periods with per-cell suppression only leak one day's assessments."""
    k = 5
    rows = [Row(f"a{i}", "o1", "u0", date(2026, 3, 1 + i % 20), "minimal", 1) for i in range(20)]
    rows.append(Row("late", "o1", "u0", date(2026, 3, 31), "severe", 18))
    figures: dict[frozenset[str], int] = {}
    for f, t in [(date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 3, 1), date(2026, 3, 30))]:
        for band in (None, "minimal", "severe"):  # n and per-band counts, each suppressed below k on its own
            ids = frozenset(r.id for r in rows if f <= r.day <= t and band in (None, r.band))
            if len(ids) >= k:
                figures[ids] = len(ids)
    found = breaches(figures, {r.id for r in rows}, k)
    assert found and any("isolates 1" in x for x in found)
