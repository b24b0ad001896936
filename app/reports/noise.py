"""Differential privacy for HR reports: OpenDP's discrete Laplace mechanism on every released count and score sum.

What is released is a noisy histogram per (scale, leaf, period): a leaf is a registered unit, an org's own pool
(assessments without a registered unit) or the pool of unknown orgs; a period is a closed month, or one dyadic run of
days of the running month (prefix sums over days, the binary mechanism of continual counting). Each assessment falls
in one cell of each release, so the histogram costs its epsilon once (parallel composition), and every report,
whatever its grouping, period or format, is computed from the noisy cells only (post-processing): reading more
reports spends nothing more. OpenDP cannot replay noise from a seed, so each cell's noise is drawn the first time a
report needs it and stored (ReportNoise); see README "What the reports promise".
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import opendp.prelude as dp
from scipy.signal import fftconvolve
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.reports.models import ReportNoise

dp.enable_features("contrib")

SUM = "__sum__"  # the cell holding a leaf's score sum
CONFIDENCE = 0.95
LEVELS = 5  # dyadic levels of the running month: runs of 16, 8, 4, 2, 1 days cover any prefix up to 31 days
NoiseKey = tuple[str, str, str]  # (leaf, period, cell)
Draws = dict[float, int]  # noise scale -> how many independent draws of it a figure sums


@dataclass(frozen=True)
class Budget:
    """Epsilon per assessment per (scale, month): the closed release, and all running-month releases together."""

    epsilon_month: float
    epsilon_running: float
    mean_share: float

    def count_scale(self, running: bool) -> float:
        """The discrete Laplace scale of one band count (one assessment changes it by at most 1)."""
        return calibrated_scale(round(self._eps(running) * (1 - self.mean_share), 12), 1)

    def sum_scale(self, running: bool, top_score: int) -> float:
        """The scale of one score sum (one assessment changes it by at most the scale's top score)."""
        return calibrated_scale(round(self._eps(running) * self.mean_share, 12), max(1, top_score))

    def _eps(self, running: bool) -> float:
        return self.epsilon_running / LEVELS if running else self.epsilon_month

    @property
    def total(self) -> float:
        return self.epsilon_month + self.epsilon_running


@lru_cache(maxsize=64)
def _mechanism(scale: float) -> dp.Measurement:
    return dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)


@lru_cache(maxsize=64)
def calibrated_scale(epsilon: float, sensitivity: int) -> float:
    """OpenDP's own calibration: the smallest scale whose privacy map gives at most `epsilon` for `sensitivity`."""
    return float(dp.binary_search_param(_mechanism, d_in=sensitivity, d_out=epsilon))


def draw(scale: float, n: int) -> list[int]:
    """`n` independent discrete Laplace draws: OpenDP's mechanism applied to zeros returns its noise alone."""
    return [int(v) for v in _mechanism(scale)([0] * n)]


def spent(scale: float, sensitivity: int) -> float:
    """Epsilon one release at `scale` spends, by OpenDP's privacy map (for tests and the README's figures)."""
    return float(_mechanism(scale).map(sensitivity))


def running_runs(month_start: date, today: date) -> list[tuple[str, int, int]]:
    """The dyadic runs (key suffix, first day, length) whose union is days 1..today-1 of the running month.

    Only whole days are released (a report never sees anything finer): today's results join tomorrow. Each day
    lies in one run per level, so all running releases together spend epsilon_running."""
    days = (today - month_start).days  # complete days so far
    out, start = [], 1
    for level in range(LEVELS - 1, -1, -1):
        length = 1 << level
        if days & length:
            out.append((f"{start}+{length}", start, length))
            start += length
    return out


