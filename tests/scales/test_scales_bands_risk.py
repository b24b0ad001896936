"""Band edges, PSS-10 reverse items, DASS-21 subscales and risk rules, against cut-offs typed in from the papers."""
from __future__ import annotations

import pytest

from app.scales.definitions import ScaleDefinition
from app.scales.registry import ScaleRegistry
from app.scales.scoring import band_for, score

# Published cut-offs as (min, max, band id), written here independently of the YAML files.
TOTAL_BANDS = {
    "phq9": [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately_severe"),
             (20, 27, "severe")],
    "gad7": [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")],
    "pss10": [(0, 13, "low"), (14, 26, "moderate"), (27, 40, "high")],
}
# Lovibond & Lovibond 1995, DASS-42 scale scores (DASS-21 sums doubled).
DASS_BANDS = {
    "depression": [(0, 9, "normal"), (10, 13, "mild"), (14, 20, "moderate"), (21, 27, "severe"),
                   (28, 42, "extremely_severe")],
    "anxiety": [(0, 7, "normal"), (8, 9, "mild"), (10, 14, "moderate"), (15, 19, "severe"),
                (20, 42, "extremely_severe")],
    "stress": [(0, 14, "normal"), (15, 18, "mild"), (19, 25, "moderate"), (26, 33, "severe"),
               (34, 42, "extremely_severe")],
}
DASS_ITEMS = {
    "depression": [3, 5, 10, 13, 16, 17, 21],
    "anxiety": [2, 4, 7, 9, 15, 19, 20],
    "stress": [1, 6, 8, 11, 12, 14, 18],
}
PSS_REVERSED = {4, 5, 7, 8}


def answers_for_total(
    n_items: int, top: int, total: int, reversed_items: frozenset[int] = frozenset()
) -> dict[int, int]:
    """Answers whose scored sum is `total`: fill items with `top` in order, un-reversing the reversed ones."""
    scored = {}
    left = total
    for number in range(1, n_items + 1):
        scored[number] = min(top, left)
        left -= scored[number]
    assert left == 0, f"{total} is out of reach"
    return {n: top - v if n in reversed_items else v for n, v in scored.items()}


def dass_answers(raw_by_subscale: dict[str, int], avoid: frozenset[int] = frozenset()) -> dict[int, int]:
    """DASS-21 answers whose raw (undoubled) subscale sums are as given, filling the listed items first."""
    answers = {n: 0 for n in range(1, 22)}
    for sub, raw in raw_by_subscale.items():
        items = [n for n in DASS_ITEMS[sub] if n not in avoid] + [n for n in DASS_ITEMS[sub] if n in avoid]
        for n in items:
            answers[n] = min(3, raw)
            raw -= answers[n]
        assert raw == 0
    return answers


@pytest.mark.parametrize("scale_id", sorted(TOTAL_BANDS))
def test_total_band_edges(registry: ScaleRegistry, scale_id: str) -> None:
    scale = registry[scale_id]
    reversed_items = frozenset(i.number for i in scale.items if i.reverse)
    for lo, hi, name in TOTAL_BANDS[scale_id]:
        for edge in (lo, hi):
            answers = answers_for_total(len(scale.items), scale.max_value, edge, reversed_items)
            result = score(scale, answers)
            assert (result.total, result.band.id) == (edge, name), f"{scale_id} total {edge}"


@pytest.mark.parametrize("subscale", sorted(DASS_BANDS))
def test_dass21_band_table_at_every_edge(registry: ScaleRegistry, subscale: str) -> None:
    scale = registry["dass21"]
    for lo, hi, name in DASS_BANDS[subscale]:
        assert band_for(scale, subscale, lo).id == name
        assert band_for(scale, subscale, hi).id == name


@pytest.mark.parametrize("subscale", sorted(DASS_BANDS))
def test_dass21_reachable_band_edges_end_to_end(registry: ScaleRegistry, subscale: str) -> None:
    """Doubled scores are even, so each band is checked at its lowest and highest even score."""
    scale = registry["dass21"]
    for lo, hi, name in DASS_BANDS[subscale]:
        for edge in {lo + lo % 2, hi - hi % 2}:
            result = score(scale, dass_answers({subscale: edge // 2}))
            assert result.subscales[subscale] == edge
            assert result.bands[subscale].id == name, f"{subscale} {edge}"


def test_dass21_subscales_are_the_published_items(registry: ScaleRegistry) -> None:
    scale = registry["dass21"]
    for sub, numbers in DASS_ITEMS.items():
        assert [i.number for i in scale.items_of(sub)] == numbers
        assert scale.multiplier_of(sub) == 2
    assert scale.multiplier_of("total") == 2
    assert scale.score_range("total") == (0, 126)


def test_dass21_hand_worked_example(registry: ScaleRegistry) -> None:
    scale = registry["dass21"]
    answers = {n: 0 for n in range(1, 22)}
    answers.update({3: 3, 5: 3, 10: 3})  # depression raw 9 -> 18, moderate
    answers.update({2: 2})  # anxiety raw 2 -> 4, normal
    answers.update({1: 3, 6: 3, 8: 3, 11: 3})  # stress raw 12 -> 24, moderate
    result = score(scale, answers)
    assert result.subscales == {"depression": 18, "anxiety": 4, "stress": 24}
    assert result.total == (9 + 2 + 12) * 2
    assert {k: b.id for k, b in result.bands.items()} == {"depression": "moderate", "anxiety": "normal",
                                                        "stress": "moderate"}
    assert result.band.id == "moderate"
    assert {r.id for r in result.fired} == {"dass21_depression_moderate", "dass21_stress_moderate"}
    assert result.risk == "routine"


def test_dass21_primary_band_is_the_most_severe_subscale(registry: ScaleRegistry) -> None:
    scale = registry["dass21"]
    result = score(scale, dass_answers({"anxiety": 21, "stress": 3}))
    assert result.bands["depression"].id == "normal"
    assert result.bands["stress"].id == "normal"
    assert result.band.id == "extremely_severe"
    assert result.band == result.bands["anxiety"]
    assert result.risk == "high"


def test_dass21_all_ones(registry: ScaleRegistry) -> None:
    result = score(registry["dass21"], {n: 1 for n in range(1, 22)})
    assert result.subscales == {"depression": 14, "anxiety": 14, "stress": 14}
    assert result.total == 42
    assert {k: b.id for k, b in result.bands.items()} == {"depression": "moderate", "anxiety": "moderate",
                                                        "stress": "normal"}


def test_pss10_reverse_items_hand_worked(registry: ScaleRegistry) -> None:
    scale = registry["pss10"]
    assert {i.number for i in scale.items if i.reverse} == PSS_REVERSED

    def total(values: list[int]) -> int:
        return score(scale, dict(zip(range(1, 11), values, strict=True))).total

    assert total([0] * 10) == 16  # four reversed items score 4 each
    assert total([4] * 10) == 24  # six plain items score 4 each
    assert total([2] * 10) == 20
    assert total([0, 0, 0, 4, 4, 0, 4, 4, 0, 0]) == 0
    assert total([4, 4, 4, 0, 0, 4, 0, 0, 4, 4]) == 40
    # plain 3+2+3+3+2+3 = 16; reversed items 4:1→3, 5:1→3, 7:0→4, 8:1→3 = 13
    result = score(scale, dict(zip(range(1, 11), [3, 2, 3, 1, 1, 3, 0, 1, 2, 3], strict=True)))
    assert (result.total, result.band.id, result.risk) == (29, "high", "routine")


def test_phq9_item9_alone_is_urgent(registry: ScaleRegistry) -> None:
    answers = {n: 0 for n in range(1, 10)} | {9: 1}
    result = score(registry["phq9"], answers)
    assert result.risk == "urgent"
    assert [r.id for r in result.fired] == ["phq9_item9"]
    assert result.fired[0].reason.en.startswith("PHQ-9 item 9 ≥ 1 (thoughts of being better off dead")
    assert (result.total, result.band.id) == (1, "minimal")


@pytest.mark.parametrize(
    ("scale_id", "total", "risk"),
    [
        ("phq9", 9, "none"), ("phq9", 10, "routine"), ("phq9", 19, "routine"), ("phq9", 20, "high"),
        ("gad7", 9, "none"), ("gad7", 10, "routine"), ("gad7", 14, "routine"), ("gad7", 15, "high"),
        ("pss10", 26, "none"), ("pss10", 27, "routine"), ("pss10", 40, "routine"),
    ],
)
def test_total_risk_thresholds(registry: ScaleRegistry, scale_id: str, total: int, risk: str) -> None:
    scale: ScaleDefinition = registry[scale_id]
    reversed_items = frozenset(i.number for i in scale.items if i.reverse)
    if scale_id == "phq9":  # keep item 9 at 0 so only the total rules can fire
        answers = answers_for_total(8, 3, total) | {9: 0}
    else:
        answers = answers_for_total(len(scale.items), scale.max_value, total, reversed_items)
    assert score(scale, answers).risk == risk


@pytest.mark.parametrize(
    ("subscale", "raw", "risk"),
    [
        ("depression", 6, "none"), ("depression", 7, "routine"), ("depression", 10, "routine"),
        ("depression", 11, "high"),
        ("anxiety", 4, "none"), ("anxiety", 5, "routine"), ("anxiety", 7, "routine"), ("anxiety", 8, "high"),
        ("stress", 9, "none"), ("stress", 10, "routine"), ("stress", 12, "routine"), ("stress", 13, "high"),
    ],
)
def test_dass21_subscale_risk_thresholds(registry: ScaleRegistry, subscale: str, raw: int, risk: str) -> None:
    # doubled: depression 12/14/20/22, anxiety 8/10/14/16, stress 18/20/24/26; item 21 filled last
    result = score(registry["dass21"], dass_answers({subscale: raw}, avoid=frozenset({21})))
    assert result.risk == risk


def test_dass21_item21_alone_asks_for_follow_up(registry: ScaleRegistry) -> None:
    answers = {n: 0 for n in range(1, 22)} | {21: 1}
    result = score(registry["dass21"], answers)
    assert [r.id for r in result.fired] == ["dass21_item21"]
    assert result.risk == "routine"
    assert result.band.id == "normal"
