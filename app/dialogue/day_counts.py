"""Reads a number of days from an answer ("一周三四天", "like 2 days a week", "10 out of 14 days") as a share of
the scale's timeframe, for options that declare the share of days they stand for."""
from __future__ import annotations

import re

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
       "九": 9, "十": 10}
_EN = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
       "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "a couple of": 2,
       "a couple": 2}
_NUM = r"(?:\d{1,2}|十来|十几|[零〇一二两俩三四五六七八九十]{1,3}|zero|one|two|three|four|five|six|seven|eight|nine" \
       r"|ten|eleven|twelve|thirteen|fourteen|a couple of|a couple)"
_RANGE = rf"({_NUM})(?:\s*(?:-|~|到|至|或|、|,|or|to)?\s*({_NUM}))?"
_COUNT = re.compile(rf"{_RANGE}\s*(?:个)?\s*(天|日|次|晚|days?|nights?|times?)")
_OUT_OF = re.compile(rf"{_RANGE}\s*(?:days?\s*)?(?:out of|of the|in)\s*({_NUM})\s*(?:days?)?")
_WEEK = re.compile(r"一周|每周|一个?星期|每个?星期|一个?礼拜|每个?礼拜|周[里内]|这周|本周|a week|per week|each week|"
                   r"every week|this week|weekly")
_FORTNIGHT = re.compile(r"两周|两个?星期|两个?礼拜|半个月|十四天|14天|two weeks|2 weeks|fortnight")


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
    if b is None and len(a) == 2 and all(c in _CN and c != "十" for c in a):
        lo, hi = float(_CN[a[0]]), float(_CN[a[1]])  # "三四天", "两三天"
        return (lo, hi) if hi == lo + 1 or (a[0] in "一两" and a[1] in "两三") else None
    x = _number(a)
    y = _number(b) if b else x
    if x is None or y is None:
        return None
    return (min(x, y), max(x, y))


def read_share(text: str, timeframe_days: int) -> tuple[float, float] | None:
    """The share of the timeframe the answer speaks of, as (low, high); None when it names no number of days."""
    m = _OUT_OF.search(text)
    if m:
        span, window = _bounds(m.group(1), m.group(2)), _number(m.group(3))
        if span and window:
            return (min(span[0] / window, 1.0), min(span[1] / window, 1.0))
    m = _COUNT.search(text)
    if not m:
        return None
    span = _bounds(m.group(1), m.group(2))
    if span is None:
        return None
    before = text[: m.start()] + " " + text[m.end():]
    window = 7 if _WEEK.search(before) else 14 if _FORTNIGHT.search(before) else timeframe_days
    if m.group(1) in ("十来", "十几"):
        span = (10.0, 13.0)
    return (min(span[0] / window, 1.0), min(span[1] / window, 1.0))
