"""Understands an answer typed in the employee's own words, from the scale's labels and synonyms (data, not code).

It returns one option only when it is sure; otherwise the likeliest candidates so the bot can ask to confirm. A wrong
"sure" silently changes a health score, so every doubt (negation, two readings, many unexplained words) asks.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import wraps
from typing import TypeVar

from app.answers.day_counts import ENGLISH_WORDS, Reading, read_rate, read_share
from app.answers.typo_repair import repair, respell
from app.answers.vocabulary import day_counts, expand, reading
from app.answers.wording import PUNCT, SEP, compact, plain_words
from app.language.negation import compile_negation
from app.scales.definitions import ScaleDefinition

_R = reading()
_ZH_NEGATION = compile_negation(_R.negation.zh, "chars")
_EN_NEGATION = compile_negation(_R.negation.en, "words")
_COUNT_NEGATION = compile_negation(_R.negation.count, "chars")
_DENIED_AFTER = re.compile(_R.denied_after)
_DIGITS = re.compile(_R.digits)
_CN_DIGITS = _R.cn_digits
_NOT_JUST_A_NUMBER = re.compile(_R.not_just_a_number)
_WHEN = re.compile(_R.when)  # words that only say when: context, not content, in the answer's clause
_CONTRARY = re.compile(_R.contrary)  # the answer is fine, or corrected
_HEDGE = re.compile(_R.hedge)  # unsure, or yes and no: whatever else the words say, the bot asks
_NO_GOOD_DAY = re.compile(expand(_R.no_good_day, {"good": _R.good}))  # not one good day: the symptom every day
_OTHER_TIMES = re.compile(_R.other_times)  # the rest of the time: context
_ALTERNATIVE = re.compile(_R.alternative)
_CORRECTION = re.compile(_R.correction)
_CORRECTION_LEAD = re.compile(_R.correction_lead)
_BUT_TURN = re.compile(_R.but_turn)
_DAYS_DENIED = re.compile(_R.days_denied)
# Words that carry no content of their own in an answer; anything else left unexplained makes the parser ask.
_ZH_FILLER = re.compile(_R.zh_filler)
_WHOLE_ANSWERS = _R.whole_answers  # a bare "无" or "没" is "none"; inside other words they are not
# a number spelled out on its own reads as its digit (day_counts.yaml's English numbers, one word each)
_SPELLED = {w: str(n) for w, n in day_counts().en_numbers.items() if " " not in w and w != "couple"}
_PARTICLES = re.compile(_R.particles)
_NUMBER_TALK = frozenset(_R.number_talk)
_ZH_TIMEFRAME = re.compile(_R.zh_timeframe)
_EN_FILLER = frozenset(_R.en_filler)
_FUNCTION_WORDS = frozenset(_R.function_words)  # never respelt into a scale word ("them" is not "the")
NEGATION_WORDS = frozenset(_R.negation_words)
T = TypeVar("T")


def per_scale(build: Callable[[ScaleDefinition], T]) -> Callable[[ScaleDefinition], T]:
    """Builds a scale's word lists once per loaded scale (rebuilding them was most of a parse); scales are not
    hashable, so the memo is keyed by identity and checked, and cleared when scale sets are reloaded many times."""
    memo: dict[int, tuple[ScaleDefinition, T]] = {}

    @wraps(build)
    def cached(scale: ScaleDefinition) -> T:
        hit = memo.get(id(scale))
        if hit is None or hit[0] is not scale:
            if len(memo) >= 64:
                memo.clear()
            hit = memo[id(scale)] = (scale, build(scale))
        return hit[1]
    return cached


@dataclass(frozen=True)
class ParseResult:
    value: int | None = None
    candidates: list[int] = field(default_factory=list)
    negated: bool = False

    @property
    def sure(self) -> bool:
        return self.value is not None


def _is_ascii(s: str) -> bool:
    return s.isascii()


def _find(phrase: str, text: str) -> list[tuple[int, int]]:
    if phrase not in text:  # most phrases of a scale are not in a short answer: a C-speed test first
        return []
    if _is_ascii(phrase):
        return [m.span() for m in re.finditer(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text)]
    spans, start = [], text.find(phrase)
    while start != -1:
        spans.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    return spans


def _negated(text: str, start: int, phrase: str) -> bool:
    if phrase in NEGATION_WORDS and text[:start].rstrip(" ,，").endswith(phrase):
        return False  # "no no", "没没": a denial said twice is not denied
    return (_EN_NEGATION if _is_ascii(phrase) else _ZH_NEGATION).negates(text, start)


def _options_for_share(scale: ScaleDefinition, share: tuple[float, float]) -> list[int]:
    lo, hi = share
    return [o.value for o in scale.options if o.share is not None
            and o.share[0] - 0.02 <= hi + 1e-9 and lo - 1e-9 <= o.share[1] + 0.02]


def _options_for_rate(scale: ScaleDefinition, rate: Reading) -> list[int]:
    return [o.value for o in scale.options if o.per_week is not None
            and o.per_week[0] <= rate.high + 1e-9 and rate.low - 1e-9 <= o.per_week[1]]


def _words_beside_a_number(text: str) -> list[str]:
    """The English words that say more than "it is this number" ("i think", "option" say nothing more)."""
    return [w for w in re.findall(r"[a-z]+", text) if w not in _EN_FILLER and w not in _NUMBER_TALK]


def _asked_number(scale: ScaleDefinition, text: str) -> ParseResult | None:
    """Where the instructions ask for a number: "a 2 I think" is 2, "2 or 3" asks, "5" is no answer."""
    words = _words_beside_a_number(text)
    digits = [int(d) for d in re.findall(r"(?<!\d)\d{1,2}(?!\d)", text)]
    if words or not digits or _NOT_JUST_A_NUMBER.search(text):
        return None
    values = {o.value for o in scale.options}
    if not set(digits) <= values:
        return ParseResult()
    return ParseResult(value=digits[0]) if len(set(digits)) == 1 else ParseResult(candidates=sorted(set(digits)))


def _digit_reading(scale: ScaleDefinition, text: str, locale: str | None) -> ParseResult | None:
    if locale in scale.number_answers:
        if (asked := _asked_number(scale, text)) is not None:
            return asked
        head, _, tail = text.partition(SEP)  # "2 - it was a rough week": the number, then why
        if tail and not re.search(r"\d", tail) and not _CORRECTION.search(tail) \
                and (asked := _asked_number(scale, head.strip())) is not None and asked.sure:
            return asked
    m = _DIGITS.match(text)
    raw = m.group(1) if m else (str(_CN_DIGITS[text]) if text in _CN_DIGITS else _bare_digit(text))
    if raw is None:
        return None
    d = int(raw)
    readings = set()
    if any(o.value == d for o in scale.options):
        readings.add(d)  # the response value itself
    elif not scale.counts_days:
        return ParseResult(candidates=[o.value for o in scale.options[d - 1: d]])  # a count of times? ask
    if 1 <= d <= len(scale.options):
        readings.add(scale.options[d - 1].value)  # the d-th button
    if scale.counts_days and d <= scale.timeframe_days:  # type: ignore[operator]
        readings.update(_options_for_share(scale, (d / scale.timeframe_days,) * 2))  # d days
    if len(readings) == 1:
        return ParseResult(value=readings.pop())
    return ParseResult(candidates=sorted(readings))


def _bare_digit(text: str) -> str | None:
    """"3 i think", "3吧": one number with words that say nothing more (read as a bare number would be)."""
    rest = _PARTICLES.sub("", text)
    words = _words_beside_a_number(rest)
    digits = re.findall(r"\d+", rest)
    if words or len(digits) != 1 or len(digits[0]) > 2 or _NOT_JUST_A_NUMBER.search(rest):
        return None
    return digits[0]


def _content(scale: ScaleDefinition, rest: str) -> bool:
    """Filler, time-frame words and words of the scale's own items ("每天都口干舌燥") say nothing new."""
    echo_chars, echo_words = _echo(scale)
    cjk = _ZH_FILLER.sub("", _ZH_TIMEFRAME.sub("", re.sub(r"[\x00-\x7f]", "", rest)))
    cjk = "".join(c for c in cjk if c not in echo_chars)
    words = [w for w in re.findall(r"[a-z]+", rest) if w not in _EN_FILLER and w not in echo_words]
    return len(cjk) > 4 or len(words) > 2


