"""jieba's words as the crisis classifier reads them."""
from __future__ import annotations

from app.language.segment import words


def test_chinese_is_split_into_words_spaces_dropped_english_whole() -> None:
    text = "今晚我去楼顶浇水 water the plants"
    out = words(text)
    assert "今晚" in out and "浇水" in out and "water" in out and "plants" in out
    assert all(w.strip() for w in out)
    assert "".join(out) == text.replace(" ", "")  # nothing is lost but spaces


def test_empty_text_has_no_words() -> None:
    assert words("") == [] and words("   ") == []
