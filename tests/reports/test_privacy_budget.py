"""The differential privacy layer: the noise is OpenDP's and calibrated to the budget, drawn once and reused, and
every figure of every report is a sum of the same stored noisy leaf cells, so combining reports (the differencing
attacker of test_attacker.py, now with noise) learns nothing beyond that one noisy release."""
from __future__ import annotations

import itertools
import math
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from sqlmodel import select

from app.reports import noise
from app.reports.models import ReportNoise
from app.reports.noise import LEVELS, Budget, margin, running_runs, spent
from app.reports.service import summary, to_csv, to_summary
from tests.reports.test_attacker import SCALES, Row, _published_numbers, _store, worlds

TODAY = date(2026, 5, 15)  # April closed; May running, counted through May 14
BUDGET = Budget(1.0, 1.0, 0.2)
PERIODS = [(date(2026, 2, 1), date(2026, 4, 30)), (date(2026, 3, 1), date(2026, 5, 15)), (None, None),
           (date(2026, 4, 1), date(2026, 5, 10))]


def test_the_noise_scales_spend_exactly_the_budget() -> None:
    """OpenDP's privacy map of each calibrated mechanism gives back the share of epsilon it was calibrated for."""
    b = Budget(1.0, 2.0, 0.25)
    assert spent(b.count_scale(False), 1) == pytest.approx(0.75, rel=1e-6)
    assert spent(b.sum_scale(False, 21), 21) == pytest.approx(0.25, rel=1e-6)
    assert spent(b.count_scale(True), 1) * LEVELS == pytest.approx(1.5, rel=1e-6)
    assert spent(b.sum_scale(True, 126), 126) * LEVELS == pytest.approx(0.5, rel=1e-6)


def test_margins_cover_95_percent_of_real_draws() -> None:
    """The margin of a sum of draws, checked against OpenDP's own samples (and its accuracy for a single draw). With
    8,000 samples both bounds sit at least 6 standard errors from the true shares (0.960-0.975 inside the margin,
    0.87-0.944 inside it less 2), so the unseeded draws cannot fail the test by chance."""
    import opendp.prelude as dp

    scale = 1.25
    assert margin({scale: 1}) == math.floor(dp.discrete_laplacian_scale_to_accuracy(scale, 0.05))
    for count in (1, 4, 60):
        h = margin({scale: count})
        sums = [sum(noise.draw(scale, count)) for _ in range(8000)]
        inside = sum(abs(x) <= h for x in sums) / len(sums)
        assert inside >= 0.93 and (h == 0 or sum(abs(x) <= h - 2 for x in sums) / len(sums) < 0.96)
    assert margin({}) == 0 and margin({1.25: 9, 6.25: 3}) > margin({6.25: 3}) > margin({6.25: 1})


def test_running_runs_cover_each_whole_day_once_and_each_day_at_most_once_per_level() -> None:
    start = date(2026, 5, 1)
    seen: dict[int, set[str]] = defaultdict(set)
    for day in range(1, 32):
        runs = running_runs(start, date(2026, 5, day))
        covered = [d for _, first, length in runs for d in range(first, first + length)]
        assert covered == list(range(1, day))  # whole days up to yesterday, each once
        for key, first, length in runs:
            for d in range(first, first + length):
                seen[d].add(key)
    assert max(len(keys) for keys in seen.values()) <= LEVELS  # so all daily releases spend epsilon_running


def _leaf(row: Row, units: list[tuple[str, str, str | None, int | None]]) -> tuple[str, str | None]:
    unit_org = {u[0]: u[1] for u in units}
    if row.unit is not None and unit_org.get(row.unit) == row.org:
        return row.org, row.unit  # type: ignore[return-value]
    return (row.org, None) if row.org in ("o1", "o2") else ("-", None)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_every_figure_is_a_sum_of_the_same_stored_noisy_cells(world: tuple) -> None:
    """All groupings, overlapping periods, JSON and CSV: each published number equals the true count plus the stored
    noise of exactly the leaf cells its provenance names, so all reports together are one noisy histogram."""
    scale_id, k, units, rows = world
    scale = SCALES[scale_id]
    db = _store(units, rows, scale_id)
    true: dict[tuple, int] = defaultdict(int)
    for r in rows:
        if r.day < TODAY:
            true[(_leaf(r, units), r.day.year, r.day.month, r.day.day, r.band)] += 1
    first_values: dict[tuple, int] = {}
    for group_by, (f, t) in itertools.product(("unit", "org", "month"), PERIODS):
        report = summary(db, scale, k, group_by, f, t, TODAY, budget=BUDGET)
        _published_numbers(report)  # JSON and CSV show the same numbers
        stored = {(n.leaf, n.period, n.cell): n.noise for n in db.exec(select(ReportNoise))}
        for _, values in [*report.cells, (None, report.total)]:
            for fig in values.figures:
                assert fig.value >= k
                expected = 0
                for (org, unit), (y, m) in fig.sources:
                    leaf = f"{org}|{unit or ''}"
                    periods = [f"{y:04d}-{m:02d}"] if (y, m) != (2026, 5) else \
                        [f"2026-05:{key}" for key, _, _ in running_runs(date(2026, 5, 1), TODAY)]
                    for period, band in itertools.product(periods, fig.bands):
                        expected += stored[(leaf, period, band)]
                    expected += sum(c for (lf, yy, mm, _, b), c in true.items()
                                    if lf == (org, unit) and (yy, mm) == (y, m) and b in fig.bands)
                assert fig.value == expected
                key = (fig.sources, fig.bands)
                assert first_values.setdefault(key, fig.value) == fig.value  # the same cells, the same number
    db.close()


