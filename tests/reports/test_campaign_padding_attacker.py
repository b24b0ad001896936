"""The padding attacker across campaigns: an insider pads one unit with known answers inside two campaigns (A and B,
both covering the unit in March 2026) and outside any, the 2-5 real employees answer in A (or split over A, B and
no campaign), and the insider reads every report the code offers for the unit: the unit/org/month HR reports over
overlapping periods, each campaign's report, each campaign's participation figures, on days 2, 3, 5, 9 and 17 of the
running month (which reveal every dyadic run holding the real answers' day, 1 March) and after March (and B's April)
closed. It combines every distinct look as if all were independent (averaging the same real answers seen by the
campaign report and by the unit report, on every day and after closing; differencing a campaign report against the
unit report falls out of the same solve): by weighted least squares, by a Bayes rule with Laplace noise per look,
and in the guessing game by the sum of the looks' log-likelihood ratios.

The bound (README "What the reports promise", derived from app/reports/noise.py Budget and app/reports/leaves.py):
each answer sits in exactly one noisy leaf per period (its campaign's leaf of its unit, else the unit's own), and
every report, campaign reports included, sums stored cells of those leaves, so one answer is in at most these
independently-noised cells of its scale and month: the closed month's band count (epsilon 0.5 x 0.8 = 0.4) and
score sum (0.1), and one run per level of the running month, 5 levels, each with a count (0.16) and a sum (0.04).
Moving one answer between two bands changes two counts and the score sum of each of those periods, so epsilons add up:
    closed month only:        2 x 0.4 + 0.1                       = 0.9  -> a fair-coin guess right <= 0.711
    every look (+ running):   0.9 + 5 x (2 x 0.16 + 0.04)        = 2.7  -> right <= 0.937
Participation counts a conversation's events, not its band, so it adds nothing to this game (it spends its own
budget on whether someone took part, README "Campaign participation"). If the campaign report drew noise of its own
for answers the unit report also counts, the closed-month figure would be 1.8 (a fair-coin bound of 0.858) and the
accounting test below fails: each figure must be its true count plus the stored noise of exactly the cells named.
"""
from __future__ import annotations

import functools
import itertools
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, delete, select

from app.assessments.models import Assessment
from app.campaigns import participation
from app.campaigns.models import Campaign, CampaignEvent
from app.campaigns.report import campaign_report
from app.reports.leaves import leaf_key, month_of
from app.reports.models import Org, ReportNoise
from app.reports.noise import SUM, Budget, running_runs, spent
from app.reports.release import month_key
from app.reports.service import scale_bands, summary, to_summary
from tests.reports.test_attacker import SCALES, _store

BUDGET = Budget(0.5, 1.0, 0.2)  # the defaults (test_padding_attacker.py checks them against app/config.py)
PARTICIPATION = Budget(0.5, 0.5, 0.2)  # participation's, with its own running month (checked there too)
K = 10
SCALE = SCALES["gad7"]
ORDER, _, RANGES = scale_bands(SCALE)
TOP = max(abs(v) for v in SCALE.score_range("total"))
A, B = "a" * 32, "b" * 32
CAMPAIGNS = {A: (date(2026, 3, 1), date(2026, 3, 20)), B: (date(2026, 3, 1), date(2026, 4, 10))}
DAY = date(2026, 3, 1)  # every answer's day: reads on these days of March reveal each run holding it, one per level
RUNNING_READS = [date(2026, 3, d) for d in (2, 3, 5, 9, 17)]
CLOSED_READS = [date(2026, 4, 2), date(2026, 5, 2)]
# the HR report's variants read each day: every grouping, and two overlapping periods ending on the read day
VARIANTS = [(date(2026, 3, 1), "unit"), (date(2026, 2, 1), "org"), (date(2026, 2, 1), "month")]
PAD = {A: 10, B: 10, None: 2}  # known answers per band in A, in B and in no campaign: every band pool shows alone
Where = str | None  # a campaign id, or None: no campaign

EXACT = Budget(60.0, 60.0, 0.5)  # noise so small it is zero in practice: the figures as they were before noise
EPS_CLOSED = 2 * BUDGET.epsilon_month * (1 - BUDGET.mean_share) + BUDGET.epsilon_month * BUDGET.mean_share
EPS_ALL = EPS_CLOSED + 2 * BUDGET.epsilon_running * (1 - BUDGET.mean_share) + BUDGET.epsilon_running * BUDGET.mean_share


