"""Each Chinese character's readings, toneless, from pypinyin's data file; and a Chinese phrase as the regex of its
pinyin spellings, so words typed in pinyin ("yi shu", "sile suanle", "zi4sha1") match what they spell."""
from __future__ import annotations

import importlib.util
import json
import unicodedata
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _readings() -> dict[int, str]:
    """pypinyin's table of each character's readings, read from its data file: importing the package would also load
    its phrase dictionary (about 45 MB more in every app process) that only word segmentation needs."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pypinyin is not installed")
    table = Path(list(spec.submodule_search_locations)[0]) / "pinyin_dict.json"
    return {int(code): readings for code, readings in json.loads(table.read_text(encoding="utf-8")).items()}


def toneless(reading: str) -> str:
    """"lǜ" -> "lv" (as typed on a phone), "shā" -> "sha", "ń" -> "n"."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def readings(char: str) -> tuple[str, ...]:
    """The toneless readings of one character, the usual one first (several for a heteronym); () when none."""
    raw = _readings().get(ord(char))
    return tuple(dict.fromkeys(toneless(r) for r in raw.split(","))) if raw else ()


def pinyin_regex(phrase: str) -> str:
    """The phrase as typed in pinyin: any reading of each character, syllables run together or apart (spaces,
    apostrophes, tone digits), bounded by word edges."""
    parts = []
    for char in phrase:
        if not (said := readings(char)):
            raise ValueError(f"{char!r} in {phrase!r} has no pinyin reading")
        parts.append("(?:" + "|".join(sorted(said, key=len, reverse=True)) + ")")
    return r"\b" + r"[1-5]?[\s']*".join(parts) + r"[1-5]?\b"
