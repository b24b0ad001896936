"""Text normalisation shared by the crisis lexicon and the screen, so patterns and messages meet in one form.

Both the lexicon's literal phrases and every employee message go through `normalize`, which is why a phrase
written once ("I don't want to live") also matches "I dont want to live", "I DON’T want to live" and
full-width or spaced-out Chinese ("不 想 活 了", "不想活了").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Separators people put between Chinese characters (deliberately or by IME habit) that carry no meaning there.
_CJK_GLUE = re.compile(rf"(?<=[{CJK}])[\s\-_.·・*~/|+'\"]+(?=[{CJK}])")
# "不，想，活，了": three or more single characters each separated by a comma-like mark.
_CJK_SPELLED = re.compile(rf"(?<![{CJK}])[{CJK}](?:[,、][{CJK}]){{2,}}(?![{CJK}])")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u02bc\u0060\u00b4\u2032"}
_WS = re.compile(r"[^\S\n]+")

# English contractions and apostrophe-less spellings, expanded so negation cues and phrases have one spelling.
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\b(?:can't|cant|cannot)\b", "can not"),
        (r"\b(?:won't|wont)\b", "will not"),
        (r"\b(?:ain't|aint)\b", "am not"),
        (r"\b(do|does|did|is|are|was|were|would|could|should|have|has|had|must|need|might)(?:n't|nt)\b", r"\1 not"),
        (r"\b(?:i'm|im)\b", "i am"),
        (r"\b(?:i've|ive)\b", "i have"),
        (r"\bi'd\b", "i would"),
        (r"\bi'll\b", "i will"),
        (r"\b(what|that|it|there|here|who|where|how|life|everything|nothing)'s\b", r"\1 is"),
        (r"\b(what|that|there)s\b", r"\1 is"),
        (r"\b(\w+)'re\b", r"\1 are"),
        (r"\b(\w+)'ve\b", r"\1 have"),
        (r"\b(\w+)'ll\b", r"\1 will"),
        (r"\b(\w+)'d\b", r"\1 would"),
        (r"\bwanna\b", "want to"),
        (r"\bgonna\b", "going to"),
        (r"\bgotta\b", "got to"),
    )
)


def variant_table(variants: Mapping[str, str]) -> dict[int, str]:
    """Build a str.translate table from single-character traditional → simplified variants."""
    return {ord(k): v for k, v in variants.items()}


def normalize(text: str, variants: Mapping[int, str] | None = None) -> str:
    """Fold width, case, traditional variants, apostrophes, contractions and CJK spacing into one canonical form."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = s.translate(_ZERO_WIDTH).translate(_QUOTES)
    if variants:
        s = s.translate(variants)
    s = _CJK_SPELLED.sub(lambda m: re.sub(r"[,、]", "", m.group(0)), s)
    s = _CJK_GLUE.sub("", s)
    for pattern, repl in _CONTRACTIONS:
        s = pattern.sub(repl, s)
    return _WS.sub(" ", s).strip()