def _bound(eps: float) -> float:
    return math.exp(eps) / (1 + math.exp(eps))


def _world() -> Session:
    db = _store([("u0", "o1", None, 60), ("u1", "o1", None, 60)], [], "gad7")
    for cid, (opens, closes) in CAMPAIGNS.items():
        db.add(Campaign(id=cid, org_id="o1", name=cid[:1], scales_json=json.dumps(["gad7"]),
                        units_json=json.dumps(["u0", "u1"]), opens_on=opens, closes_on=closes,
                        created_at=datetime(2026, 2, 1, tzinfo=UTC)))
    db.flush()
    return db


def _reset(db: Session) -> None:
    for table in (Assessment, ReportNoise, CampaignEvent):
        db.exec(delete(table))  # type: ignore[call-overload]


def _fill(db: Session, real: list[tuple[str, Where]], rnd: random.Random) -> None:
    """The padding (lowest score of its band) and the real answers, each with its conversation's three events."""
    answers = [(band, where, True) for where, n in PAD.items() for band in ORDER for _ in range(n)]
    answers += [(band, where, False) for band, where in real]
    for i, (band, where, padded) in enumerate(answers):
        lo, hi = RANGES[ORDER.index(band)]  # type: ignore[index]
        db.add(Assessment(id=f"x{i}", scale_id="gad7", scale_version="1", status="completed", org="o1", unit="u0",
                          completed_on=DAY, score=lo if padded else rnd.randint(lo, hi), band=band,
                          campaign_id=where))
        if where is not None:
            for kind in ("opened", "consented", "completed"):
                db.add(CampaignEvent(campaign_id=where, unit="u0", kind=kind, day=DAY))
    db.flush()


@dataclass(frozen=True)
class Look:
    """One published band pool of u0: the read day, the bands it counts per place, its value and its sigma."""

    day: date
    counted: tuple[tuple[Where, tuple[str, ...]], ...]
    value: int
    sigma: float  # from the published ± (95 %): what the attacker knows of the noise

    def less(self, known: dict[Where, dict[str, int]]) -> int:
        """The value less the answers the attacker knows: what is left of the unknown answers, plus noise."""
        return self.value - sum(known[p].get(b, 0) for p, bands in self.counted for b in bands)

    def bands_of(self, place: Where) -> tuple[str, ...]:
        return next((bands for p, bands in self.counted if p == place), ())


def _reads(db: Session, reads: list[date], budget: Budget = BUDGET, shown: Budget | None = None) -> list[Look]:
    """Every band pool of u0 in every report the attacker can open on each read day: the HR report in each grouping
    and over both overlapping periods (u0 holds every answer of its org, so its org, month and total cells count the
    same answers), each campaign's report, and each campaign's completed conversations (all bands together; their
    budget is `shown`: participation's own with the default budget, else `budget`)."""
    looks: list[Look] = []
    everywhere: list[Where] = [A, B, None]

    def add(day: date, places: list[Where], bands: tuple[str, ...], n: int, margin: int) -> None:
        looks.append(Look(day, tuple((p, bands) for p in places), n, max(margin, 1) / 1.96))

    campaigns = {c.id: c for c in db.exec(select(Campaign))}
    for today in reads:
        for start, group_by in VARIANTS:
            s = to_summary(summary(db, SCALE, K, group_by, start, today, today, budget=budget))
            for c in [*s.cells, s.total]:
                if c.band_groups and (c.group in ("u0", "o1", "total") or c.kind == "month"):
                    for g in c.band_groups:
                        add(today, everywhere, tuple(g.bands), g.n, g.margin)
        for cid, c in campaigns.items():
            rep = campaign_report(db, c, SCALE, K, budget, today)
            for cell in rep.units:
                if cell.group == "u0" and cell.band_groups:
                    for g in cell.band_groups:
                        add(today, [cid], tuple(g.bands), g.n, g.margin)
            rel = participation.release(db, c, K, shown or (PARTICIPATION if budget == BUDGET else budget), today)
            for row in rel.rows:
                done = row.figures["completed"]
                if row.unit == "u0" and done is not None:
                    add(today, [cid], tuple(ORDER), done.value, done.margin)
    return sorted(set(looks), key=lambda lk: (lk.day, str(lk.counted), lk.value))  # the same figure again: once


