"""Unscorable answers and broken scale files fail loudly, naming what is wrong and where."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.scales.registry import ScaleFileError, ScaleRegistry
from app.scales.scoring import ScoringError, score

REPO = Path(__file__).resolve().parents[2]
SCALES_DIR = REPO / "scales"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({n: 0 for n in range(1, 9)}, "items [9] are unanswered"),
        ({}, "items [1, 2, 3, 4, 5, 6, 7, 8, 9] are unanswered"),
        ({n: 0 for n in range(1, 11)}, "no such items [10]"),
        ({n: 0 for n in range(1, 9)} | {9: 4}, "answers {9: 4} are not among the response values [0, 1, 2, 3]"),
        ({n: 0 for n in range(1, 9)} | {9: -1}, "answers {9: -1} are not among the response values"),
        ({n: 0 for n in range(1, 9)} | {9: True}, "are not among the response values"),
    ],
)
def test_unscorable_answers_raise(registry: ScaleRegistry, answers: dict[int, Any], message: str) -> None:
    with pytest.raises(ScoringError) as err:
        score(registry["phq9"], answers)
    assert message in str(err.value)
    assert str(err.value).startswith("phq9:")


def test_pss10_rejects_a_value_only_other_scales_have(registry: ScaleRegistry) -> None:
    score(registry["pss10"], {n: 4 for n in range(1, 11)})
    with pytest.raises(ScoringError, match="not among the response values"):
        score(registry["dass21"], {n: 4 if n == 1 else 0 for n in range(1, 22)})


def _gad7() -> dict[str, Any]:
    return yaml.safe_load((SCALES_DIR / "gad7.yaml").read_text(encoding="utf-8"))


def _unknown_field(d: dict[str, Any]) -> None:
    d["colour"] = "blue"


def _unknown_nested_field(d: dict[str, Any]) -> None:
    d["items"][2]["hint"] = "x"


def _duplicate_item(d: dict[str, Any]) -> None:
    d["items"][1]["number"] = 1


def _risk_on_missing_item(d: dict[str, Any]) -> None:
    d["risk_rules"].append({**d["risk_rules"][0], "id": "ghost", "when": {"item": 99, "min": 1}})


def _band_gap(d: dict[str, Any]) -> None:
    d["bands"][0]["bands"][1]["min"] = 6  # mild starts at 6 while minimal ends at 4


def _missing_locale(d: dict[str, Any]) -> None:
    del d["items"][0]["text"]["en"]


def _synonym_under_two_options(d: dict[str, Any]) -> None:
    d["options"][2]["synonyms"]["en"].append(d["options"][1]["synonyms"]["en"][0])


def _in_between_also_a_synonym(d: dict[str, Any]) -> None:
    d["in_between"]["en"][d["options"][1]["synonyms"]["en"][0]] = [1, 2]


def _in_between_unknown_value(d: dict[str, Any]) -> None:
    d["in_between"]["en"]["half"] = [2, 7]


def _number_answers_unknown_locale(d: dict[str, Any]) -> None:
    d["number_answers"] = ["fr"]


@pytest.mark.parametrize(
    ("mutate", "fields"),
    [
        (_synonym_under_two_options, ["phrases listed twice", "in_between"]),
        (_in_between_also_a_synonym, ["is also an option's synonym"]),
        (_in_between_unknown_value, ["in_between 'half'", "option values [0, 1, 2, 3]"]),
        (_number_answers_unknown_locale, ["number_answers", "unknown locales ['fr']"]),
        (_unknown_field, ["colour", "Extra inputs are not permitted"]),
        (_unknown_nested_field, ["items.2.hint"]),
        (_duplicate_item, ["items", "duplicate item numbers: [1]"]),
        (_risk_on_missing_item, ["risk rule 'ghost'", "item 99 does not exist"]),
        (_band_gap, ["bands.0", "'minimal' and 'mild' leave a gap"]),
        (_missing_locale, ["items.0.text.en", "Field required"]),
    ],
)
def test_broken_scale_file_names_file_and_field(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], fields: list[str]
) -> None:
    for good in SCALES_DIR.glob("*.yaml"):
        (tmp_path / good.name).write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    data = _gad7()
    mutate(data)
    (tmp_path / "gad7.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScaleFileError) as err:
        ScaleRegistry.from_dir(tmp_path)
    message = str(err.value)
    assert message.startswith("gad7.yaml: ")
    for field in fields:
        assert field in message


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "gad7.yaml").write_text("id: gad7\nitems: [unclosed\nnames: {\n", encoding="utf-8")
    with pytest.raises(ScaleFileError) as err:
        ScaleRegistry.from_dir(tmp_path)
    assert str(err.value).startswith("gad7.yaml: malformed YAML")
    assert "line" in str(err.value)


def test_bare_no_becomes_a_boolean_and_is_refused(tmp_path: Path) -> None:
    """YAML 1.1 reads an unquoted `no` as false; a synonym list holding it must not load silently."""
    text = (SCALES_DIR / "gad7.yaml").read_text(encoding="utf-8").replace('"no", nope', "no, nope")
    assert "no, nope" in text
    (tmp_path / "gad7.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScaleFileError, match=r"gad7\.yaml: options\.0\.synonyms\.en\.\d+"):
        ScaleRegistry.from_dir(tmp_path)


def test_file_name_must_match_id(tmp_path: Path) -> None:
    (tmp_path / "anxiety.yaml").write_text((SCALES_DIR / "gad7.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScaleFileError, match="anxiety.yaml: id: 'gad7' must match the file name 'anxiety'"):
        ScaleRegistry.from_dir(tmp_path)


def test_app_check_exits_non_zero_on_a_broken_scale(tmp_path: Path) -> None:
    scales = tmp_path / "scales"
    scales.mkdir()
    data = _gad7()
    _band_gap(data)
    (scales / "gad7.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = os.environ | {"XINAN_SCALES_DIR": str(scales), "XINAN_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "app", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "gad7.yaml" in output
    assert "bands" in output
