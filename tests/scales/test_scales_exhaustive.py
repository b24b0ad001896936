"""Every possible PHQ-9 and GAD-7 answer vector, scored by the engine and by a plain sum written from the papers.

The expected bands and risk levels below are typed in from Kroenke 2001 and Spitzer 2006, not read from the YAML,
so a wrong cut-off in a scale file or a bug in the engine both show up as a mismatch.
"""
from __future__ import annotations

from itertools import product

from app.scales.registry import ScaleRegistry
from app.scales.scoring import score

# (min, max, band id) from Kroenke, Spitzer & Williams 2001.
PHQ9_BANDS = [
    (0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately_severe"), (20, 27, "severe"),
]
# (min, max, band id) from Spitzer et al. 2006.
GAD7_BANDS = [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")]


def band_of(table: list[tuple[int, int, str]], total: int) -> str:
    return next(name for lo, hi, name in table if lo <= total <= hi)


def phq9_risk(values: tuple[int, ...]) -> str:
    total = sum(values)
    if values[8] >= 1:  # item 9: thoughts of being better off dead or of self-harm
        return "urgent"
    if total >= 20:
        return "high"
    return "routine" if total >= 10 else "none"


def gad7_risk(values: tuple[int, ...]) -> str:
    total = sum(values)
    if total >= 15:
        return "high"
    return "routine" if total >= 10 else "none"


def test_every_phq9_answer_vector(registry: ScaleRegistry) -> None:
    scale = registry["phq9"]
    mismatches = []
    count = 0
    for values in product(range(4), repeat=9):
        result = score(scale, dict(zip(range(1, 10), values, strict=True)))
        total = sum(values)
        expected = (total, band_of(PHQ9_BANDS, total), phq9_risk(values))
        got = (result.total, result.band.id, result.risk)
        count += 1
        if got != expected:
            mismatches.append((values, got, expected))
    assert count == 4**9
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:3]}"


def test_every_gad7_answer_vector(registry: ScaleRegistry) -> None:
    scale = registry["gad7"]
    mismatches = []
    count = 0
    for values in product(range(4), repeat=7):
        result = score(scale, dict(zip(range(1, 8), values, strict=True)))
        total = sum(values)
        expected = (total, band_of(GAD7_BANDS, total), gad7_risk(values))
        got = (result.total, result.band.id, result.risk)
        count += 1
        if got != expected:
            mismatches.append((values, got, expected))
    assert count == 4**7
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:3]}"
