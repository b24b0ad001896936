"""Pure scoring: answers in, total, subscales, band and fired risk rules out. No I/O."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.scales.definitions import RISK_RANK, Band, RiskRule, ScaleDefinition


class ScoringError(ValueError):
    """The answers cannot be scored: some are missing, unknown or out of range."""


@dataclass(frozen=True)
class ScoreResult:
    scale_id: str
    total: int
    max_total: int
    subscales: dict[str, int]
    band: Band
    bands: dict[str, Band]  # band per scored target ("total" and subscales that have bands)
    fired: list[RiskRule] = field(default_factory=list)
    headline: str = "total"  # the target whose band is `band`: a subscale when the primary is "most_severe"

    @property
    def risk(self) -> str:
        return max((r.level for r in self.fired), key=RISK_RANK.__getitem__, default="none")


def item_score(scale: ScaleDefinition, number: int, value: int) -> int:
    item = scale.items[number - 1]
    return scale.max_value + scale.min_value - value if item.reverse else value


def validate_answers(scale: ScaleDefinition, answers: Mapping[int, int]) -> None:
    valid = {o.value for o in scale.options}
    unknown = sorted(set(answers) - set(range(1, len(scale.items) + 1)))
    if unknown:
        raise ScoringError(f"{scale.id}: no such items {unknown}")
    missing = [n for n in range(1, len(scale.items) + 1) if n not in answers]
    if missing:
        raise ScoringError(f"{scale.id}: items {missing} are unanswered")
    bad = {n: v for n, v in answers.items() if v not in valid or isinstance(v, bool)}
    if bad:
        raise ScoringError(f"{scale.id}: answers {bad} are not among the response values {sorted(valid)}")


def band_for(scale: ScaleDefinition, target: str, score: int) -> Band | None:
    for bandset in scale.bands:
        if bandset.score == target:
            return next(b for b in bandset.bands if b.min <= score <= b.max)
    return None


def score(scale: ScaleDefinition, answers: Mapping[int, int]) -> ScoreResult:
    validate_answers(scale, answers)
    scored = {n: item_score(scale, n, v) for n, v in answers.items()}
    total = sum(scored.values()) * scale.scoring.multiplier
    subscales = {
        s.id: sum(scored[i.number] for i in scale.items_of(s.id)) * s.multiplier for s in scale.scoring.subscales
    }
    values = {"total": total, **subscales}
    bands = {t: b for t in values if (b := band_for(scale, t, values[t])) is not None}
    if scale.scoring.primary == "most_severe":  # the worst subscale band; a total band set is only descriptive
        subs = [bs for bs in scale.bands if bs.score != "total"]
        rank = {b.id: i for bs in subs for i, b in enumerate(sorted(bs.bands, key=lambda b: b.min))}
        headline = max((t for t in bands if t != "total"), key=lambda t: rank[bands[t].id])
    else:
        headline = scale.scoring.primary
    band = bands[headline]
    fired = [
        r for r in scale.risk_rules
        if (answers[r.when.item] if r.when.item is not None else values[r.when.score or "total"]) >= r.when.min
    ]
    return ScoreResult(scale.id, total, scale.score_range("total")[1], subscales, band, bands, fired, headline)
