"""Crisis resources: defaults, tel links that dial exactly what is shown, the override file and a bad override."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.config import get_settings
from app.safety.resources import DEFAULT_RESOURCES, ResourceFileError, load_resources, resources_text, tel_uri


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_defaults_list_the_mainland_hotlines(locale: str) -> None:
    numbers = [r.number for r in load_resources(locale, DEFAULT_RESOURCES)]
    assert numbers == ["12356", "010-82951332", "800-810-1117", "400-161-9995", "110", "120"]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_tel_link_dials_exactly_the_number_shown(locale: str) -> None:
    for r in load_resources(locale, DEFAULT_RESOURCES):
        assert r.tel.startswith("tel:")
        assert r.tel[4:] == re.sub(r"[^0-9+]", "", r.number)
        assert re.fullmatch(r"tel:\+?[0-9]+", r.tel)


def test_tel_uri_examples() -> None:
    assert tel_uri("010-82951332") == "tel:01082951332"
    assert tel_uri("400-161-9995") == "tel:4001619995"
    assert tel_uri("+86 10 8295 1332") == "tel:+861082951332"


def test_12356_says_what_is_known_of_its_hours_and_no_more() -> None:
    zh = next(r for r in load_resources("zh-CN", DEFAULT_RESOURCES) if r.number == "12356")
    en = next(r for r in load_resources("en", DEFAULT_RESOURCES) if r.number == "12356")
    assert zh.hours.startswith("每日不少于 18 小时") and "24" not in zh.hours
    assert en.hours.startswith("at least 18 hours a day") and "24" not in en.hours


def test_text_is_a_paragraph_then_one_line_per_hotline() -> None:
    for locale in ("zh-CN", "en"):
        lines = resources_text(locale, DEFAULT_RESOURCES).splitlines()
        resources = load_resources(locale, DEFAULT_RESOURCES)
        assert len(lines) == 1 + len(resources)
        for line, r in zip(lines[1:], resources, strict=True):
            assert r.name in line and r.number in line
    assert "110" in resources_text("en", DEFAULT_RESOURCES).splitlines()[0]


def test_unknown_locale_falls_back_to_chinese() -> None:
    assert load_resources("fr", DEFAULT_RESOURCES) == load_resources("zh-CN", DEFAULT_RESOURCES)
    assert load_resources("en-GB", DEFAULT_RESOURCES) == load_resources("en", DEFAULT_RESOURCES)


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_settings_override_file_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = yaml.safe_load(DEFAULT_RESOURCES.read_text(encoding="utf-8"))
    data["zh-CN"]["resources"] = [{"name": "公司 EAP 热线", "number": "400 888 1234", "hours": "24 小时", "note": ""}]
    override = _write(tmp_path / "eap.yaml", data)
    monkeypatch.setenv("XINAN_CRISIS_RESOURCES_FILE", str(override))
    get_settings.cache_clear()
    try:
        [eap] = load_resources("zh-CN")
        assert (eap.name, eap.tel) == ("公司 EAP 热线", "tel:4008881234")
        assert "公司 EAP 热线" in resources_text("zh-CN")
    finally:
        get_settings.cache_clear()


def test_without_override_the_default_file_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XINAN_CRISIS_RESOURCES_FILE", raising=False)
    get_settings.cache_clear()
    try:
        assert load_resources("en") == load_resources("en", DEFAULT_RESOURCES)
    finally:
        get_settings.cache_clear()


def test_a_malformed_override_names_the_file_and_the_field(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RESOURCES.read_text(encoding="utf-8"))
    data["en"]["resources"][1]["number"] = "call 010-82951332"
    bad = _write(tmp_path / "bad_resources.yaml", data)
    with pytest.raises(ResourceFileError, match=r"bad_resources\.yaml.*en\.resources\.1\.number"):
        load_resources("en", bad)


def test_a_missing_locale_or_broken_yaml_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RESOURCES.read_text(encoding="utf-8"))
    del data["en"]
    with pytest.raises(ResourceFileError, match=r"no_en\.yaml.*\ben\b"):
        load_resources("zh-CN", _write(tmp_path / "no_en.yaml", data))
    broken = tmp_path / "broken.yaml"
    broken.write_text("zh-CN: [unclosed", encoding="utf-8")
    with pytest.raises(ResourceFileError, match="broken.yaml"):
        load_resources("zh-CN", broken)
    with pytest.raises(ResourceFileError, match="missing.yaml"):
        load_resources("zh-CN", tmp_path / "missing.yaml")
