"""Cantonese and Wu words employees type in chat, read as the Mandarin the scales' phrases are written in.

The words are data (data/dialect.yaml): only words that cannot be Mandarin in an answer are listed.
"""
from __future__ import annotations

import re

from app.answers.vocabulary import dialect

_WORDS = dialect().words
_PATTERN = re.compile("|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)))
_CLAUSE_END_PARTICLE = re.compile(dialect().clause_end_particle)
_COUNTED_DAY = re.compile(dialect().counted_day)


def to_mandarin(text: str) -> str:
    """Dialect words to Mandarin, a counted 日 as 天 ("有几日"); a clause-final particle ("好少啫") is dropped."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    text = _COUNTED_DAY.sub("天", _PATTERN.sub(lambda m: _WORDS[m.group(0)], text))
    return _CLAUSE_END_PARTICLE.sub("", text)
