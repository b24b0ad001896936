"""The one negation helper: is a match negated by a cue shortly before it, in its own clause, or right after it?

The crisis lexicon ("没有想死") and the answer parser ("not every day") both ask it, each with its own cues (data).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from app.language.data_file import Regex, Strict

Unit = Literal["chars", "words"]


class Cue(Strict):
    """A negation cue and how far (chars for Chinese, words for English) it may sit before a match and negate it."""

    pattern: Regex
    max_gap: int = Field(ge=0, le=12)


class NegationRules(Strict):
    cues: list[Cue] = Field(min_length=1)
    pseudo: list[str] = Field(default_factory=list)  # phrases that look like negation but are not ("不知道")
    pseudo_regexes: list[Regex] = Field(default_factory=list)  # the same, as patterns ("差不" ending a clause)
    clause_breaks: Regex  # negation never reaches across one
    # Cues read right where a match ends, for answers that deny after naming ("死的念头没有"); a pattern may look behind
    # into the match to say which words it follows.
    after: list[Regex] = Field(default_factory=list)


@dataclass(frozen=True)
class CompiledNegation:
    cues: tuple[tuple[re.Pattern[str], int], ...]
    pseudo: re.Pattern[str] | None
    clause_breaks: re.Pattern[str]
    unit: Unit
    after: re.Pattern[str] | None = None

    def negates(self, text: str, start: int, end: int | None = None) -> bool:
        """True when a cue sits at most its gap before `start`, within the same clause, outside a pseudo-negation,
        or (given the match's `end`) an `after` cue starts right at `end`."""
        if end is not None and self.after is not None and self.after.match(text, end):
            return True
        prefix = text[:start]
        last_break = None
        for last_break in self.clause_breaks.finditer(prefix):  # noqa: B007 - we want the last one
            pass
        if last_break is not None:
            prefix = prefix[last_break.end():]
        if self.pseudo is not None:
            prefix = self.pseudo.sub(lambda m: "_" * len(m.group(0)), prefix)
        for cue, max_gap in self.cues:
            last_cue = None
            for last_cue in cue.finditer(prefix):  # noqa: B007 - the closest cue is the last one
                pass
            if last_cue is not None and self._gap(prefix[last_cue.end():]) <= max_gap:
                return True
        return False

    def _gap(self, between: str) -> int:
        return len(between.replace(" ", "")) if self.unit == "chars" else len(between.split())


def compile_negation(rules: NegationRules, unit: Unit, phrase_regex: Callable[[str], str] = re.escape
                     ) -> CompiledNegation:
    """`phrase_regex` writes a pseudo phrase as a pattern (the lexicon normalises it and bounds it by word edges)."""
    pseudo = [phrase_regex(p) for p in rules.pseudo] + list(rules.pseudo_regexes)
    return CompiledNegation(
        cues=tuple((re.compile(c.pattern), c.max_gap) for c in rules.cues),
        pseudo=re.compile("|".join(pseudo)) if pseudo else None,
        clause_breaks=re.compile(rules.clause_breaks),
        unit=unit,
        after=re.compile("|".join(f"(?:{a})" for a in rules.after)) if rules.after else None,
    )
