"""Whether a typed message asks to erase the employee's data (app/privacy/data/erase_request.yaml): answered by the
app before Rasa with a confirmation, so the request works whatever Rasa understands or whether it runs."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import Field

from app.language.data_file import Regex, Strict, load_data_file

DATA_FILE = Path(__file__).with_name("data") / "erase_request.yaml"


class EraseRequestData(Strict):
    max_chars: int = Field(gt=0)
    patterns: list[Regex] = Field(min_length=1)


@cache
def _rules() -> tuple[int, re.Pattern[str]]:
    data = load_data_file(DATA_FILE, EraseRequestData)
    return data.max_chars, re.compile("|".join(f"(?:{p})" for p in data.patterns))


def asks_to_erase(text: str) -> bool:
    max_chars, pattern = _rules()
    words = " ".join(text.split()).lower()
    return 0 < len(words) <= max_chars and pattern.search(words) is not None
