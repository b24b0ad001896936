"""Scores the crisis screen against a labelled utterance set; shared by the bench script and the test suite.

Kept in the app package so the regression test and the bench measure the screen in exactly the same way.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.safety.crisis_screen import ScreenResult
from app.safety.lexicon import DEFAULT_LEXICON, Lexicon

LANGUAGES = ("zh", "en")
MIN_VERBATIM_CHARS = 4  # shorter answers ("没有", "0") legitimately occur inside regex syntax


class BenchSetError(RuntimeError):
    """The bench set is unusable (malformed, or it copies the lexicon and so would measure nothing)."""


@dataclass
class LanguageReport:
    crisis: int = 0
    hits: int = 0
    crisis_checks: int = 0
    ordinary: int = 0
    false_alarms: int = 0
    ordinary_checks: int = 0
    misses: list[tuple[str, ScreenResult]] = field(default_factory=list)
    false_alarm_texts: list[tuple[str, ScreenResult]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.hits / self.crisis if self.crisis else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.ordinary if self.ordinary else 0.0


@dataclass
class BenchReport:
    per_language: dict[str, LanguageReport]
    mean_seconds: float

    def total(self) -> LanguageReport:
        t = LanguageReport()
        for r in self.per_language.values():
            t.crisis += r.crisis
            t.hits += r.hits
            t.crisis_checks += r.crisis_checks
            t.ordinary += r.ordinary
            t.false_alarms += r.false_alarms
            t.ordinary_checks += r.ordinary_checks
            t.misses += r.misses
            t.false_alarm_texts += r.false_alarm_texts
        return t


def load_bench_set(path: Path) -> dict[str, dict[str, list[str]]]:
    """Read {crisis|ordinary: {zh|en: [utterances]}}; a malformed file raises BenchSetError naming the part."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[str]]] = {}
    for kind in ("crisis", "ordinary"):
        out[kind] = {}
        for lang in LANGUAGES:
            items = (raw or {}).get(kind, {}).get(lang)
            if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
                raise BenchSetError(f"{path}: {kind}.{lang} must be a list of non-empty strings")
            out[kind][lang] = items
    return out


def verbatim_copies(
    bench: dict[str, dict[str, list[str]]], lexicon: Lexicon, lexicon_path: Path = DEFAULT_LEXICON
) -> list[str]:
    """Utterances that are a lexicon phrase, or appear word for word in the lexicon file."""
    file_text = lexicon_path.read_text(encoding="utf-8")
    copies = []
    for langs in bench.values():
        for items in langs.values():
            for text in items:
                stripped = text.strip()
                if lexicon.normalize(stripped) in lexicon.phrases or (
                    len(stripped) >= MIN_VERBATIM_CHARS and stripped in file_text
                ):
                    copies.append(text)
    return copies


def evaluate(
    bench: dict[str, dict[str, list[str]]],
    screen_fn: Callable[[str], ScreenResult],
    timing_rounds: int = 5,
) -> BenchReport:
    per_language = {lang: LanguageReport() for lang in LANGUAGES}
    for lang in LANGUAGES:
        rep = per_language[lang]
        for text in bench["crisis"][lang]:
            res = screen_fn(text)
            rep.crisis += 1
            if res.level == "hit":
                rep.hits += 1
            else:
                rep.misses.append((text, res))
                rep.crisis_checks += res.level == "check"
        for text in bench["ordinary"][lang]:
            res = screen_fn(text)
            rep.ordinary += 1
            if res.level == "hit":
                rep.false_alarms += 1
                rep.false_alarm_texts.append((text, res))
            rep.ordinary_checks += res.level == "check"
    everything = [t for langs in bench.values() for items in langs.values() for t in items]
    start = time.perf_counter()
    for _ in range(timing_rounds):
        for text in everything:
            screen_fn(text)
    mean = (time.perf_counter() - start) / (timing_rounds * len(everything))
    return BenchReport(per_language, mean)
