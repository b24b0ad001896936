"""Answers to an item a risk rule reads: a hedged, unsure or mixed answer asks with both options, never a silent 0.

"基本没有" on PHQ-9 item 9 read as a sure "not at all" would keep the urgent item-9 rule from firing; asking costs
one tap.
"""
from __future__ import annotations

import re
from functools import lru_cache

from app.answers.vocabulary import hedges
from app.language.normalize import CJK, normalize
from app.scales.definitions import ScaleDefinition


@lru_cache(maxsize=1)
def _hedges() -> re.Pattern[str]:
    """The hedge words of data/hedges.yaml as one alternation, longest first."""
    words = sorted({normalize(w) for words in (hedges().zh_cn, hedges().en) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) if re.search(f"[{CJK}]", w) else rf"\b{re.escape(w)}\b" for w in words))


def threshold(scale: ScaleDefinition, item_number: int) -> int | None:
    """The lowest value at which a risk rule on this item fires, or None when no rule reads the item."""
    mins = [r.when.min for r in scale.risk_rules if r.when.item == item_number]
    return min(mins) if mins else None


def needs_asking(scale: ScaleDefinition, item_number: int, text: str, value: int | None,
                 candidates: list[int]) -> list[int] | None:
    """The options to ask between when the answer must not be taken as it stands, else None."""
    at = threshold(scale, item_number)
    if at is None:
        return None
    if value is not None:
        return sorted({value, at}) if value < at and _hedges().search(normalize(text)) else None
    if candidates and max(candidates) < at:  # unsure between options that all stay below the rule: include it
        return sorted({*candidates, at})[:3]
    return None