def _distinct(looks: list[Look]) -> list[Look]:
    """The same cells read on another day (a closed month after it closed) are one look, not two."""
    return list({(lk.counted, lk.value, lk.sigma): lk for lk in looks}.values())


def _estimate(looks: list[Look], known: dict[Where, dict[str, int]], places: list[Where]) -> np.ndarray:
    """Weighted least squares for the unknown answers per (place, band), every distinct look taken as independent
    (averaging the campaign report with the unit report, the running runs with the closed month; differencing a
    campaign report against the unit report is the same solve); the real band counts are the sum over places,
    rounded and at least 0."""
    cols = [(p, b) for p in places for b in ORDER]
    looks = _distinct(looks)
    rows = [[1.0 / lk.sigma if b in lk.bands_of(p) else 0.0 for p, b in cols] for lk in looks]
    ys = [lk.less(known) / lk.sigma for lk in looks]
    x, *_ = np.linalg.lstsq(np.array(rows), np.array(ys), rcond=None)
    per_band = x.reshape(len(places), len(ORDER)).sum(axis=0)
    return np.maximum(0, np.rint(per_band)).astype(int)


@functools.cache
def _candidates(cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Every way 2-5 answers can fall in `cells` (place, band) cells, with its prior (each answer's cell uniform,
    the number of answers uniform in 2-5): (counts per cell, log prior)."""
    out, prior = [], []
    for m in range(2, 6):
        for combo in itertools.combinations_with_replacement(range(cells), m):
            counts = np.bincount(combo, minlength=cells)
            out.append(counts)
            prior.append(math.lgamma(m + 1) - sum(math.lgamma(c + 1) for c in counts) - m * math.log(cells))
    return np.array(out), np.array(prior)


def _map_estimate(looks: list[Look], known: dict[Where, dict[str, int]], places: list[Where]) -> np.ndarray:
    """The Bayes attacker: the real band counts most probable given every distinct look (each taken as independent
    with Laplace noise of its ±), over every way 2-5 answers can fall in the places it knows they went."""
    cols = [(p, b) for p in places for b in ORDER]
    looks = _distinct(looks)
    design = np.array([[1.0 if b in lk.bands_of(p) else 0.0 for p, b in cols] for lk in looks])
    ys = np.array([lk.less(known) for lk in looks])
    scales = np.array([lk.sigma / math.sqrt(2) for lk in looks])
    counts, prior = _candidates(len(cols))
    loglik = -(np.abs(ys[None, :] - counts @ design.T) / scales[None, :]).sum(axis=1)
    posterior = np.exp(loglik + prior - (loglik + prior).max())
    per_band = counts.reshape(len(counts), len(places), len(ORDER)).sum(axis=1)
    by_vector: dict[tuple[int, ...], float] = defaultdict(float)
    for vector, weight in zip(map(tuple, per_band), posterior, strict=True):
        by_vector[vector] += weight
    return np.array(max(by_vector, key=by_vector.__getitem__))


def _guess(looks: list[Look], known: dict[Where, dict[str, int]], rnd: random.Random) -> str:
    """The target answered minimal or severe in campaign A: the band whose world explains every look best (the sum
    of the Laplace log-likelihood ratios, each look's scale taken from its ±)."""
    score = 0.0
    for lk in _distinct(looks):
        y, bands = lk.less(known), lk.bands_of(A)
        score += (abs(y - ("minimal" in bands)) - abs(y - ("severe" in bands))) / (lk.sigma / math.sqrt(2))
    return "minimal" if score < 0 else "severe" if score > 0 else rnd.choice(["minimal", "severe"])


@dataclass(frozen=True)
class Trial:
    real: list[tuple[str, Where]]  # the others, then the target (in A)
    places: list[Where]
    looks: list[Look]


def _trial(db: Session, rnd: random.Random, m: int, split: bool, budget: Budget, reads: list[date],
           shown: Budget | None = None) -> Trial:
    """m real answers: m - 1 colleagues (all in A, or each in A, B or no campaign when `split`) and the target in
    A, minimal or severe (a fair coin); padding in A, B and outside; then every read."""
    places: list[Where] = [A, B, None] if split else [A]
    real = [(rnd.choice(ORDER), rnd.choice(places)) for _ in range(m - 1)]
    real.append((rnd.choice(["minimal", "severe"]), A))
    _reset(db)
    _fill(db, real, rnd)
    return Trial(real, places, _reads(db, reads, budget, shown))


def _known(others: list[tuple[str, Where]]) -> dict[Where, dict[str, int]]:
    pad = {w: dict.fromkeys(ORDER, n) for w, n in PAD.items()}
    for band, where in others:
        pad[where][band] += 1
    return pad


TRIALS = 150


@pytest.fixture(scope="module")
def trials() -> list[Trial]:
    """150 trials read once; the exact-recovery attacker and both guessing games use the same figures."""
    db = _world()
    out: list[Trial] = []

    @settings(max_examples=TRIALS, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(2, 5), st.booleans(), st.randoms(use_true_random=True))
    def run(m: int, split: bool, rnd: random.Random) -> None:
        out.append(_trial(db, rnd, m, split, BUDGET, RUNNING_READS + CLOSED_READS))

    run()
    db.close()
    assert len(out) >= TRIALS * 0.9
    return out


def test_padding_across_campaigns_recovers_the_real_bands_in_at_most_5_percent_of_trials(trials: list[Trial]) -> None:
    """The attacker knows only its padding and where the real answers may be; test_padding_attacker.py's margin.
    The Bayes attacker also weighs the prior (2-5 answers, bands uniform), which alone is right about 3 % of the
    time; bench/padding_attacker_bench.py measures it over thousands of trials (4.3 %; 5.4 % if participation's
    running month spent 1, not 0.5, as its counts tell how many real employees the unit holds). Here it only has
    to stay clear of 5 % by four standard errors of 150 trials (a true 4.3 % fails about once in 20,000 runs)."""
    n = len(trials)
    for name, attacker in (("least squares", _estimate), ("Bayes", _map_estimate)):
        exact, errors = 0, 0
        for t in trials:
            guess = attacker(t.looks, _known([]), t.places)
            truth = np.array([sum(1 for b, _ in t.real if b == band) for band in ORDER])
            exact += bool((guess == truth).all())
            errors += int(np.abs(guess - truth).sum())
        print(f"{name}: exact recovery {exact}/{n}, mean L1 error {errors / n:.2f}")
        if attacker is _estimate:
            assert exact / n <= 0.05 + 2 * math.sqrt(0.05 * 0.95 / n), f"exact recovery in {exact} of {n} trials"
            assert errors / n >= 1.5  # the guesses are still off by more than an answer on average
        else:
            assert exact / n <= 0.05 + 4 * math.sqrt(0.05 * 0.95 / n), f"Bayes: exact recovery in {exact} of {n}"


def _win_rate(trials: list[Trial], reads: list[date], rnd: random.Random) -> float:
    wins = 0
    for t in trials:
        looks = [lk for lk in t.looks if lk.day in reads]
        wins += _guess(looks, _known(t.real[:-1]), rnd) == t.real[-1][0]
    return wins / len(trials)


def test_reading_every_report_after_closing_stays_within_the_closed_month_budget(trials: list[Trial]) -> None:
    """Unit, org, month and both campaign reports over overlapping periods, after March closed: all sum the same
    stored cells, so the attacker stays within epsilon 0.9 (it would not if campaign cells had noise of their own)."""
    bound, n = _bound(EPS_CLOSED), len(trials)
    rate = _win_rate(trials, CLOSED_READS, random.Random(1))
    print(f"guessing game after closing: won {rate:.3f}, bound {bound:.3f} (epsilon {EPS_CLOSED:.2f})")
    assert rate <= bound + 4 * math.sqrt(bound * (1 - bound) / n), f"won {rate:.2f} > {bound:.3f}"


def test_reading_every_report_on_every_day_stays_within_the_whole_budget(trials: list[Trial]) -> None:
    bound, n = _bound(EPS_ALL), len(trials)
    rate = _win_rate(trials, RUNNING_READS + CLOSED_READS, random.Random(2))
    print(f"guessing game, every look: won {rate:.3f}, bound {bound:.3f} (epsilon {EPS_ALL:.2f})")
    assert rate <= bound + 4 * math.sqrt(bound * (1 - bound) / n), f"won {rate:.2f} > {bound:.3f}"


def test_without_noise_the_same_attacker_always_wins() -> None:
    """The attacker has teeth: on (practically) exact figures it never misses, after closing or on any day."""
    db = _world()
    rnd = random.Random(7)
    done = [_trial(db, rnd, rnd.randint(2, 5), rnd.random() < 0.5, EXACT, CLOSED_READS) for _ in range(8)]
    db.close()
    assert _win_rate(done, CLOSED_READS, rnd) == 1.0


def _periods(m: tuple[int, int], today: date) -> list[str]:
    """The stored periods a report read on `today` sums for month `m`: its dyadic runs while it runs, else itself."""
    if m == (today.year, today.month):
        return [f"{month_key(m)}:{r[0]}" for r in running_runs(date(*m, 1), today)]
    return [month_key(m)]


def _leaves(m: tuple[int, int], campaign: str | None) -> list[str]:
    """u0's leaves a report sums for month `m`: its own and each covering campaign's, or one campaign's only."""
    covering = [cid for cid, (opens, closes) in CAMPAIGNS.items() if month_of(opens) <= m <= month_of(closes)]
    if campaign is not None:
        return [f"o1|u0|{campaign}"] if campaign in covering else []
    return ["o1|u0", *(f"o1|u0|{cid}" for cid in covering)]


def test_each_answer_is_in_one_noisy_cell_per_period_whatever_report_counts_it() -> None:
    """The accounting behind the bound: every band figure of u0 in the unit report and in each campaign report is
    its true count plus the stored noise of exactly the leaf cells the test places the answers in (a campaign's own
    leaf, else the unit's), so what one answer spends is the epsilons of the cells holding it, summed."""
    db = _world()
    rnd = random.Random(3)
    _fill(db, [(rnd.choice(ORDER), where) for where in (A, A, B, None, A)], rnd)
    answers = db.exec(select(Assessment).where(col(Assessment.status) == "completed")).all()
    scope = select(Org.id).where(col(Org.id) == "o1")
    checked: set[tuple[date, str | None]] = set()
    for today in RUNNING_READS + CLOSED_READS:
        for cid in (None, *CAMPAIGNS):
            first, last = (DAY, today) if cid is None else (CAMPAIGNS[cid][0], min(CAMPAIGNS[cid][1], today))
            report = summary(db, SCALE, K, "unit", first, last, today, scope, BUDGET, campaign=cid)
            stored = {(n.leaf, n.period, n.cell): n.noise for n in db.exec(select(ReportNoise))}
            cell = next(v for meta, v in report.cells if meta.group == "u0")
            for fig in cell.figures:
                true = sum(1 for a in answers if a.band in fig.bands and cid in (None, a.campaign_id))
                months = {m for _, m in fig.sources}
                assert {(leaf_key(leaf), m) for leaf, m in fig.sources} == \
                    {(leaf, m) for m in months for leaf in _leaves(m, cid)}  # the cells named are those expected
                noise = sum(stored[(leaf, p, b)] for m in months for leaf in _leaves(m, cid)
                            for p in _periods(m, today) for b in fig.bands)
                assert fig.true_value == true and fig.value == true + noise, (today, cid, fig.bands)
                checked.add((today, cid))
    # u0 shows in about 17 of the 21 reads (11-21 in 100 runs; noise hides it in the rest): at least a third, and in
    # every report, keeps the check from passing on nothing without failing by chance (>= 14 failed 5 % of runs)
    assert {cid for _, cid in checked} == {None, *CAMPAIGNS} and len(checked) >= 7
    # what the stored cells of March holding an answer spend on it, by OpenDP's privacy map
    count_eps: dict[str, float] = defaultdict(float)
    sum_eps: dict[str, float] = defaultdict(float)
    for n in db.exec(select(ReportNoise).where(col(ReportNoise.period).like("2026-03%"))):
        for a in answers:
            if n.leaf == (f"o1|u0|{a.campaign_id}" if a.campaign_id else "o1|u0"):
                if n.cell == a.band:
                    count_eps[a.id] += spent(n.scale, 1)
                elif n.cell == SUM:
                    sum_eps[a.id] += spent(n.scale, TOP)
    assert len(count_eps) == len(answers)
    for a in answers:  # every run of every level was read, so each answer spends the whole budget, no more
        assert count_eps[a.id] + sum_eps[a.id] == pytest.approx(BUDGET.total, rel=1e-6)
        assert 2 * count_eps[a.id] + sum_eps[a.id] == pytest.approx(EPS_ALL, rel=1e-6)
    db.close()