@per_scale
def _echo(scale: ScaleDefinition) -> tuple[frozenset[str], frozenset[str]]:
    texts = [i.text.get(loc) for i in scale.items for loc in ("zh-CN", "en")]
    chars = frozenset(c for t in texts for c in t if not c.isascii())
    return chars, frozenset(w for t in texts for w in re.findall(r"[a-z]+", plain_words(t)) if len(w) > 3)


def _leftover_is_content(scale: ScaleDefinition, text: str, taken: list[tuple[int, int]], value: int) -> bool:
    """True when the words no phrase explained say something: in the answer's own clause (an echo of the item,
    another topic), or anywhere when they call a frequent answer fine or correct it ("fine" beside the mildest
    frequency plays it down: "几天而已，还好"). Other clauses are context."""
    rest = "".join(" " if any(s <= i < e for s, e in taken) else c for i, c in enumerate(text))
    rest = _OTHER_TIMES.sub(" ", _NO_GOOD_DAY.sub(" ", rest))
    if _CORRECTION.search(rest) or (value > scale.min_value + 1 and _CONTRARY.search(rest)):
        return True
    for when in _WHEN.finditer(text):
        rest = rest[: when.start()] + " " * (when.end() - when.start()) + rest[when.end():]
    pos, answered = 0, False
    for clause in text.split(SEP):
        end = pos + len(clause)
        if any(pos <= s < end for s, _ in taken):
            if _content(scale, rest[pos:end]):
                return True
            answered = True
        elif answered and value == scale.min_value and _turns_to_more(clause):
            return True
        pos = end + len(SEP)
    return False


