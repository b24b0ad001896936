"""The words answers are read by, loaded once from data/*.yaml and validated: a malformed file stops start-up with
the file and the key at fault (app/language/data_file.py) instead of quietly reading answers differently."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator

from app.language.data_file import Regex, Strict, load_data_file
from app.language.negation import NegationRules

DATA_DIR = Path(__file__).parent / "data"
_FRAGMENT = re.compile(r"\{([a-z_]+)\}")  # "{range}"; "{2,}" is a quantifier, not a fragment


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """A pattern with each `{name}` replaced by that fragment (fragments may use earlier fragments)."""
    def fragment(m: re.Match[str]) -> str:
        if m.group(1) not in fragments:
            raise ValueError(f"unknown fragment {{{m.group(1)}}} in {pattern!r}")
        return expand(fragments[m.group(1)], fragments)
    return _FRAGMENT.sub(fragment, pattern)


def _check_patterns(patterns: dict[str, str], fragments: dict[str, str], where: str) -> None:
    for key, pattern in patterns.items():
        try:
            re.compile(expand(pattern, fragments))
        except (ValueError, re.error) as exc:
            raise ValueError(f"{where}.{key}: {exc}") from exc


class Negations(Strict):
    zh: NegationRules
    en: NegationRules
    count: NegationRules


class ReadingFile(Strict):
    negation: Negations
    negation_words: list[str] = Field(min_length=1)
    denied_after: Regex
    digits: Regex
    cn_digits: dict[str, int]
    not_just_a_number: Regex
    when: Regex
    contrary: Regex
    hedge: Regex
    good: Regex
    no_good_day: str
    other_times: Regex
    alternative: Regex
    correction: Regex
    correction_lead: Regex
    but_turn: Regex
    days_denied: Regex
    zh_filler: Regex
    zh_timeframe: Regex
    en_filler: list[str] = Field(min_length=1)
    whole_answers: dict[str, str]
    particles: Regex
    number_talk: list[str]
    function_words: list[str]

    @model_validator(mode="after")
    def _fragments(self) -> ReadingFile:
        _check_patterns({"no_good_day": self.no_good_day}, {"good": self.good}, "(top level)")
        return self


class DayPatterns(Strict):
    count: str
    out_of: str
    window_after: str
    window_before: str
    rest_before: str
    except_: str = Field(alias="except")
    bare_count: str
    days_said: str
    except_weekday: str
    weekday_span: str
    another_weekday: str
    week: str
    month: str
    fortnight: str
    workdays: str
    weekends: str
    one_weekday: str
    times: str
    every_few_days: str
    once_a: str
    denied_after: str
    once_or_twice: str


class DayCountsFile(Strict):
    cn_numbers: dict[str, int] = Field(min_length=1)
    en_numbers: dict[str, int] = Field(min_length=1)
    day_names: dict[str, int]
    fragments: dict[str, str]
    patterns: DayPatterns
    worded_days: list[tuple[Regex, float, float]]
    few_times: dict[str, tuple[float, float]]
    worded_ranges: dict[str, tuple[float, float]]
    english_words: list[str]

    def all_fragments(self) -> dict[str, str]:
        return {**self.fragments, "en_numbers": "|".join(self.en_numbers)}

    def pattern(self, name: str) -> re.Pattern[str]:
        return re.compile(expand(getattr(self.patterns, name), self.all_fragments()))

    @model_validator(mode="after")
    def _fragments(self) -> DayCountsFile:
        _check_patterns(self.patterns.model_dump(by_alias=True), self.all_fragments(), "patterns")
        if bad := {n for n in self.day_names.values() if not 1 <= n <= 7}:
            raise ValueError(f"day_names: days are numbered 1 to 7, not {sorted(bad)}")
        return self


class WordingFile(Strict):
    erhua: Regex
    plain: list[tuple[str, str]]  # a pattern may say `{good}`, reading.yaml's words of being fine

    @staticmethod
    def fragments() -> dict[str, str]:
        return {"good": reading().good}

    def patterns(self) -> list[tuple[re.Pattern[str], str]]:
        fragments = self.fragments()
        return [(re.compile(expand(pattern, fragments)), plain) for pattern, plain in self.plain]

    @model_validator(mode="after")
    def _fragments(self) -> WordingFile:
        _check_patterns({f"[{i}]": p for i, (p, _) in enumerate(self.plain)}, self.fragments(), "plain")
        return self


class DialectFile(Strict):
    words: dict[str, str] = Field(min_length=1)
    clause_end_particle: Regex
    counted_day: Regex


class TypoFile(Strict):
    compounds: dict[str, str]


class HedgesFile(Strict):
    zh_cn: list[str] = Field(alias="zh-CN", min_length=1)
    en: list[str] = Field(min_length=1)


@cache
def reading() -> ReadingFile:
    return load_data_file(DATA_DIR / "reading.yaml", ReadingFile)


@cache
def day_counts() -> DayCountsFile:
    return load_data_file(DATA_DIR / "day_counts.yaml", DayCountsFile)


@cache
def wording() -> WordingFile:
    return load_data_file(DATA_DIR / "wording.yaml", WordingFile)


@cache
def dialect() -> DialectFile:
    return load_data_file(DATA_DIR / "dialect.yaml", DialectFile)


@cache
def typo() -> TypoFile:
    return load_data_file(DATA_DIR / "typo_repair.yaml", TypoFile)


@cache
def hedges() -> HedgesFile:
    return load_data_file(DATA_DIR / "hedges.yaml", HedgesFile)
