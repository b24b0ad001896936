"""Characters' toneless readings from pypinyin's table, and Chinese phrases matched as typed in pinyin."""
from __future__ import annotations

import re

import pytest

from app.language.pinyin import pinyin_regex, readings, toneless


def test_readings_are_toneless_with_the_usual_one_first() -> None:
    assert readings("书") == ("shu",)
    assert readings("了")[0] == "le" and "liao" in readings("了")  # a heteronym keeps every reading
    assert readings("绿")[0] == "lv"  # ü as typed on a phone
    assert readings("a") == ()
    assert toneless("shā") == "sha" and toneless("lǜ") == "lv"


@pytest.mark.parametrize("typed", ["yishu", "yi shu", "Yi Shu", "yi4 shu1", "yi'shu", "wei shu"])
def test_a_phrase_matches_however_its_pinyin_is_typed(typed: str) -> None:
    assert re.search(pinyin_regex("遗书"), typed.lower())


@pytest.mark.parametrize("text", ["missile suanle", "yishuang", "siles", "suan"])
def test_a_phrase_matches_only_whole_syllables_at_word_edges(text: str) -> None:
    assert re.search(pinyin_regex("死了算了"), text) is None
    assert re.search(pinyin_regex("遗书"), text) is None


def test_a_phrase_without_readings_is_refused() -> None:
    with pytest.raises(ValueError, match="no pinyin reading"):
        pinyin_regex("遗x")
