"""Reads how often from an answer: a number of days ("一周三四天", "10 out of 14 days", "every weekday") as a share of
the scale's timeframe, or a number of times per week ("每周好几次", "once a month") for options that count times."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
       "九": 9, "十": 10}
_EN = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
       "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "a couple of": 2,
       "a couple": 2, "couple of": 2, "couple": 2}
_NUM = r"(?:\d{1,2}|十来|十几|[零〇一二两俩三四五六七八九十]{1,3}|zero|one|two|three|four|five|six|seven|eight|nine" \
       r"|ten|eleven|twelve|thirteen|fourteen|a couple of|a couple|couple of|couple)"
_RANGE = rf"({_NUM})(?:\s*(?:-|~|到|至|或|、|,|\||or|to)?\s*({_NUM}))?"  # "|": a comma the parser made a clause break
_COUNT = re.compile(rf"{_RANGE}\s*(?:个)?\s*(天|日|次|回|晚|days?|nights?|times?)")
_OUT_OF = re.compile(rf"{_RANGE}\s*(?:days?\s*)?(?:out of|of|in)(?: the)?(?: (?:last|past))?"
                     rf"\s*({_NUM})\s*(days?|weeks?)?")
# A count that names the window, not the days: "十四天里有九天", "in the last 14 days, 9 of them".
_WINDOW_AFTER = re.compile(r"\s*(?:里面?|中|内|之内|之中|当中)")
_WINDOW_BEFORE = re.compile(r"(?:\b(?:last|past|out of|of|in|over)(?: the)?(?: (?:last|past))?|过去的?|最近的?|两周|"
                            r"两个?星期|两个?礼拜)\s*$")
# All the days but a few: "除了一两天，其他都这样", "all but one day", "every day except two".
_EXCEPT = re.compile(rf"(?:除了|除去|除开)\s*{_RANGE}\s*(?:个)?\s*(?:天|日|晚)|"
                     rf"(?:就|只有|只)\s*{_RANGE}\s*(?:个)?\s*(?:天|日|晚)\s*(?=没|不)|"
                     rf"\ball but\s*{_RANGE}\s*(?:days?|nights?)?|"
                     rf"\bevery (?:day|night)\s*(?:\|\s*)?(?:except|but)(?: for)?\s*{_RANGE}\s*(?:days?|nights?)?")
# A number left bare at the end, after the answer spoke of days: "only the days before my exam, so like 4".
_BARE_COUNT = re.compile(rf"(?:\bso|\bmaybe|\blike|\babout|\baround|\broughly|\bprobably|大概|估计|也就)\s*"
                         rf"(?:(?:like|maybe|about|around)\s*)?{_RANGE}(?:\s*of them)?\s*$")
_DAYS_SAID = re.compile(r"\bdays?\b|天|日子")
_DAY_NAMES = {**{c: i for i, c in enumerate("一二三四五六日", 1)}, "天": 7, **{d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), 1)},
    **{d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 1)}}
_WEEKDAY = r"(?:周|星期|礼拜)([一二三四五六日天])|" \
           r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)s?\b"
# Every day but one named weekday: "除了周日都这样", "every day except sundays".
_EXCEPT_WEEKDAY = re.compile(rf"(?:除了|除去|除开)\s*[上这]?(?:{_WEEKDAY})|"
                             rf"\bevery ?day (?:except|but)(?: for)?(?: on)? (?:{_WEEKDAY})")
# The days from one weekday to another, every week: "周二到周五都是", "mon to fri".
_SPAN_TO = r"\s*(?:-|~|到|至|to|through|thru|till|until)\s*"
_WEEKDAY_SPAN = re.compile(rf"(?:从)?(?:{_WEEKDAY}){_SPAN_TO}(?:{_WEEKDAY})")
_ANOTHER_WEEKDAY = re.compile(rf"\s*(?:和|、|and|or|\||&)?\s*(?:{_WEEKDAY})")
_WEEK = re.compile(r"一周|每周|一个?星期|每个?星期|一个?礼拜|每个?礼拜|周[里内]|这周|本周|a week|per week|each week|"
                   r"every week|this week|weekly")
_MONTH = re.compile(r"一个?月|每个?月|这个?月|a month|per month|each month|every month|this month|monthly")
_FORTNIGHT = re.compile(r"两周|两个?星期|两个?礼拜|半个月|十四天|14天|two weeks|2 weeks|fortnight")
# Working days only: five of every seven, whatever word says "every" ("上班的日子天天都是", "every weekday").
_WORKDAYS = re.compile(r"除了?周末|周末除外|工作日|上班的?日子|上班日|上班的时候|上班时|weekdays?|workdays?|work days|"
                       r"except (?:on )?weekends?|except the weekends?")
_WEEKENDS = re.compile(r"\b(?:only|just|mostly)? ?(?:on |at )?(?:the )?weekends?\b|"
                       r"(?:只有|只在|都在)周末|周末的?时候")  # not "也就周末能好点": the weekend is the exception
_WORDED_DAYS = [(re.compile(r"\ball week\b|\bthe whole week\b|\bevery day this week\b|一整周|整周|整个星期|一整个星期"),
                 (7.0, 7.0)),
                (re.compile(r"一周多|一个多星期|一个多礼拜|\bmore than a week\b|\bover a week\b"), (8.0, 10.0)),
                (re.compile(r"\b(only|just) (once|one day|yesterday|today)\b|\bonce\b|\bone time\b|只有一次|就一次|"
                            r"就昨天|只有昨天"), (1.0, 1.0)),
                (re.compile(r"\btwice\b"), (2.0, 2.0)),
                (re.compile(r"\ba day or two\b|\ba night or two\b"), (1.0, 2.0))]
# One named weekday ("就周三那天", "only on mondays"): one day of each week.
_ONE_WEEKDAY = re.compile(rf"(?:就|只有|只在|只是|\bonly (?:on )?|\bjust (?:on )?)(?:{_WEEKDAY})")
_TIMES = re.compile(rf"{_RANGE}\s*(?:次|回|times?)|好几次|好几回|几次|几回|once|twice|a few times|several times|"
                    r"a couple of times|a couple times|many times|多次")
_FEW = {"好几次": (3.0, 4.0), "好几回": (3.0, 4.0), "几次": (3.0, 4.0), "几回": (3.0, 4.0), "a few times": (3.0, 4.0),
        "several times": (3.0, 4.0), "a couple of times": (2.0, 2.0), "a couple times": (2.0, 2.0),
        "once": (1.0, 1.0), "twice": (2.0, 2.0), "many times": (3.0, 6.0), "多次": (3.0, 6.0)}
_EVERY_FEW_DAYS = re.compile(r"(?:每?隔一?天|\bevery (?:other|second) day)(?:[^|]{0,4}?(?:一回|一次|\bonce\b))?")
_ONCE_A = re.compile(r"\b(?:weekly|monthly)\b")
_DENIED_AFTER = re.compile(r"\s*(?:都|也)?\s*(?:没|不)")
WEEKS_PER_MONTH = 4.3
# English words these patterns read, so the parser's respelling leaves them alone ("mon" is not "moon").
ENGLISH_WORDS = frozenset([*(k for k in _DAY_NAMES if k.isascii()), *(w for k in _EN for w in k.split()),
                           "except", "weekend", "weekends", "weekday",
                           "weekdays", "workdays", "fortnight", "out", "all", "every", "once", "twice"])


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
        if span and window and span[1] <= window:
            return Reading(min(span[0] / window, 1.0), min(span[1] / window, 1.0), m.start(), m.end())
    if reading := _all_but(text, timeframe_days) or _named_weekdays(text):
        return reading
    counts, window_days = [], None
    for c in _COUNT.finditer(text):
        named_window = _WINDOW_AFTER.match(text, c.end()) or _WINDOW_BEFORE.search(text[: c.start()])
        if named_window and window_days is None and c.group(2) is None and (n := _number(c.group(1))) and n >= 7:
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
        if m.group(0) == "once" and re.search(r"once or twice|once or two", text):
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
