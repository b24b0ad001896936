"""Reads how often from an answer: a number of days ("一周三四天", "10 out of 14 days", "every weekday") as a share of
the scale's timeframe, or a number of times per week ("每周好几次", "once a month") for options that count times.
The words and patterns are data (data/day_counts.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.answers.vocabulary import day_counts, expand

_DATA = day_counts()
_CN = _DATA.cn_numbers
_EN = _DATA.en_numbers
_SPAN_TO = expand(_DATA.fragments["span_to"], _DATA.all_fragments())
_COUNT = _DATA.pattern("count")
_OUT_OF = _DATA.pattern("out_of")
# A count that names the window, not the days: "十四天里有九天", "in the last 14 days, 9 of them".
_WINDOW_AFTER = _DATA.pattern("window_after")
_WINDOW_BEFORE = _DATA.pattern("window_before")
_REST_BEFORE = _DATA.pattern("rest_before")  # "就休一天": days off, not days of the symptom
_EXCEPT = _DATA.pattern("except_")  # all the days but a few: "除了一两天，其他都这样", "all but one day"
_BARE_COUNT = _DATA.pattern("bare_count")  # "only the days before my exam, so like 4"
_DAYS_SAID = _DATA.pattern("days_said")
_DAY_NAMES = _DATA.day_names
_EXCEPT_WEEKDAY = _DATA.pattern("except_weekday")  # "除了周日都这样", "every day except sundays"
_WEEKDAY_SPAN = _DATA.pattern("weekday_span")  # "周二到周五都是", "mon to fri"
_ANOTHER_WEEKDAY = _DATA.pattern("another_weekday")
_WEEK = _DATA.pattern("week")
_MONTH = _DATA.pattern("month")
_FORTNIGHT = _DATA.pattern("fortnight")
_WORKDAYS = _DATA.pattern("workdays")  # working days only: five of every seven
_WEEKENDS = _DATA.pattern("weekends")
_WORDED_DAYS = [(re.compile(pattern), (lo, hi)) for pattern, lo, hi in _DATA.worded_days]
_ONE_WEEKDAY = _DATA.pattern("one_weekday")  # "就周三那天", "only on mondays": one day of each week
_TIMES = _DATA.pattern("times")
_FEW = _DATA.few_times
_EVERY_FEW_DAYS = _DATA.pattern("every_few_days")
_ONCE_A = _DATA.pattern("once_a")
_ONCE_OR_TWICE = _DATA.pattern("once_or_twice")
_DENIED_AFTER = _DATA.pattern("denied_after")
WEEKS_PER_MONTH = 4.3
# English words these patterns read, so the parser's respelling leaves them alone ("mon" is not "moon").
ENGLISH_WORDS = frozenset([*(k for k in _DAY_NAMES if k.isascii()), *(w for k in _EN for w in k.split()),
                           *_DATA.english_words])


@dataclass(frozen=True)
class Reading:
    """How often, as (low, high), and where in the text it was said (so the phrases inside it are not read again)."""

    low: float
    high: float
    start: int
    end: int
    workdays: bool = False  # "every day" inside it means every working day
    all_but: bool = False  # the days named are the days without it ("就一两天没这样")


def _number(token: str) -> float | None:
    token = token.strip()
    if token in ("十来", "十几"):
        return 11.0
    if token.isdigit():
        return float(token)
    if token in _EN:
        return float(_EN[token])
    if all(c in _CN for c in token):
        if token == "十":
            return 10.0
        if len(token) == 2 and token[0] == "十":
            return 10.0 + _CN[token[1]]
        if len(token) == 2 and token[1] == "十":
            return _CN[token[0]] * 10.0
        if len(token) == 2:  # "三四" is a range, handled by the caller
            return None
        if len(token) == 1:
            return float(_CN[token])
    return None


def _bounds(a: str, b: str | None) -> tuple[float, float] | None:
    if b is None and len(a) == 3 and a[0] == "十" and all(c in _CN for c in a[1:]) and _CN[a[2]] == _CN[a[1]] + 1:
        return (10.0 + _CN[a[1]], 10.0 + _CN[a[2]])  # "十二三天"
    if b is None and a in _DATA.worded_ranges:  # "三两天"
        return _DATA.worded_ranges[a]
    if b is None and len(a) == 2 and all(c in _CN and c != "十" for c in a):
        lo, hi = float(_CN[a[0]]), float(_CN[a[1]])  # "三四天", "两三天"
        return (lo, hi) if hi == lo + 1 or (a[0] in "一两" and a[1] in "两三") else None
    x = _number(a)
    y = _number(b) if b else x
    if x is None or y is None:
        return None
    return (min(x, y), max(x, y))


def read_share(text: str, timeframe_days: int) -> Reading | None:
    """The share of the timeframe the answer speaks of; None when it names no number of days."""
    m = _OUT_OF.search(text)
    if m:
        span, window = _bounds(m.group(1), m.group(2)), _number(m.group(3))
        if window and (m.group(4) or "").startswith("week"):
            window *= 7
        if span and window and span[1] <= window <= 31:  # "50/50" is no count of days
            return Reading(min(span[0] / window, 1.0), min(span[1] / window, 1.0), m.start(), m.end())
    if reading := _all_but(text, timeframe_days) or _named_weekdays(text):
        return reading
    counts, window_days = [], None
    for c in _COUNT.finditer(text):
        before = text[: c.start()]
        if _REST_BEFORE.search(before):
            continue
        after = _WINDOW_AFTER.match(text, c.end())
        named_window = after or _WINDOW_BEFORE.search(before)
        ratio = after is not None and _COUNT.search(text, after.end()) is not None  # "三天有两天": two of every three
        if named_window and window_days is None and c.group(2) is None and (n := _number(c.group(1))) and (
                n >= 7 or (ratio and n >= 2)):
            window_days = n
        else:
            counts.append(c)
    if not counts and (bare := _BARE_COUNT.search(text)) and _DAYS_SAID.search(text[: bare.start()]):
        counts.append(bare)
    if not counts:
        return _worded_days(text, timeframe_days)
    m = counts[0]
    span = _bounds(m.group(1), m.group(2))
    if span is None:
        return None
    before = text[: m.start()] + " " + text[m.end():]
    window = window_days or (14 if _FORTNIGHT.search(before) else 7 if _WEEK.search(before) else timeframe_days)
    if m.group(1) in ("十来", "十几"):
        span = (10.0, 11.0) if m.group(1) == "十来" else (11.0, 13.0)
    return Reading(min(span[0] / window, 1.0), min(span[1] / window, 1.0), m.start(), m.end())


def _all_but(text: str, timeframe_days: int) -> Reading | None:
    """"除了一两天" (followed by "其他都…"), "就一两天没这样", "all but one day": the timeframe less the days named."""
    m = _EXCEPT.search(text)
    if m is None:
        return None
    a, b = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5, 7) if m.group(i))
    span = _bounds(a, b)
    if span is None or span[1] >= timeframe_days:
        return None
    lo, hi = (timeframe_days - span[1]) / timeframe_days, (timeframe_days - span[0]) / timeframe_days
    return Reading(lo, hi, m.start(), m.end(), all_but=True)


def _named_weekdays(text: str) -> Reading | None:
    """"周二到周五": that many days of every week (a span across the weekend wraps round); "除了周日": six."""
    if (m := _EXCEPT_WEEKDAY.search(text)) and not re.match(_SPAN_TO, text[m.end():]):  # not "除了周一到周三"
        if _ANOTHER_WEEKDAY.match(text, m.end()):
            return None  # "除了周六周日": more than one day out; not read
        return Reading(6 / 7, 6 / 7, m.start(), m.end())
    m = _WEEKDAY_SPAN.search(text)
    if m is None:
        return None
    first, last = (g for g in m.groups() if g)
    days = (_DAY_NAMES[last] - _DAY_NAMES[first]) % 7 + 1
    return Reading(days / 7, days / 7, m.start(), m.end())


def _worded_days(text: str, timeframe_days: int) -> Reading | None:
    """Days said in words: "every weekday", "all week", "一周多", "only once", "just yesterday"."""
    if w := _WORKDAYS.search(text):
        return Reading(5 / 7, 5 / 7, w.start(), w.end(), workdays=True)
    if w := _WEEKENDS.search(text):
        return Reading(2 / 7, 2 / 7, w.start(), w.end())
    if w := _ONE_WEEKDAY.search(text):
        return Reading(1 / 7, 1 / 7, w.start(), w.end())
    for pattern, (lo, hi) in _WORDED_DAYS:
        if w := pattern.search(text):
            return Reading(min(lo / timeframe_days, 1.0), min(hi / timeframe_days, 1.0), w.start(), w.end())
    return None


def read_rate(text: str, timeframe_days: int | None = None) -> Reading | None:
    """Times per week when the answer counts times in a week or a month ("每周都有好几次", "once or twice a month"), or
    with no period in the scale's timeframe ("就一次" this month) unless the count is denied after it ("一次都没")."""
    if every := _EVERY_FEW_DAYS.search(text):  # "隔一天就来一回": every other day is three or four times a week
        return Reading(3.0, 4.0, every.start(), every.end())
    if (once := _ONCE_A.search(text)) and not _TIMES.search(text):  # "roughly weekly"
        rate = 1.0 if once.group(0) == "weekly" else 1 / WEEKS_PER_MONTH
        return Reading(rate, rate, once.start(), once.end())
    weekly = _WEEK.search(text)
    period = weekly or _MONTH.search(text)
    m = _TIMES.search(text)
    if m is None or _DENIED_AFTER.match(text, m.end()) or (period is None and timeframe_days is None):
        return None
    if m.group(0) in _FEW:
        lo, hi = _FEW[m.group(0)]
        if m.group(0) == "once" and _ONCE_OR_TWICE.search(text):
            lo, hi = 1.0, 2.0
    else:
        bounds = _bounds(m.group(1), m.group(2))
        if bounds is None:
            return None
        lo, hi = bounds
    if period is None:
        weeks = timeframe_days / 7  # type: ignore[operator]
        return Reading(lo / weeks, hi / weeks, m.start(), m.end())
    if weekly is None:
        lo, hi = lo / WEEKS_PER_MONTH, hi / WEEKS_PER_MONTH
    return Reading(lo, hi, min(m.start(), period.start()), max(m.end(), period.end()))
