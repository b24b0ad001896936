"""Characters no staff input, name or identifier may hold: lone UTF-16 surrogates (they cannot be encoded, so
they break storage and JSON), NUL (PostgreSQL refuses it in text) and other control characters. Refused with a
clear 422, never stored. (The employee's own message text is cleaned, not refused: app/sessions/schemas.py.)"""
from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_LINE_BREAKS = "\t\n\r"


def refuse_bad_characters(value: str, *, allow_newlines: bool = True) -> str | None:
    """Why `value` is refused (naming the first bad character by code point, never echoing the text), or None."""
    for ch in value:
        if allow_newlines and ch in _LINE_BREAKS:
            continue
        category = unicodedata.category(ch)
        if category == "Cs":
            return f"holds a lone surrogate (U+{ord(ch):04X}), which is not a character"
        if category == "Cc":
            return f"holds a control character (U+{ord(ch):04X})"
    return None


def _check(allow_newlines: bool):  # type: ignore[no-untyped-def]
    def check(value: str) -> str:
        if problem := refuse_bad_characters(value, allow_newlines=allow_newlines):
            raise ValueError(problem)
        return value

    return check


# A multi-line text (notes, counsellor messages) and a one-line name or identifier.
CleanText = Annotated[str, AfterValidator(_check(True))]
CleanLine = Annotated[str, AfterValidator(_check(False))]
_URL_BAD = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def bad_in_url(path: str, query: str) -> bool:
    """NUL, control characters or surrogates in the decoded path or query string."""
    return bool(_URL_BAD.search(path) or _URL_BAD.search(query))