def _turns_to_more(clause: str) -> bool:
    """A clause after "none" that turns ("就是睡太多", "but once") and says more than that it is fine."""
    turn = _BUT_TURN.match(clause)
    if turn is None:
        return False
    said = _ZH_FILLER.sub("", clause[turn.end():])
    said = " ".join(w for w in re.findall(r"[a-z]+|[^\x00-\x7f]+", said) if w not in _EN_FILLER)
    return bool(said.strip()) and not _CONTRARY.search(said)


@per_scale
def _phrases(scale: ScaleDefinition) -> list[tuple[str, int]]:
    """Every label, synonym and in-between phrase normalised, longest first; an in-between phrase appears once, with
    its lowest value (`_in_between` has them all)."""
    phrases = [(p, opt.value) for opt in scale.options for locale in ("zh-CN", "en")
               for p in (compact(plain_words(raw)) for raw in [opt.label.get(locale), *opt.synonyms.get(locale)])
               if p]
    phrases += [(p, min(values)) for p, values in _in_between(scale).items()]
    phrases.sort(key=lambda pv: len(pv[0]), reverse=True)
    return phrases


@per_scale
def _english_words(scale: ScaleDefinition) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words of the scale's English phrases, the words known to carry no answer of their own, the phrases."""
    english = frozenset(p for p, _ in _phrases(scale) if p.isascii())
    vocabulary = frozenset(w for p in english for w in re.findall(r"[a-z]+", p) if len(w) >= 3)  # "non-stop": non
    return vocabulary, frozenset(_EN_FILLER | _FUNCTION_WORDS | _NUMBER_TALK | NEGATION_WORDS | ENGLISH_WORDS
                                         | _echo(scale)[1]), english


