"""Understands an answer typed in the employee's own words, from the scale's labels and synonyms (data, not code).

It returns one option only when it is sure; otherwise the likeliest candidates so the bot can ask to confirm. A wrong
"sure" silently changes a health score, so every doubt (negation, two readings, many unexplained words) asks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from app.dialogue.day_counts import read_share
from app.scales.definitions import ScaleDefinition

SEP = "|"  # clause boundary: negation never reaches across punctuation
_ZH_NEGATION = re.compile(r"(不是|并不|并非|并没有|没有|没|不|非|谈不上|算不上|说不上)(都|是|会|到|太|算|有)?$")
_ZH_NOT_NEGATION = re.compile(r"(差不|不多|要不|不管|不停)$")
_EN_NEGATION = re.compile(r"\b(not|never|no|hardly|isnt|wasnt|dont|didnt)\s+(?:\w+\s+){0,1}$")
_DIGITS = re.compile(r"^(?:选|选项|第|option|choice|number|no\.?)?\s*(\d{1,2})\s*(?:分|个|项|号|个选项)?$")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_PUNCT = re.compile(r"[,.!?;:，。！？；：、~～…\"“”‘’()（）\[\]【】|]+")
_CONTRACTION = re.compile(r"n['’]t\b")
# Words that carry no content of their own in an answer; anything else left unexplained makes the parser ask.
_ZH_FILLER = re.compile(r"吧|啊|呀|呢|嗯|哦|的|了|都|是|就|这样|这么|那样|这种|大概|可能|应该|感觉|觉得|我|最近|"
                        r"其实|好像|差不多|基本上|基本|估计|还是|有|也|吗|嘛|哈|算|左右|情况|时候|样子")
_EN_FILLER = {"i", "guess", "think", "maybe", "probably", "like", "um", "uh", "honestly", "just", "really", "its",
              "it", "s", "been", "was", "has", "have", "so", "well", "yeah", "id", "say", "would", "actually",
              "pretty", "much", "the", "a", "that", "this", "is", "am", "im", "ive", "lately", "recently", "hmm",
              "okay", "ok", "oh", "to", "be", "about", "kind", "of", "sort", "tbh", "lol", "me", "for", "felt",
              "feel", "feeling", "way", "ve", "m", "d"}
NEGATION_WORDS = {"no", "not", "never", "nope", "nah", "没有", "没", "不", "不会", "没有过"}
_PHRASES: dict[int, tuple[ScaleDefinition, list[tuple[str, int]]]] = {}  # id(scale) -> (scale, its phrases)


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
    text = _CONTRACTION.sub(" not", text).replace("'", "").replace("’", "")
    text = _PUNCT.sub(f" {SEP} ", text)
    return re.sub(r"\s+", " ", text).strip(f" {SEP}")


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
    before = text[:start].rsplit(SEP, 1)[-1]
    if _is_ascii(phrase):
        return bool(_EN_NEGATION.search(before))
    tail = before[-4:]
    return bool(_ZH_NEGATION.search(tail)) and not _ZH_NOT_NEGATION.search(tail)


def _options_for_share(scale: ScaleDefinition, share: tuple[float, float]) -> list[int]:
    lo, hi = share
    return [o.value for o in scale.options if o.share is not None
            and o.share[0] - 0.02 <= hi + 1e-9 and lo - 1e-9 <= o.share[1] + 0.02]


def _digit_reading(scale: ScaleDefinition, text: str) -> ParseResult | None:
    m = _DIGITS.match(text)
    raw = m.group(1) if m else (str(_CN_DIGITS[text]) if text in _CN_DIGITS else None)
    if raw is None:
        return None
    d = int(raw)
    readings = set()
    if any(o.value == d for o in scale.options):
        readings.add(d)  # the response value itself
    elif not scale.timeframe_days:
        return ParseResult(candidates=[o.value for o in scale.options[d - 1: d]])  # a count of times? ask
    if 1 <= d <= len(scale.options):
        readings.add(scale.options[d - 1].value)  # the d-th button
    if scale.timeframe_days and d <= scale.timeframe_days:
        readings.update(_options_for_share(scale, (d / scale.timeframe_days,) * 2))  # d days
    if len(readings) == 1:
        return ParseResult(value=readings.pop())
    return ParseResult(candidates=sorted(readings))


def _leftover_is_content(text: str, taken: list[tuple[int, int]]) -> bool:
    """True when the words no phrase explained say something (an echo of the item, another topic)."""
    rest = "".join(" " if any(s <= i < e for s, e in taken) else c for i, c in enumerate(text))
    cjk = _ZH_FILLER.sub("", re.sub(r"[\x00-\x7f]", "", rest))
    words = [w for w in re.findall(r"[a-z]+", rest) if w not in _EN_FILLER]
    return len(cjk) > 3 or len(words) > 2


def _phrases(scale: ScaleDefinition) -> list[tuple[str, int]]:
    """Every label and synonym normalised, longest first, once per loaded scale: rebuilding them was most of a parse."""
    hit = _PHRASES.get(id(scale))
    if hit is None or hit[0] is not scale:
        phrases = [(p, opt.value) for opt in scale.options for locale in ("zh-CN", "en")
                   for p in (_compact(normalise(raw)) for raw in [opt.label.get(locale), *opt.synonyms.get(locale)])
                   if p]
        phrases.sort(key=lambda pv: len(pv[0]), reverse=True)
        if len(_PHRASES) >= 64:  # scale sets reloaded many times (tests): never grow without bound
            _PHRASES.clear()
        hit = _PHRASES[id(scale)] = (scale, phrases)
    return hit[1]


def parse_answer(scale: ScaleDefinition, text: str) -> ParseResult:
    norm = _compact(normalise(text))
    if not norm.replace(SEP, "").strip():
        return ParseResult()
    digit = _digit_reading(scale, norm)
    if digit is not None:
        return digit
    phrases = _phrases(scale)
    taken: list[tuple[int, int]] = []
    hits: dict[int, int] = {}
    hit_phrases: dict[int, set[str]] = {}
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
                hit_phrases.setdefault(value, set()).add(phrase)
    values = sorted(hits, key=lambda v: -hits[v])
    share = _day_share(scale, norm, taken)
    if share is not None:
        by_days = [v for v in _options_for_share(scale, share) if v not in negated]
        if by_days and set(values) <= set(by_days):
            return ParseResult(value=by_days[0]) if len(by_days) == 1 else ParseResult(candidates=by_days)
        if by_days:
            return ParseResult(candidates=sorted(set(by_days) | set(values))[:3])
    if len(values) == 1 and values[0] not in negated:
        only_cue = negated and hit_phrases[values[0]] <= NEGATION_WORDS  # "no, not every day": "no" is the cue
        if not only_cue and not _leftover_is_content(norm, taken):
            return ParseResult(value=values[0])
        return ParseResult(candidates=sorted({values[0], *_below(scale, negated)})[:3], negated=bool(negated))
    if values:
        return ParseResult(candidates=values[:3], negated=bool(negated))
    if negated:
        return ParseResult(candidates=_below(scale, negated) or _nearest(scale, negated), negated=True)
    return _similar(scale, norm)


def _day_share(scale: ScaleDefinition, norm: str, taken: list[tuple[int, int]]) -> tuple[float, float] | None:
    """Days are read only from words no phrase explained, and never when negated ("一天都没睡好")."""
    if not scale.timeframe_days:
        return None
    masked = "".join(SEP if any(s <= i < e for s, e in taken) else c for i, c in enumerate(norm))
    negated_count = re.search(r"[天日次]\S?都?(没|不)", masked)
    if negated_count or re.search(r"(没|不|never|not)\S{0,2}$", masked.split(SEP)[0]):
        return None
    return read_share(masked, scale.timeframe_days)


def _below(scale: ScaleDefinition, negated: set[int]) -> list[int]:
    """A negated high option ("不是每天") suggests the two options just below it, never one above."""
    if not negated:
        return []
    top = min(negated)
    return sorted(o.value for o in scale.options if o.value < top)[-2:]


def _nearest(scale: ScaleDefinition, negated: set[int]) -> list[int]:
    others = [o.value for o in scale.options if o.value not in negated]
    return sorted(sorted(others, key=lambda v: min(abs(v - n) for n in negated))[:2])


def _similar(scale: ScaleDefinition, norm: str) -> ParseResult:
    """Typos: a near-identical English phrase ("sevral days") is taken; anything looser is only a candidate."""
    scored = {o.value: 0.0 for o in scale.options}  # option order breaks ties, as the buttons are ordered
    for phrase, value in _phrases(scale):
        scored[value] = max(scored.get(value, 0.0), SequenceMatcher(None, norm, phrase).ratio())
    ranked = sorted(scored.items(), key=lambda vr: -vr[1])
    (best_v, best), second = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    if _is_ascii(norm) and len(norm) >= 6 and best >= 0.88 and best - second >= 0.1:
        return ParseResult(value=best_v)
    if best >= 0.6:
        return ParseResult(candidates=[v for v, r in ranked[:2] if r >= 0.5])
    return ParseResult()
