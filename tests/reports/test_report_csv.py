"""The report CSV carries what the JSON cells do, the share at moderate or above and its ± included, with the period
and the method on every row, so a row read on its own says what it is and how it was made."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.reports import noise
from app.reports.noise import Budget
from app.reports.service import summary, to_csv, to_summary
from tests.reports.test_attacker import SCALES, Row, _store

TODAY = date(2026, 5, 15)


def test_csv_has_the_share_at_moderate_or_above_with_its_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    """u0: 10 of 40 moderate (a pool of its own from moderate up, so the share is told); u1: 3 answers (suppressed)."""
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    rows = [Row(f"a{i}", "o1", "u0", date(2026, 4, 1 + i % 20), "moderate" if i < 10 else "minimal",
                12 if i < 10 else 2) for i in range(40)]
    rows += [Row(f"b{i}", "o1", "u1", date(2026, 4, 3), "minimal", 1) for i in range(3)]
    db = _store([("u0", "o1", None, 80), ("u1", "o1", None, 40)], rows, "gad7")
    report = summary(db, SCALES["gad7"], 10, "unit", date(2026, 4, 1), date(2026, 4, 30), TODAY,
                     budget=Budget(10.0, 10.0, 0.5))
    json_cells = {c.group: c for c in to_summary(report).cells}
    parsed = list(csv.DictReader(io.StringIO(to_csv(report))))
    by_group = {r["group"]: r for r in parsed}
    u0, u1 = by_group["u0"], by_group["u1"]
    assert u0["share_moderate_plus"] == "0.25" == str(json_cells["u0"].share_moderate_plus)
    assert u0["share_moderate_plus_margin"] == str(json_cells["u0"].share_moderate_plus_margin)
    assert 0 < float(u0["share_moderate_plus_margin"]) < 0.25
    assert u1["suppressed"] == "true" and u1["share_moderate_plus"] == "" == u1["share_moderate_plus_margin"]
    for row in parsed:  # period and method filled on every row, the total's included
        assert (row["from"], row["to"]) == ("2026-04-01", "2026-04-30")
        assert row["method"].startswith("Differential privacy")
    assert parsed[-1]["kind"] == "total"
    db.close()
