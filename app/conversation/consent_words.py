"""Reads a typed reply to the consent question from language data (app/language/data/consent.yaml).

Only a whole message that is an explicit agreement or refusal counts, so consent to store health data never depends
on how one training of Rasa's model happened to read "Yes, I agree."
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from app.language.data_file import Strict, load_data_file
from app.language.normalize import normalize

CONSENT_FILE = Path(__file__).parents[1] / "language" / "data" / "consent.yaml"
Said = Literal["agree", "decline"]
Locale = Literal["zh-CN", "en"]
_NOT_WORDS = re.compile(r"[\W_]+")


class ConsentWords(Strict):
    agree: dict[Locale, list[str]]
    decline: dict[Locale, list[str]]

    @model_validator(mode="after")
    def _disjoint(self) -> ConsentWords:
        both = {_key(w) for ws in self.agree.values() for w in ws} & {_key(w) for ws in self.decline.values()
                                                                     for w in ws}
        if both:
            raise ValueError(f"under both agree and decline: {sorted(both)}")
        return self


def _key(text: str) -> str:
    """The message as words only: "Yes, I agree!" and "yes i agree" are one key; "好的，我同意" is "好的我同意"."""
    words = _NOT_WORDS.sub(" ", normalize(text)).split()
    return " ".join(words) if any(w.isascii() for w in words) else "".join(words)


@lru_cache(maxsize=1)
def _table(path: Path = CONSENT_FILE) -> dict[str, Said]:
    data = load_data_file(path, ConsentWords)
    table: dict[str, Said] = {}
    for said, by_locale in (("agree", data.agree), ("decline", data.decline)):
        table.update({_key(w): said for words in by_locale.values() for w in words})
    return table


def read_consent(text: str) -> Said | None:
    """agree / decline when the whole message says exactly that, else None (Rasa's intent decides)."""
    return _table().get(_key(text)) if text else None
