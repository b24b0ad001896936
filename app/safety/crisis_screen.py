"""The lexicon signal of the crisis decision (app/safety/decision.py): lexicon match plus clause-bounded negation.

Deterministic and auditable, so clinicians can review what it matches; it errs towards "hit": a missed crisis
costs far more than a counsellor reading a false alarm.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

from app.safety.lexicon import CompiledNegation, Lexicon, load_lexicon


@dataclass(frozen=True)
class ScreenResult:
    level: Literal["hit", "check", "none"]  # hit = crisis language; check = negated/ambiguous mention worth asking
    matched: str | None  # the lexicon entry id that matched
    reason: str | None = None  # the entry's reason key (decision.yaml)
    span: str | None = None  # the words that matched, in the normalised text: shown to the counsellor, never logged


NO_MATCH = ScreenResult("none", None)

_lexicon: Lexicon | None = None
_lock = threading.Lock()


def get_lexicon() -> Lexicon:
    """The lexicon, loaded once per process (double-checked so concurrent first calls load it once)."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                _lexicon = load_lexicon()
    return _lexicon


def _gap(between: str, language: str) -> int:
    """Distance from a negation cue to the match: characters in Chinese, words in English."""
    if language == "zh":
        return len(between.replace(" ", ""))
    return len(between.split())


def _is_negated(text: str, start: int, rules: CompiledNegation, language: str) -> bool:
    """True when a negation cue sits shortly before `start` within the same clause (and is not a pseudo-negation)."""
    prefix = text[:start]
    last_break = None
    for last_break in rules.clause_breaks.finditer(prefix):  # noqa: B007 - we want the last one
        pass
    if last_break is not None:
        prefix = prefix[last_break.end() :]
    if rules.pseudo is not None:
        prefix = rules.pseudo.sub(lambda m: "_" * len(m.group(0)), prefix)
    for cue, max_gap in rules.cues:
        last_cue = None
        for last_cue in cue.finditer(prefix):  # noqa: B007 - the closest cue is the last one
            pass
        if last_cue is not None and _gap(prefix[last_cue.end() :], language) <= max_gap:
            return True
    return False


def screen_with(lexicon: Lexicon, text: str) -> ScreenResult:
    """Screen `text` against a given lexicon: the first un-negated hit wins, else the first check-worthy mention."""
    norm = lexicon.normalize(text)
    if not norm:
        return NO_MATCH
    check: ScreenResult | None = None
    for entry in lexicon.entries:
        rules = lexicon.negation[entry.language]
        for m in entry.regex.finditer(norm):
            if m.end() == m.start():
                continue
            negated = _is_negated(norm, m.start(), rules, entry.language)
            if not negated and entry.level == "hit":
                return ScreenResult("hit", entry.id, entry.reason, m.group(0))
            if check is None and (entry.level == "hit" or not negated):
                check = ScreenResult("check", entry.id, entry.reason, m.group(0))
    return check or NO_MATCH


def screen(text: str) -> ScreenResult:
    """Screen one employee message with the packaged lexicon; thread-safe (the compiled lexicon is immutable)."""
    return screen_with(get_lexicon(), text)
