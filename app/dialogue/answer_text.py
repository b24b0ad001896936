"""How a typed answer (and every scale phrase) is written down before it is read: one case, one width, clause
breaks for punctuation, dialect and chat shorthand in plain words, so that a phrase matches however it was typed."""
from __future__ import annotations

import re
import unicodedata

from app.dialogue.dialect import to_mandarin

SEP = "|"  # clause boundary: negation never reaches across punctuation
PUNCT = re.compile(r"[,.!?;:，。！？；：、~～…\"“”‘’()（）\[\]【】|]+")
_SYMBOLS = {"So", "Sk", "Cf", "Co", "Cs"}  # emoji, ZWJ and the like: no words
_DASH = re.compile(r"(?:^|\s)[-–—]+(?:\s|$)")  # a dash between words separates clauses; "mon-fri" keeps its own
_CONTRACTION = re.compile(r"n['’]t\b")
# "压根儿", "这事儿": the Beijing 儿 adds no word ("偶儿" is a slip of 偶尔, left for the homophone repair).
_ERHUA = re.compile(r"(?<=[\u4e00-\u9fff])(?<!偶)儿(?![子女童科歌])")

# (pattern, the same said plainly), applied in order. One word for a night and a day: a daily symptom is asked
# about in days, sleep is told in nights. Chat shorthand and idioms whose words would read as an answer ("no matter
# what" is no "no"). Double negations say every day ("没有哪天不担心").
_PLAIN = [(re.compile(pattern), plain) for pattern, plain in [
    (r"\b(more|less|fewer) then\b", r"\1 than"),
    (r"\bover half\b", "more than half"),
    (r"\b(the )?majority of (the )?days\b", "most days"),
    (r"每个?晚上?|每夜|天天晚上|夜夜", "每天"),
    (r"\bevery (single )?night\b", r"every \1day"),
    (r"\b(nightly|daily)\b", "every day"),
    (r"\b(most|many|a lot) of the days\b", r"\1 days"),
    (r"\bv\b(?= \w)", "very"), (r"\blil\b", "little"), (r"\babt\b", "about"), (r"\bprolly\b", "probably"),
    (r"\brn\b", "now"),
    (r"\bno matter\b", "regardless"),
    (r"\bno exceptions?\b", "without exception"),
    (r"\bnever (?:stops?|ends?|goes away|go away|lets up|let up|leaves)\b", "all the time"),
    (r"\bnot (?:even )?(?:one|a single) (?:time|day|night)\b(?! (?:of|with|without|that|when)\b)", "not once"),
    (r"没有?一天例外|无一例外", "每天"),
    (r"没有?办法|没辙", "无奈"),  # "no way out" is not "no"
    (r"\bonly (?:on )?the days\b", "some days"),
    (r"\bsome times\b(?! a)", "sometimes"),
    (r"\b(?:not|never) (?:have|had|get|got) (?:this|that|the|any|such|these) (?:problems?|issues?)\b", "not at all"),
    (r"\bnot a (?:single )?day (?:goes by )?without\b|\bno day without\b", "every day"),
    (r"没有?(?:哪|一)一?(?:天|日)(?:是)?不|一天(?:都|也)?(?:不落|没落下?)", "每天"),
    (r"没有?(?:哪|一)一?次(?:是)?不", "每次"),
    (r"\bno (?:break|breaks|rest|let up|letup|days? off)\b", "without a break"),
    # "I have not felt that at all" is "not at all"; "could not wind down at all" describes the symptom
    (r"\b(not|never) ((?:had|have|felt|feel|experienced|noticed|been|got|happened|bothered)(?: [a-z]+){0,2} )"
     r"at all\b", r"not at all \2"),
    (r"\b(some|few|several|many|most|two|three|four|five|six|seven|eight|nine|ten) day\b", r"\1 days"),
]]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = "".join(c for c in text if unicodedata.category(c) not in _SYMBOLS)
    text = _CONTRACTION.sub(" not", text).replace("'", "").replace("’", "")
    text = re.sub(r"\s+", " ", PUNCT.sub(f" {SEP} ", _DASH.sub(f" {SEP} ", text))).strip(f" {SEP}")
    text = _ERHUA.sub("", to_mandarin(text))
    for pattern, plain in _PLAIN:
        text = pattern.sub(plain, text)
    return text


def compact(text: str) -> str:
    """Chinese phrases match without spaces; English keeps single spaces for word boundaries."""
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
