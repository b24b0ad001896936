"""Text from a request body made storable: a lone UTF-16 surrogate (valid JSON, invalid UTF-8) becomes U+FFFD and
control characters other than tab and newline are dropped, so such a message is cleaned, never a 500, and the rest
of it (a crisis message included) is still read."""
from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    if text.isascii() and not _CONTROLS.search(text):
        return text
    fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # pairs kept, lone ones replaced
    return _CONTROLS.sub("", fixed)