@per_scale
def _in_between(scale: ScaleDefinition) -> dict[str, frozenset[int]]:
    return {compact(plain_words(raw)): frozenset(values) for by_phrase in scale.in_between.values()
            for raw, values in by_phrase.items()}


def parse_answer(scale: ScaleDefinition, text: str, locale: str | None = None) -> ParseResult:
    """`locale` is the employee's: a bare digit is a value only where that locale's instructions ask for one."""
    said = compact(plain_words(text))
    head, sep, tail = said.partition(SEP)  # a bare "没" is "none" as the answer or its first clause ("没，挺放松的")
    said = _WHOLE_ANSWERS.get(head) or _SPELLED.get(head, head)
    said += sep + tail
    norm = respell(said, *_english_words(scale)) if re.search(r"[a-z]", said) else said
    result = _read(scale, norm, text, locale)
    if _NO_GOOD_DAY.search(norm):
        top = scale.max_value
        if result.value == top or not scale.counts_days:  # times of a mixed-polarity item: ask
            return result if result.value == top else ParseResult()
        return ParseResult(candidates=[top])
    if result.sure and (_HEDGE.search(said) or _HEDGE.search(norm)):  # before respelling: "hard to say"
        return ParseResult(candidates=[result.value])  # type: ignore[list-item]
    return result


def _read(scale: ScaleDefinition, norm: str, text: str, locale: str | None) -> ParseResult:
    """The words as typed, then with homophone slips repaired, then (a few words) with punctuation ignored."""
    result = _parse(scale, norm, locale)
    if result.sure:
        return result
    retries = [repair(norm, [p for p, _ in _phrases(scale)], whole=_PARTICLES.sub("", norm))]
    turns = any(_BUT_TURN.match(clause) for clause in norm.split(SEP)[1:])  # "没有，就是…" keeps its comma
    if SEP in norm and len(norm.replace(SEP, " ").split()) <= 4 and not turns:  # "Every. Single. Night."
        retries.append(compact(plain_words(PUNCT.sub(" ", text)).replace(SEP, " ")))  # no clause marks at all
    for retry in retries:
        if retry and (again := _parse(scale, retry, locale)).sure:
            return again
    return result


def _parse(scale: ScaleDefinition, norm: str, locale: str | None) -> ParseResult:
    if not norm.replace(SEP, "").strip():
        return ParseResult()
    digit = _digit_reading(scale, norm, locale)
    if digit is not None:
        return digit
    rate = read_rate(norm, scale.timeframe_days) if scale.counts_times else None
    if rate is not None and _count_negated(norm, rate):
        rate = None  # "not once this month": the words say it
    taken: list[tuple[int, int]] = [(rate.start, rate.end)] if rate else []  # "好几次" inside "每周好几次"
    hits: dict[int, int] = {}
    hit_phrases: dict[int, set[str]] = {}
    negated: set[int] = set()
    between: list[frozenset[int]] = []  # phrases that sit between options ("sometimes" on PHQ-9)
    in_between = _in_between(scale)
    for phrase, value in _phrases(scale):
        for start, end in _find(phrase, norm):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            if _negated(norm, start, phrase) or _DENIED_AFTER.match(norm, end):
                negated.update(in_between.get(phrase, {value}))
            elif phrase in in_between:
                between.append(in_between[phrase])
            else:
                hits[value] = hits.get(value, 0) + (end - start)
                hit_phrases.setdefault(value, set()).add(phrase)
    sure = sorted(hits, key=lambda v: -hits[v])
    how_often = _how_often(scale, norm, taken, rate, sure, between, negated)
    if how_often is not None and how_often.sure and _CORRECTION.search(_CORRECTION_LEAD.sub("", norm)):
        # "once a week or maybe more", "一周四五天，其实更多"; a leading "其实" only leads in
        return ParseResult(candidates=[how_often.value])  # type: ignore[list-item]
    if how_often is not None:
        return how_often
    values = sure
    if between and not (len(sure) == 1 and all(sure[0] in b for b in between) and not _ALTERNATIVE.search(norm)):
        values = sorted(set(sure).union(*between))  # "often, maybe very often" asks; "kind of, a little bit" is 1
        values = [v for v in values if v not in negated] or values  # "经常，不是天天", "often but not daily": 2
    if len(values) == 1 and values[0] not in negated:
        only_cue = negated and not between and hit_phrases.get(values[0], set()) <= NEGATION_WORDS  # "no, not daily"
        if not only_cue and not _leftover_is_content(scale, norm, taken, values[0]):
            return ParseResult(value=values[0])
        return ParseResult(candidates=sorted({values[0], *_below(scale, negated)})[:3], negated=bool(negated))
    if values:
        return ParseResult(candidates=values[:3], negated=bool(negated))
    if negated:
        return ParseResult(candidates=_below(scale, negated) or _nearest(scale, negated), negated=True)
    return _similar(scale, norm)


