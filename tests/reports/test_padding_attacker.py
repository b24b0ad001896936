"""The padding attacker: an insider adds 40 assessments with known answers to a unit of 2-5 real employees, so the
unit passes k, reads every report variant (groupings, periods, JSON and CSV, on many days of the running month and
after it closed) and subtracts their own answers.

Bounds (README "What the reports promise"), with the default budget (epsilon 0.5 per closed month, 0.4 of it on
counts; 1.0 for the running month):
1. Exact recovery of the real employees' band counts happens in at most 5 % of trials (about 2.5 % for this
   attacker, which uses its most precise look, the closed month's unit cell; tested as "not above 5 % beyond two
   standard errors of 150 trials", which a true rate of 2.5 % passes in all but about 1 run in 10,000).
2. The budget's promise, as a guessing game: the attacker knows everything except whether one employee answered
   "minimal" or "severe" (a fair coin). A closed month's release is epsilon-DP with epsilon = 2 x 0.4 (moving one
   answer between two bands changes two counts) + 0.1 (the score sum), so no attacker can guess right more often
   than e^0.9 / (1 + e^0.9) = 0.711. The test's attacker stays under that bound (with a 4-sigma sampling margin);
   without noise the same attacker always wins, which the last test shows.
"""
from __future__ import annotations

import math
import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, delete

from app.assessments.models import Assessment
from app.reports.models import ReportNoise
from app.reports.noise import Budget
from app.reports.service import scale_bands, summary, to_csv, to_summary
from tests.reports.test_attacker import SCALES, _store

BUDGET = Budget(0.5, 1.0, 0.2)  # the defaults of app/config.py (checked below)
K = 10
PAD_PER_BAND = 10  # 40 known answers over GAD-7's 4 bands: every band of the padded unit is shown on its own
SCALE = SCALES["gad7"]
ORDER, _, RANGES = scale_bands(SCALE)
CLOSED_DAYS = [date(2026, 3, 1), date(2026, 3, 14), date(2026, 3, 30)]
RUNNING_DAYS = [date(2026, 5, d) for d in (1, 2, 5, 9)]
# When the attacker reads: during March (running) and after it closed, or during May only
READS_CLOSED = [date(2026, 3, 16), date(2026, 4, 2)]
READS_RUNNING = [date(2026, 5, 8), date(2026, 5, 20)]


def _reset(db: Session) -> None:
    db.exec(delete(Assessment))  # type: ignore[call-overload]
    db.exec(delete(ReportNoise))  # type: ignore[call-overload]


def _pad_and_real(db: Session, real: list[str], days: list[date], rnd: random.Random,
                  pad: dict[str, int] | None = None) -> None:
    i = 0
    for band, count in (pad or dict.fromkeys(ORDER, PAD_PER_BAND)).items():
        for _ in range(count):
            lo, _hi = RANGES[ORDER.index(band)]  # type: ignore[index]
            db.add(Assessment(id=f"pad{i}", scale_id="gad7", scale_version="1", status="completed", org="o1",
                              unit="u0", completed_on=rnd.choice(days), score=lo, band=band))
            i += 1
    for j, band in enumerate(real):
        lo, hi = RANGES[ORDER.index(band)]  # type: ignore[index]
        db.add(Assessment(id=f"real{j}", scale_id="gad7", scale_version="1", status="completed", org="o1",
                          unit="u0", completed_on=rnd.choice(days), score=rnd.randint(lo, hi), band=band))
    db.flush()


Look = tuple[int, list[tuple[tuple[str, ...], int]]]  # (the look's ± on n, its band pools and counts)


def _observations(db: Session, reads: list[date]) -> list[Look]:
    """Every band pool of the padded unit's cell in every report variant, on every day the attacker reads (the unit
    is alone in its org, so its org, month and total cells are the same figures again); CSV and JSON alike."""
    seen: list[Look] = []
    for today in reads:
        for group_by in ("unit", "org", "month"):
            report = summary(db, SCALE, K, group_by, date(2026, 3, 1), today, today, budget=BUDGET)
            s = to_summary(report)
            assert to_csv(report).count("\n") == len(s.cells) + 2 and s.privacy is not None
            for c in [*s.cells, s.total]:
                if c.band_groups and c.n_margin is not None and (c.group in ("u0", "o1", "total") or
                                                                 group_by == "month"):
                    seen.append((c.n_margin, [(tuple(g.bands), g.n) for g in c.band_groups]))
    return seen


