"""The pydantic schema of a scale file: what a valid instrument must say, checked before the app starts."""
from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LOCALES = ("zh-CN", "en")
RISK_LEVELS = ("routine", "high", "urgent")
RISK_RANK = {"none": 0, "routine": 1, "high": 2, "urgent": 3}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Localized(Strict):
    """A text in every supported locale."""

    zh_CN: str = Field(alias="zh-CN", min_length=1)
    en: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.zh_CN


class LocalizedList(Strict):
    zh_CN: list[str] = Field(default_factory=list, alias="zh-CN")
    en: list[str] = Field(default_factory=list)

    def get(self, locale: str) -> list[str]:
        return self.en if locale == "en" else self.zh_CN


class ResponseOption(Strict):
    value: int
    label: Localized
    synonyms: LocalizedList = LocalizedList()
    # For options that count days: the share of the scale's timeframe_days they stand for, both ends inclusive,
    # so "一周三四天" or "10 out of 14 days" can be read as a number of days.
    share: tuple[float, float] | None = None
    # For options that count times ("每周好几次", "once a month"): how many times a week they stand for, inclusive.
    per_week: tuple[float, float] | None = None

    @field_validator("per_week")
    @classmethod
    def _rate_range(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not 0 <= v[0] <= v[1]:
            raise ValueError(f"per_week {list(v)} must satisfy 0 <= min <= max")
        return v

    @field_validator("share")
    @classmethod
    def _share_range(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not 0 <= v[0] <= v[1] <= 1:
            raise ValueError(f"share {list(v)} must satisfy 0 <= min <= max <= 1")
        return v


class Item(Strict):
    number: int = Field(ge=1)
    text: Localized
    purpose: Localized  # one sentence the bot gives when the employee asks why
    reverse: bool = False
    subscale: str | None = None


class Subscale(Strict):
    id: str
    name: Localized
    multiplier: int = Field(1, ge=1)


class Scoring(Strict):
    method: Literal["sum"] = "sum"
    multiplier: int = Field(1, ge=1)  # applied to the total (DASS-21 doubles to match DASS-42)
    subscales: list[Subscale] = Field(default_factory=list)
    primary: str = "total"  # which band set gives the result's band: "total", a subscale id, or "most_severe"


class Band(Strict):
    id: str
    min: int
    max: int
    label: Localized
    explanation: Localized | None = None


class BandSet(Strict):
    score: str = "total"  # "total" or a subscale id
    bands: list[Band]
    source: str

    @model_validator(mode="after")
    def _contiguous(self) -> BandSet:
        ordered = sorted(self.bands, key=lambda b: b.min)
        for band in ordered:
            if band.min > band.max:
                raise ValueError(f"band {band.id!r}: min {band.min} is above max {band.max}")
        for prev, nxt in zip(ordered, ordered[1:], strict=False):
            if nxt.min != prev.max + 1:
                raise ValueError(f"bands {prev.id!r} and {nxt.id!r} leave a gap or overlap ({prev.max} → {nxt.min})")
        return self


class RiskCondition(Strict):
    item: int | None = None
    score: str | None = None  # "total" or a subscale id
    min: int

    @model_validator(mode="after")
    def _one_target(self) -> RiskCondition:
        if (self.item is None) == (self.score is None):
            raise ValueError("a risk condition names exactly one of 'item' or 'score'")
        return self


class RiskRule(Strict):
    id: str
    when: RiskCondition
    level: Literal["routine", "high", "urgent"]
    reason: Localized
    source: str = Field(min_length=3)


class SelfHelp(Strict):
    zh_CN: list[str] = Field(alias="zh-CN", min_length=2)
    en: list[str] = Field(min_length=2)

    def get(self, locale: str) -> list[str]:
        return self.en if locale == "en" else self.zh_CN


class ScaleDefinition(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    version: str
    short_name: str
    names: Localized
    description: Localized  # one line for the menu
    minutes: int = Field(ge=1, le=60)
    construct_: str = Field(alias="construct")  # what it measures: depression, anxiety, stress
    # A few words for the menu button ("Anxiety and worry"); without it the button shows the scale's name.
    topic: Localized | None = None
    keywords: LocalizedList  # words an employee may use to ask for this scale ("焦虑", "stress")
    instructions: Localized
    timeframe: Localized
    # Needed when options carry a share of days; where they count times, a count with no period is over it.
    timeframe_days: int | None = Field(None, ge=1, le=366)
    options: list[ResponseOption] = Field(min_length=2)
    # Phrases that sit between options ("half the time" on PHQ-9): the parser reads both and the bot asks.
    in_between: dict[str, dict[str, list[int]]] = Field(default_factory=dict)
    # Locales whose instructions ask for a number ("choose a number 0, 1, 2 or 3"): there a bare digit is the value.
    number_answers: list[str] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)
    scoring: Scoring = Scoring()
    bands: list[BandSet] = Field(min_length=1)
    risk_rules: list[RiskRule] = Field(default_factory=list)
    self_help: SelfHelp
    citation: str = Field(min_length=10)
    translation: str = Field(min_length=10)  # the validated Chinese version the texts come from
    licence: str = Field(min_length=3)
    notes: str | None = None

    @field_validator("options")
    @classmethod
    def _unique_values(cls, options: list[ResponseOption]) -> list[ResponseOption]:
        values = [o.value for o in options]
        if len(set(values)) != len(values):
            raise ValueError(f"response option values repeat: {values}")
        return sorted(options, key=lambda o: o.value)

    @field_validator("items")
    @classmethod
    def _numbered(cls, items: list[Item]) -> list[Item]:
        numbers = [i.number for i in items]
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate item numbers: {dupes}")
        if sorted(numbers) != list(range(1, len(items) + 1)):
            raise ValueError(f"items must be numbered 1..{len(items)}, got {sorted(numbers)}")
        return sorted(items, key=lambda i: i.number)

    @model_validator(mode="after")
    def _references(self) -> ScaleDefinition:
        subscales = {s.id for s in self.scoring.subscales}
        for item in self.items:
            if item.subscale is not None and item.subscale not in subscales:
                raise ValueError(f"item {item.number}: subscale {item.subscale!r} is not defined in scoring.subscales")
        for sub in subscales:
            if not any(i.subscale == sub for i in self.items):
                raise ValueError(f"subscale {sub!r} has no items")
        targets = {"total"} | subscales
        for bandset in self.bands:
            if bandset.score not in targets:
                raise ValueError(f"bands on {bandset.score!r}: no such score (use 'total' or a subscale id)")
            lo, hi = self.score_range(bandset.score)
            if min(b.min for b in bandset.bands) != lo or max(b.max for b in bandset.bands) != hi:
                raise ValueError(f"bands on {bandset.score!r} must cover {lo}..{hi}")
        if self.scoring.primary not in targets | {"most_severe"}:
            raise ValueError(f"scoring.primary {self.scoring.primary!r} is not 'total', 'most_severe' or a subscale")
        if self.scoring.primary != "most_severe" and not any(b.score == self.scoring.primary for b in self.bands):
            raise ValueError(f"scoring.primary {self.scoring.primary!r} has no band set")
        for rule in self.risk_rules:
            if rule.when.item is not None and not 1 <= rule.when.item <= len(self.items):
                raise ValueError(f"risk rule {rule.id!r}: item {rule.when.item} does not exist")
            if rule.when.score is not None and rule.when.score not in targets:
                raise ValueError(f"risk rule {rule.id!r}: score {rule.when.score!r} does not exist")
        return self

    @field_validator("number_answers")
    @classmethod
    def _known_locales(cls, locales: list[str]) -> list[str]:
        unknown = sorted(set(locales) - set(LOCALES))
        if unknown:
            raise ValueError(f"number_answers: unknown locales {unknown}")
        return locales

    @model_validator(mode="after")
    def _each_phrase_once(self) -> ScaleDefinition:
        """A phrase belongs to one option, or between options; the parser reads it one way."""
        values = {o.value for o in self.options}
        said = Counter((loc, w) for o in self.options for loc in LOCALES  # a label may recur among its synonyms
                       for w in [o.label.get(loc), *(x for x in o.synonyms.get(loc) if x != o.label.get(loc))])
        synonyms = set(said)
        if twice := sorted(w for (_, w), n in said.items() if n > 1):
            raise ValueError(f"phrases listed twice: {twice}; a phrase between two options belongs under in_between")
        for loc, phrases in self.in_between.items():
            if loc not in LOCALES:
                raise ValueError(f"in_between: unknown locale {loc!r}")
            for phrase, between in phrases.items():
                if len(between) < 2 or not set(between) <= values:
                    raise ValueError(f"in_between {phrase!r}: needs two or more of the option values {sorted(values)}")
                if (loc, phrase) in synonyms:
                    raise ValueError(f"in_between {phrase!r} is also an option's synonym: keep it in one place")
        return self

    @model_validator(mode="after")
    def _shares_need_days(self) -> ScaleDefinition:
        if self.counts_days and self.timeframe_days is None:
            raise ValueError("options carry a share of days, so timeframe_days is required")
        return self

    @property
    def construct(self) -> str:  # type: ignore[override]
        return self.construct_

    @property
    def min_value(self) -> int:
        return self.options[0].value

    @property
    def max_value(self) -> int:
        return self.options[-1].value

    @property
    def counts_days(self) -> bool:
        """Its options stand for shares of the timeframe's days (PHQ-9, GAD-7, DASS-21)."""
        return any(o.share is not None for o in self.options)

    @property
    def counts_times(self) -> bool:
        """Its options stand for times a week (PSS-10)."""
        return any(o.per_week is not None for o in self.options)

    def items_of(self, target: str) -> list[Item]:
        return list(self.items) if target == "total" else [i for i in self.items if i.subscale == target]

    def multiplier_of(self, target: str) -> int:
        if target == "total":
            return self.scoring.multiplier
        return next(s.multiplier for s in self.scoring.subscales if s.id == target)

    def score_range(self, target: str) -> tuple[int, int]:
        n, m = len(self.items_of(target)), self.multiplier_of(target)
        return n * self.min_value * m, n * self.max_value * m

    def option(self, value: int) -> ResponseOption:
        return next(o for o in self.options if o.value == value)
