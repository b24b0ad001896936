"""The lexicon signal of the crisis decision (app/safety/decision.py): lexicon match plus clause-bounded negation.

Deterministic and auditable, so clinicians can review what it matches; it errs towards "hit": a missed crisis
costs far more than a counsellor reading a false alarm.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

from app.safety.lexicon import Lexicon, load_lexicon


@dataclass(frozen=True)
class ScreenResult:
    level: Literal["hit", "check", "none"]  # hit = crisis language; check = negated/ambiguous mention worth asking
    matched: str | None  # the lexicon entry id that matched
    reason: str | None = None  # the entry's reason key (decision.yaml)
    span: str | None = None  # the words that matched, in the normalised text: shown to the counsellor, never logged
    joke: bool = False  # the message marks itself as a joke (the lexicon's `jest` markers)


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


def screen_with(lexicon: Lexicon, text: str) -> ScreenResult:
    """Screen `text` against a given lexicon: the first un-negated hit wins, else the first check-worthy mention.
    In a message marked as a joke every hit is only check-worthy: asked about, never escalated on its own."""
    norm = lexicon.normalize(text)
    if not norm:
        return NO_MATCH
    check: ScreenResult | None = None
    jest = lexicon.jest is not None and lexicon.jest.search(norm) is not None
    for entry in lexicon.entries:
        rules = lexicon.negation[entry.language]
        for m in entry.regex.finditer(norm):
            if m.end() == m.start():
                continue
            negated = jest or rules.negates(norm, m.start(), m.end())
            if not negated and entry.level == "hit":
                return ScreenResult("hit", entry.id, entry.reason, m.group(0))
            if check is None and (entry.level == "hit" or not negated):
                check = ScreenResult("check", entry.id, entry.reason, m.group(0), joke=jest)
    return check or (ScreenResult("none", None, joke=True) if jest else NO_MATCH)


def screen(text: str) -> ScreenResult:
    """Screen one employee message with the packaged lexicon; thread-safe (the compiled lexicon is immutable)."""
    return screen_with(get_lexicon(), text)