def test_the_same_query_gives_the_same_noisy_figures_and_csv() -> None:
    rows = [Row(f"a{i}", "o1", "u0", date(2026, 4, 1 + i % 20), ["minimal", "mild"][i % 2], i % 9)
            for i in range(30)]
    db = _store([("u0", "o1", None, 40)], rows, "gad7")
    args = (SCALES["gad7"], 10, "unit", date(2026, 1, 1), date(2026, 5, 15), TODAY)
    first = summary(db, *args, budget=BUDGET)
    again = summary(db, *args, budget=BUDGET)
    assert to_summary(first) == to_summary(again) and to_csv(first) == to_csv(again)
    u0 = next(v for meta, v in first.cells if meta.group == "u0")
    assert u0.figures[0].true_value == 30 and u0.n is not None
    assert db.exec(select(ReportNoise)).all()  # drawn once, kept
    db.close()


def test_suppression_still_applies_on_noisy_counts() -> None:
    """Two real answers in a small unit of a small org: the unit merges up and the org pool stays suppressed."""
    rows = [Row("a0", "o1", "u0", date(2026, 4, 3), "severe", 18), Row("a1", "o1", "u0", date(2026, 4, 9),
                                                                       "severe", 20)]
    db = _store([("u0", "o1", None, 40)], rows, "gad7")
    report = summary(db, SCALES["gad7"], 10, "unit", date(2026, 4, 1), date(2026, 4, 30), TODAY,
                     budget=Budget(10.0, 1.0, 0.2))  # barely any noise: only k decides
    cells = {meta.group: v for meta, v in report.cells}
    assert cells["u0"].suppressed and cells["org:o1"].suppressed and report.total.suppressed
    s = to_summary(report)
    assert all(c.n is None and c.n_margin is None and c.bands is None for c in s.cells if c.suppressed)
    db.close()


def test_mean_left_out_when_too_uncertain() -> None:
    rows = [Row(f"a{i}", "o1", "u0", date(2026, 4, 2), "minimal", 2) for i in range(40)]
    db = _store([("u0", "o1", None, 40)], rows, "gad7")
    args = (SCALES["gad7"], 10, "unit", date(2026, 4, 1), date(2026, 4, 30), TODAY)
    small = {c.group: c for c in to_summary(summary(db, *args, budget=BUDGET)).cells}["u0"]
    assert small.n is not None and small.mean_score is None and small.mean_margin is None
    db.exec(ReportNoise.__table__.delete())  # type: ignore[attr-defined,call-overload]
    generous = {c.group: c for c in to_summary(summary(db, *args, budget=Budget(10.0, 1.0, 0.5))).cells}["u0"]
    assert generous.mean_score is not None and 0 < generous.mean_margin <= 21 / 4
    db.close()


def test_registering_a_unit_moves_no_answer_between_leaves() -> None:
    """Answers that carried a unit id before the unit was registered stay in the org's own leaf (and its stored
    noise), so the org's figure before and after registration differs by noise only, never by their true count."""
    from datetime import UTC, datetime

    from app.reports.models import Unit
    from app.reports.release import true_counts
    from app.reports.service import load_tree

    rows = [Row(f"a{i}", "o1", "late", date(2026, 5, 2 + i % 9), "minimal", 1) for i in range(15)]
    db = _store([], rows, "gad7")
    db.add(Unit(id="late", org_id="o1", name="Late", created_at=datetime(2026, 5, 15, 8, tzinfo=UTC)))
    db.flush()
    tree = load_tree(db)
    counts = true_counts(db, "gad7", [(2026, 4)], (2026, 5), TODAY, tree.leaf_of, None,
                         {u.id: tree.since[f"unit:{u.id}"] for u in tree.units})
    leaves = {leaf for leaf, _ in counts.bands}
    assert leaves == {("o1", None)} and sum(sum(c.values()) for c in counts.bands.values()) == 15
    db.close()