def _how_often(scale: ScaleDefinition, norm: str, taken: list[tuple[int, int]], rate: Reading | None,
               sure: list[int], between: list[frozenset[int]], negated: set[int]) -> ParseResult | None:
    """A count of days or times decides when the phrases agree with it; otherwise both readings are offered."""
    if rate is not None:
        counted = _options_for_rate(scale, rate)
    else:
        share = _day_share(scale, norm, taken)
        if share is None:
            return None
        counted = _options_for_share(scale, (share.low, share.high))
        if share.workdays:  # "上班的日子天天都是": the "every day" is every working day
            top = {o.value for o in scale.options if o.share and o.share[1] >= 1.0}
            sure = [v for v in sure if v not in top]
    counted = [v for v in counted if v not in negated]
    if not counted:
        return None
    if set(sure) <= set(counted) and all(b & set(counted) for b in between):
        return ParseResult(value=counted[0]) if len(counted) == 1 else ParseResult(candidates=counted)
    return ParseResult(candidates=sorted(set(counted).union(sure, *between))[:3])


def _count_negated(norm: str, reading: Reading) -> bool:
    """"不到三天", "not 3 days": a count that is denied is no count to read."""
    return _COUNT_NEGATION.negates(norm, reading.start)


def _day_share(scale: ScaleDefinition, norm: str, taken: list[tuple[int, int]]) -> Reading | None:
    """Days are read only from words no phrase explained, never when negated ("一天都没睡好") and never from a clause
    that calls something fine."""
    if not scale.counts_days:
        return None
    masked = "".join(SEP if any(s <= i < e for s, e in taken) else c for i, c in enumerate(norm))
    # a clause calling something fine counts the fine days ("nope, slept fine all week"), not the answer's
    masked = SEP.join(" " * len(c) if _CONTRARY.search(c) else c for c in masked.split(SEP))
    share = read_share(masked, scale.timeframe_days)
    if share is None or _count_negated(masked, share):
        return None
    return share if share.all_but or not _DAYS_DENIED.search(masked) else None


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
    """Typos: a near-identical English phrase ("sevral days") is taken; anything looser is only a candidate. A long
    text that matched no phrase is not a typo of one (and comparing it with every phrase is slow)."""
    if len(norm) > 32:
        return ParseResult()
    scored = {o.value: 0.0 for o in scale.options}  # option order breaks ties, as the buttons are ordered
    in_between = _in_between(scale)
    for phrase, value in _phrases(scale):
        ratio = SequenceMatcher(None, norm, phrase).ratio()
        for v in in_between.get(phrase, (value,)):
            scored[v] = max(scored.get(v, 0.0), ratio)
    ranked = sorted(scored.items(), key=lambda vr: -vr[1])
    (best_v, best), second = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    if _is_ascii(norm) and len(norm) >= 6 and best >= 0.88 and best - second >= 0.1:
        return ParseResult(value=best_v)
    if best >= 0.6:
        return ParseResult(candidates=[v for v, r in ranked[:2] if r >= 0.5])
    return ParseResult()
