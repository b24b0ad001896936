"""The crisis lexicon's schema and compiler: the phrasing lives in YAML (reviewable by clinicians), not in code.

A malformed lexicon must stop start-up loudly, because a silently empty screen would miss every crisis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.language.data_file import DataFileError, load_data_file
from app.language.negation import CompiledNegation, NegationRules, compile_negation
from app.language.normalize import CJK, normalize, variant_table
from app.language.pinyin import pinyin_regex

DEFAULT_LEXICON = Path(__file__).with_name("crisis_lexicon.yaml")
Language = Literal["zh", "en"]


class LexiconFileError(RuntimeError):
    """The lexicon file is malformed; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Strict):
    id: str = Field(pattern=r"^[a-z]{2}\.[a-z0-9_]+$")
    language: Language
    level: Literal["hit", "check"] = "hit"
    reason: str = Field(pattern=r"^[a-z_]+$")  # a key of the decision's reasons (app/safety/decision.yaml)
    phrases: list[str] = Field(default_factory=list)
    regexes: list[str] = Field(default_factory=list)
    pinyin: list[str] = Field(default_factory=list)  # Chinese phrases also matched when typed in pinyin
    sources: list[str] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _has_patterns(self) -> Entry:
        if not self.phrases and not self.regexes:
            raise ValueError("an entry needs at least one phrase or regex")
        return self

    @field_validator("regexes")
    @classmethod
    def _regexes_compile(cls, v: list[str]) -> list[str]:
        for i, rx in enumerate(v):
            try:
                re.compile(rx)
            except re.error as exc:
                raise ValueError(f"regexes[{i}] {rx!r} does not compile: {exc}") from exc
        return v


class LexiconFile(_Strict):
    version: int
    sources: dict[str, str] = Field(min_length=1)
    variants: dict[str, str] = Field(default_factory=dict)
    negation: dict[Language, NegationRules]
    # Markers of a joke anywhere in the message ("哈哈", "lol", 😂): a hit there is asked about, not escalated.
    jest: dict[Language, list[str]] = Field(default_factory=dict)
    entries: list[Entry] = Field(min_length=1)

    @field_validator("jest")
    @classmethod
    def _jest_compiles(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for lang, patterns in v.items():
            for i, pattern in enumerate(patterns):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"jest.{lang}[{i}]: {exc}") from exc
        return v

    @field_validator("variants")
    @classmethod
    def _single_chars(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [k for k, t in v.items() if len(k) != 1 or len(t) != 1]
        if bad:
            raise ValueError(f"variants must map one character to one character: {bad}")
        return v

    @model_validator(mode="after")
    def _references(self) -> LexiconFile:
        seen: set[str] = set()
        for i, e in enumerate(self.entries):
            if e.id in seen:
                raise ValueError(f"entries[{i}].id: duplicate id {e.id!r}")
            seen.add(e.id)
            unknown = [s for s in e.sources if s not in self.sources]
            if unknown:
                raise ValueError(f"entries[{i}] ({e.id}).sources: unknown source keys {unknown}")
            if e.language not in self.negation:
                raise ValueError(f"entries[{i}] ({e.id}).language: no negation rules for {e.language!r}")
        return self


@dataclass(frozen=True)
class CompiledEntry:
    id: str
    language: Language
    level: Literal["hit", "check"]
    reason: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[CompiledEntry, ...]
    negation: dict[str, CompiledNegation]
    variants: dict[int, str]
    phrases: frozenset[str]  # every normalised literal phrase, for the bench's "no verbatim copies" check
    jest: re.Pattern[str] | None = None  # any language's joke markers, matched on the normalised message

    def normalize(self, text: str) -> str:
        return normalize(text, self.variants)


def _phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: whitespace-flexible, and bounded by word edges where it starts/ends in Latin."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    if re.match(r"\w", phrase) and not re.match(rf"[{CJK}]", phrase):
        body = r"\b" + body
    if re.search(r"\w$", phrase) and not re.search(rf"[{CJK}]$", phrase):
        body += r"\b"
    return body


def compile_lexicon(raw: LexiconFile) -> Lexicon:
    variants = variant_table(raw.variants)
    compiled: list[CompiledEntry] = []
    phrases: set[str] = set()
    for e in raw.entries:
        norm = [normalize(p, variants) for p in e.phrases]
        phrases.update(norm)
        alternatives = [_phrase_regex(p) for p in norm] + list(e.regexes)
        try:
            alternatives += [pinyin_regex(p) for p in e.pinyin]
        except ValueError as exc:
            raise LexiconFileError(f"entry {e.id}: pinyin: {exc}") from exc
        regex = re.compile("|".join(f"(?:{a})" for a in alternatives))
        compiled.append(CompiledEntry(e.id, e.language, e.level, e.reason, regex))
    negation = {
        lang: compile_negation(rules, "chars" if lang == "zh" else "words",
                               lambda p: _phrase_regex(normalize(p, variants)))
        for lang, rules in raw.negation.items()
    }
    jest = [p for patterns in raw.jest.values() for p in patterns]
    return Lexicon(tuple(compiled), negation, variants, frozenset(phrases),
                   re.compile("|".join(f"(?:{p})" for p in jest)) if jest else None)


def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    try:
        return compile_lexicon(load_data_file(path, LexiconFile))
    except DataFileError as exc:
        raise LexiconFileError(str(exc)) from exc
