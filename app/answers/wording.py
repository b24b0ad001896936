"""How a typed answer (and every scale phrase) is written down before it is read: the one normaliser's answer form
(one case, one width, clause marks for punctuation), dialect in Mandarin, chat shorthand and idioms said plainly
(data/wording.yaml), so that a phrase matches however it was typed."""
from __future__ import annotations

import re

from app.answers.dialect import to_mandarin
from app.answers.vocabulary import wording
from app.language.normalize import CLAUSE_MARK, CLAUSE_MARKS, normalize

SEP = CLAUSE_MARK  # clause boundary: negation never reaches across punctuation
PUNCT = CLAUSE_MARKS
_ERHUA = re.compile(wording().erhua)
_PLAIN = wording().patterns()


def plain_words(text: str) -> str:
    """The answer in the answer form, in Mandarin where it was dialect, and with its shorthand said plainly."""
    text = _ERHUA.sub("", to_mandarin(normalize(text, form="answer")))
    for pattern, plain in _PLAIN:
        text = pattern.sub(plain, text)
    return text


def compact(text: str) -> str:
    """Chinese phrases match without spaces; English keeps single spaces for word boundaries."""
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
