"""The one normaliser: the screen form the crisis side reads, the answer form answers are read in, and its data."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.language.data_file import DataFileError
from app.language.normalize import NORMALIZE_FILE, load_normalizer, normalize, variant_table


@pytest.mark.parametrize(("text", "expected"), [
    ("I DON’T want to live", "i do not want to live"),
    ("I dont want to live", "i do not want to live"),
    ("im done, can't go on", "i am done, can not go on"),
    ("不 想 活 了", "不想活了"),
    ("不，想，活，了", "不想活了"),
    ("ＦＵＬＬ\u200bwidth", "fullwidth"),
    ("  many   spaces \n kept line ", "many spaces \n kept line"),
])
def test_the_screen_form_folds_case_width_contractions_and_chinese_spacing(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_variants_are_folded_only_when_given() -> None:
    table = variant_table({"殺": "杀"})
    assert normalize("自殺", table) == "自杀"
    assert normalize("自殺") == "自殺"


@pytest.mark.parametrize(("text", "expected"), [
    ("Every. Single. Night.", "every | single | night"),
    ("I'm fine - mostly 😊", "im fine | mostly"),
    ("didn't happen", "did not happen"),
    ("mon-fri", "mon-fri"),
    ("嗯…偶尔吧", "嗯 | 偶尔吧"),
])
def test_the_answer_form_marks_clauses_and_drops_apostrophes_and_emoji(text: str, expected: str) -> None:
    assert normalize(text, form="answer") == expected


def _write(tmp_path: Path, change: dict[str, object]) -> Path:
    raw = yaml.safe_load(NORMALIZE_FILE.read_text(encoding="utf-8"))
    raw.update(change)
    path = tmp_path / "normalize.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_the_data_file_loads() -> None:
    assert load_normalizer()("I'M", None, "screen") == "i am"


@pytest.mark.parametrize(("change", "key"), [
    ({"clause_marks": "[unclosed"}, "clause_marks"),
    ({"forms": {"screen": ["nfkc", "shout"], "answer": ["nfkc"]}}, "forms.screen[1]"),
    ({"forms": {"screen": ["rewrite nowhere"], "answer": ["nfkc"]}}, "forms.screen[0]"),
    ({"forms": {"screen": ["nfkc"]}}, "forms: missing ['answer']"),
    ({"quotes": None}, "quotes"),
])
def test_a_malformed_data_file_is_refused_naming_file_and_key(tmp_path: Path, change: dict[str, object],
                                                               key: str) -> None:
    with pytest.raises(DataFileError) as err:
        load_normalizer(_write(tmp_path, change))
    assert str(err.value).startswith(str(tmp_path / "normalize.yaml"))
    assert key in str(err.value)


def test_unreadable_yaml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "normalize.yaml"
    path.write_text("cjk: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="normalize.yaml: cannot read"):
        load_normalizer(path)