class NoiseStore:
    """Noise per cell of one scale, drawn by OpenDP on first need and stored; concurrent first draws keep one."""

    def __init__(self, db: Session, scale_id: str) -> None:
        self.db, self.scale_id = db, scale_id

    def _read(self, periods: Iterable[str]) -> dict[NoiseKey, tuple[int, float]]:
        stmt = select(ReportNoise.leaf, ReportNoise.period, ReportNoise.cell, ReportNoise.noise, ReportNoise.scale)
        stmt = stmt.where(ReportNoise.scale_id == self.scale_id, col(ReportNoise.period).in_(sorted(set(periods))))
        rows = self.db.connection().execute(stmt).all()  # Core rows at once: a long period reads tens of thousands
        return {(leaf, period, cell): (noise, scale) for leaf, period, cell, noise, scale in rows}

    def get(self, wanted: Mapping[NoiseKey, float]) -> dict[NoiseKey, tuple[int, float]]:
        """(noise, scale) for every wanted key (key -> the scale to draw with if it is new)."""
        if not wanted:
            return {}
        have = self._read(p for _, p, _ in wanted)
        missing = [k for k in wanted if k not in have]
        if not missing:
            return have
        by_scale: dict[float, list[NoiseKey]] = {}
        for key in missing:
            by_scale.setdefault(wanted[key], []).append(key)
        rows = []
        for scale, keys in by_scale.items():
            # stored, then added to the true count: the same distribution as the mechanism releasing the count
            for key, value in zip(keys, draw(scale, len(keys)), strict=True):
                rows.append({"scale_id": self.scale_id, "leaf": key[0], "period": key[1], "cell": key[2],
                             "noise": int(value), "scale": scale})
        insert = pg_insert if self.db.get_bind().dialect.name == "postgresql" else sqlite_insert
        for i in range(0, len(rows), 1000):
            stmt = insert(ReportNoise).values(rows[i:i + 1000])
            self.db.exec(stmt.on_conflict_do_nothing())  # type: ignore[call-overload]
        self.db.flush()
        return self._read(p for _, p, _ in wanted)


def _variance(scale: float) -> float:
    q = math.exp(-1 / scale)
    return 2 * q / (1 - q) ** 2


@lru_cache(maxsize=256)
def _pmf(scale: float, count: int) -> tuple[np.ndarray, int]:
    """The distribution of a sum of `count` discrete Laplace draws, as (probabilities, offset of zero)."""
    if count == 1:
        width = int(math.ceil(scale * 30)) + 1  # the tails beyond hold less than 1e-13
        x = np.arange(-width, width + 1)
        p = np.exp(-np.abs(x) / scale)
        return p / p.sum(), width
    half, rest = _pmf(scale, count // 2), _pmf(scale, count - count // 2)
    return _trim(fftconvolve(half[0], rest[0]), half[1] + rest[1])


def _trim(p: np.ndarray, zero: int) -> tuple[np.ndarray, int]:
    p = np.clip(p, 0.0, None)
    keep = np.nonzero(p > 1e-15)[0]
    lo, hi = int(keep[0]), int(keep[-1])
    return p[lo:hi + 1], zero - lo


def margin(draws: Draws) -> int:
    """Half-width of the central 95 % interval of the summed noise (exact; normal approximation past 40 draws)."""
    return _margin(tuple(sorted((s, c) for s, c in draws.items() if c > 0)))


@lru_cache(maxsize=4096)
def _margin(draws: tuple[tuple[float, int], ...]) -> int:
    if not draws:
        return 0
    if sum(c for _, c in draws) > 40:
        return math.ceil(1.96 * math.sqrt(sum(c * _variance(s) for s, c in draws)))
    p, zero = np.array([1.0]), 0
    for scale, count in draws:
        q, qz = _pmf(scale, count)
        p, zero = _trim(fftconvolve(p, q), zero + qz)
    # smallest h with P(|noise| <= h) >= 95 %
    cdf = np.cumsum(p)
    for h in range(0, len(p)):
        lo, hi = zero - h, zero + h
        inside = cdf[min(hi, len(p) - 1)] - (cdf[lo - 1] if lo > 0 else 0.0)
        if inside >= CONFIDENCE - 1e-9:
            return h
    return len(p)