def _estimate(seen: list[Look], pad: dict[str, int]) -> dict[str, int] | None:
    """The attacker's guess from its most precise look (smallest ±): each pool minus its padding, at least 0, put
    on the pool's mildest band."""
    if not seen:
        return None
    _, pools = min(seen, key=lambda look: look[0])
    guess = dict.fromkeys(ORDER, 0)
    for bands, n in pools:
        guess[bands[0]] = max(0, n - sum(pad[b] for b in bands))
    return guess


TRIALS = 150


def test_the_defaults_are_the_budget_tested_here(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.campaigns.router import participation_budget_of
    from app.reports.service import budget_of
    from tests.conftest import make_settings
    from tests.reports.test_campaign_padding_attacker import PARTICIPATION

    assert budget_of(make_settings(tmp_path)) == BUDGET
    assert participation_budget_of(make_settings(tmp_path)) == PARTICIPATION


def test_padding_recovers_the_real_bands_in_at_most_5_percent_of_trials() -> None:
    db = _store([("u0", "o1", None, 60)], [], "gad7")
    outcomes: list[bool] = []
    errors: list[int] = []

    @settings(max_examples=TRIALS, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(2, 5), st.integers(0, 4), st.randoms(use_true_random=True))
    def trial(m: int, when: int, rnd: random.Random) -> None:
        closed = when > 0  # a closed month four times in five: its figures are the precise ones
        real = [rnd.choice(ORDER) for _ in range(m)]  # the real employees' bands, uniform
        _reset(db)
        _pad_and_real(db, real, CLOSED_DAYS if closed else RUNNING_DAYS, rnd)
        guess = _estimate(_observations(db, READS_CLOSED if closed else READS_RUNNING),
                          dict.fromkeys(ORDER, PAD_PER_BAND))
        truth = {b: real.count(b) for b in ORDER}
        outcomes.append(guess == truth)
        if guess is not None:
            errors.append(sum(abs(guess[b] - truth[b]) for b in ORDER))

    trial()
    db.close()
    assert len(outcomes) >= TRIALS * 0.9
    print(f"exact recovery {sum(outcomes)}/{len(outcomes)}, mean L1 error {sum(errors) / len(errors):.1f}")
    rate, n = sum(outcomes) / len(outcomes), len(outcomes)
    assert rate <= 0.05 + 2 * math.sqrt(0.05 * 0.95 / n), f"exact recovery in {sum(outcomes)} of {n} trials"
    assert sum(errors) / len(errors) >= 2  # the guesses are off by several answers on average


def _guessing_game(trials: int, budget: Budget | None, rnd: random.Random) -> float:
    """The target's band is minimal or severe (a fair coin); the attacker knows every other answer, pads 20 minimal
    and 20 severe answers so both bands stand in pools of their own, reads the unit cell of the closed month and
    decides by which of the two pools moved up more (a coin when both bands share one pool)."""
    pad = {"minimal": 20, "severe": 20}
    db = _store([("u0", "o1", None, 60)], [], "gad7")
    wins = 0
    for _ in range(trials):
        _reset(db)
        others = [rnd.choice(ORDER) for _ in range(rnd.randint(1, 4))]
        target = rnd.choice(["minimal", "severe"])
        _pad_and_real(db, [*others, target], CLOSED_DAYS, rnd, pad)
        report = summary(db, SCALE, K, "unit", date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 2),
                         budget=budget)
        cell = next(c for c in to_summary(report).cells if c.group == "u0")
        moved = {g.bands[0] if "minimal" in g.bands else g.bands[-1]:
                 g.n - sum(pad.get(b, 0) + others.count(b) for b in g.bands) for g in cell.band_groups or []}
        shared = any("minimal" in g.bands and "severe" in g.bands for g in cell.band_groups or [])
        lead = 0 if shared else moved.get("severe", 0) - moved.get("minimal", 0)
        guess = "severe" if lead > 0 else "minimal" if lead < 0 else rnd.choice(["minimal", "severe"])
        wins += guess == target
    db.close()
    return wins / trials


def test_no_attacker_beats_the_budget_in_the_guessing_game() -> None:
    eps = 2 * BUDGET.epsilon_month * (1 - BUDGET.mean_share) + BUDGET.epsilon_month * BUDGET.mean_share
    bound = math.exp(eps) / (1 + math.exp(eps))
    trials = 150
    rate = _guessing_game(trials, BUDGET, random.Random())
    print(f"guessing game: won {rate:.2f}, bound {bound:.3f}")
    assert rate <= bound + 4 * math.sqrt(bound * (1 - bound) / trials), f"won {rate:.2f} > bound {bound:.3f}"


def test_without_noise_the_same_attacker_always_wins() -> None:
    """The attacker has teeth: on exact figures (the reports before differential privacy) it never misses."""
    assert _guessing_game(20, None, random.Random(7)) == 1.0
