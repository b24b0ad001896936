"""Understands an answer typed in the employee's own words, from the scale's labels and synonyms (data, not code).

It returns one option only when it is sure; otherwise the likeliest candidates so the bot can ask to confirm.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from app.dialogue.day_counts import read_share
from app.scales.definitions import ScaleDefinition

_ZH_NEGATION = re.compile(r"(不是|并不|并非|并没有|没有|没|不|非|谈不上|算不上|说不上)(都|是|会|到|太|算|有)?$")
_ZH_NOT_NEGATION = re.compile(r"(差不|不多|要不|不管|不停)$")
_EN_NEGATION = re.compile(r"\b(not|never|no|n't|isn't|wasn't|don't|didn't|hardly)\s+(?:\w+\s+){0,1}$")
_DIGITS = re.compile(r"^(?:选|选项|第|option|choice|number|no\.?)?\s*(\d{1,2})\s*(?:分|个|项|号|个选项)?$")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_PUNCT = re.compile(r"[\s,.!?;:，。！？；：、~～…\"'“”‘’()（）\[\]【】]+")


@dataclass(frozen=True)
class ParseResult:
    value: int | None = None
    candidates: list[int] = field(default_factory=list)
    negated: bool = False

    @property
    def sure(self) -> bool:
        return self.value is not None


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    return _PUNCT.sub(" ", text).strip()


def _compact(text: str) -> str:
    """Chinese phrases match without spaces; English keeps single spaces for word boundaries."""
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def _is_ascii(s: str) -> bool:
    return all(ord(c) < 128 for c in s)


def _find(phrase: str, text: str) -> list[tuple[int, int]]:
    if _is_ascii(phrase):
        return [m.span() for m in re.finditer(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text)]
    spans, start = [], text.find(phrase)
    while start != -1:
        spans.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    return spans


def _negated(text: str, start: int, phrase: str) -> bool:
    before = text[:start]
    if _is_ascii(phrase):
        return bool(_EN_NEGATION.search(before))
    tail = before[-4:]
    return bool(_ZH_NEGATION.search(tail)) and not _ZH_NOT_NEGATION.search(tail)


def _digit_reading(scale: ScaleDefinition, text: str) -> ParseResult | None:
    m = _DIGITS.match(text)
    raw = m.group(1) if m else (str(_CN_DIGITS[text]) if text in _CN_DIGITS else None)
    if raw is None:
        return None
    d = int(raw)
    readings = set()
    if any(o.value == d for o in scale.options):
        readings.add(d)  # the response value itself
    if 1 <= d <= len(scale.options):
        readings.add(scale.options[d - 1].value)  # the d-th button
    if scale.timeframe_days and d <= scale.timeframe_days:
        readings.update(_options_for_share(scale, (d / scale.timeframe_days,) * 2))  # d days
    if len(readings) == 1:
        return ParseResult(value=readings.pop())
    return ParseResult(candidates=sorted(readings))


def _options_for_share(scale: ScaleDefinition, share: tuple[float, float]) -> list[int]:
    lo, hi = share
    eps = 1e-9
    return [o.value for o in scale.options if o.share is not None
            and o.share[0] - 0.02 <= hi + eps and lo - eps <= o.share[1] + 0.02]


def parse_answer(scale: ScaleDefinition, text: str) -> ParseResult:
    norm = _compact(normalise(text))
    if not norm:
        return ParseResult()
    digit = _digit_reading(scale, norm)
    if digit is not None:
        return digit
    phrases: list[tuple[str, int]] = []
    for opt in scale.options:
        for locale in ("zh-CN", "en"):
            for p in [opt.label.get(locale), *opt.synonyms.get(locale)]:
                p = _compact(normalise(p))
                if p:
                    phrases.append((p, opt.value))
    phrases.sort(key=lambda pv: len(pv[0]), reverse=True)
    taken: list[tuple[int, int]] = []
    hits: dict[int, int] = {}
    negated: set[int] = set()
    for phrase, value in phrases:
        for start, end in _find(phrase, norm):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            if _negated(norm, start, phrase):
                negated.add(value)
            else:
                hits[value] = hits.get(value, 0) + (end - start)
    values = sorted(hits, key=lambda v: -hits[v])
    share = read_share(norm, scale.timeframe_days) if scale.timeframe_days else None
    if share is not None:
        by_days = [v for v in _options_for_share(scale, share) if v not in negated]
        if by_days and set(values) <= set(by_days):
            return ParseResult(value=by_days[0]) if len(by_days) == 1 else ParseResult(candidates=by_days)
        if by_days:
            return ParseResult(candidates=sorted(set(by_days) | set(values))[:3])
    if len(values) == 1 and values[0] not in negated:
        return ParseResult(value=values[0])
    if values:
        return ParseResult(candidates=values[:3], negated=bool(negated))
    if negated:
        others = [o.value for o in scale.options if o.value not in negated]
        near = sorted(others, key=lambda v: min(abs(v - n) for n in negated))
        return ParseResult(candidates=sorted(near[:2]), negated=True)
    return _similar(scale, norm)


def _similar(scale: ScaleDefinition, norm: str) -> ParseResult:
    """Typos: a near-identical English phrase ("sevral days") is taken; anything looser is only a candidate."""
    scored: dict[int, float] = {}
    for opt in scale.options:
        for loc in ("zh-CN", "en"):
            for p in [opt.label.get(loc), *opt.synonyms.get(loc)]:
                r = SequenceMatcher(None, norm, _compact(normalise(p))).ratio()
                scored[opt.value] = max(scored.get(opt.value, 0.0), r)
    ranked = sorted(scored.items(), key=lambda vr: -vr[1])
    (best_v, best), second = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    if _is_ascii(norm) and len(norm) >= 6 and best >= 0.88 and best - second >= 0.1:
        return ParseResult(value=best_v)
    if best >= 0.6:
        return ParseResult(candidates=[v for v, r in ranked[:2] if r >= 0.5])
    return ParseResult()
