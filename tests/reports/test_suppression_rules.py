"""The pure rules: band pooling from the severe end, and the mean check compared with brute-force enumeration."""
from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reports.suppression import band_cuts, groups_of, mean_reveals_nothing

ORDER = ["minimal", "mild", "moderate", "severe"]
RANGES = [(0, 4), (5, 9), (10, 14), (15, 21)]  # GAD-7


def test_pools_from_the_severe_end_and_never_publish_a_small_or_empty_pool() -> None:
    assert groups_of(ORDER, band_cuts([20, 12, 11, 10], 10)) == [(b,) for b in ORDER]
    assert groups_of(ORDER, band_cuts([20, 12, 6, 3], 10)) == [("minimal",), ("mild", "moderate", "severe")]
    assert groups_of(ORDER, band_cuts([3, 20, 6, 4], 10)) == [("minimal", "mild"), ("moderate", "severe")]
    assert groups_of(ORDER, band_cuts([0, 0, 0, 12], 10)) == [tuple(ORDER)]  # no "0 minimal" next to "12 severe"


@given(st.lists(st.integers(-6, 30), min_size=4, max_size=4), st.integers(5, 12))
def test_every_pool_reaches_k(counts: list[int], k: int) -> None:
    """Negative counts too: noisy counts (differential privacy) can be below zero."""
    if sum(counts) < k:
        return
    for group in groups_of(ORDER, band_cuts(counts, k)):
        assert sum(counts[ORDER.index(b)] for b in group) >= k


def _pinned(counts: list[int], score_sum: int, cuts: frozenset[int]) -> bool:
    """Brute force: enumerate every split of each pool that fits the score sum; a band whose count never varies is
    pinned."""
    groups = [[ORDER.index(b) for b in g] for g in groups_of(ORDER, cuts)]
    options: list[list[tuple[int, ...]]] = []
    for g in groups:
        total = sum(counts[i] for i in g)
        options.append([s for s in itertools.product(range(total + 1), repeat=len(g)) if sum(s) == total])
    seen: dict[int, set[int]] = {i: set() for g in groups if len(g) > 1 for i in g}
    for choice in itertools.product(*options):
        split = [0] * len(ORDER)
        for g, s in zip(groups, choice, strict=True):
            for i, c in zip(g, s, strict=True):
                split[i] = c
        low = sum(c * RANGES[i][0] for i, c in enumerate(split))
        high = sum(c * RANGES[i][1] for i, c in enumerate(split))
        if low <= score_sum <= high:
            for i in seen:
                seen[i].add(split[i])
    return any(len(values) == 1 for values in seen.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=4, max_size=4), st.data())
def test_a_shown_mean_never_pins_a_pooled_band(counts: list[int], data: st.DataObject) -> None:
    k = 5
    if sum(counts) < k:
        return
    scores = [data.draw(st.integers(*RANGES[i])) for i, c in enumerate(counts) for _ in range(c)]
    cuts = band_cuts(counts, k)
    if mean_reveals_nothing(counts, sum(scores), cuts, RANGES):
        assert not _pinned(counts, sum(scores), cuts)


def test_everyone_at_zero_withholds_the_mean() -> None:
    counts = [10, 0, 0, 0]
    assert not mean_reveals_nothing(counts, 0, band_cuts(counts, 10), RANGES)
    assert mean_reveals_nothing(counts, 25, band_cuts(counts, 10), RANGES)
    assert mean_reveals_nothing([12, 5, 5, 5], 30, frozenset({1, 2, 3}), None)  # all singletons: nothing hidden
    assert not mean_reveals_nothing([12, 0, 0, 0], 30, frozenset(), None)  # a pool and no score ranges to check
