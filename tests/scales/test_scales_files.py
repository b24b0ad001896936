"""Every shipped scale file loads, speaks both locales, and carries what the bot and the answer parser rely on."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from app.scales.definitions import Localized, LocalizedList, ScaleDefinition
from app.scales.registry import ScaleRegistry

SCALES_DIR = Path(__file__).resolve().parents[2] / "scales"
SCALE_IDS = sorted(p.stem for p in SCALES_DIR.glob("*.yaml"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words that would read as naming a disorder as the person's diagnosis ("焦虑症状", symptoms, is fine).
DIAGNOSTIC = re.compile(r"抑郁症(?!状)|焦虑症(?!状)|障碍|患有|确诊|disorder|diagnos|you have depression", re.IGNORECASE)


def walk(node: object, path: str = "") -> Iterator[tuple[str, object]]:
    yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from walk(child, f"{path}[{i}]")


def test_every_file_loads(registry: ScaleRegistry) -> None:
    assert sorted(registry.ids()) == SCALE_IDS
    assert {"phq9", "gad7", "pss10", "dass21"} <= set(SCALE_IDS)


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_every_text_has_both_locales(registry: ScaleRegistry, scale_id: str) -> None:
    scale = registry[scale_id]
    for path, node in walk(scale):
        if isinstance(node, Localized):
            assert node.zh_CN.strip() and node.en.strip(), path
            assert CJK.search(node.zh_CN), f"{path}: zh-CN text has no Chinese: {node.zh_CN!r}"
            assert not CJK.search(node.en), f"{path}: en text has Chinese: {node.en!r}"
        elif isinstance(node, LocalizedList):
            assert node.zh_CN and node.en, f"{path}: a locale is empty"
    assert len(scale.self_help.zh_CN) >= 2 and len(scale.self_help.en) >= 2


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_options_understand_their_own_labels(registry: ScaleRegistry, scale_id: str) -> None:
    """A typed-back label must parse, and no phrase may point at two different options."""
    scale = registry[scale_id]
    for locale in ("zh-CN", "en"):
        owner: dict[str, int] = {}
        for option in scale.options:
            synonyms = [s.lower() for s in option.synonyms.get(locale)]
            assert all(isinstance(s, str) and s for s in synonyms)
            assert option.label.get(locale).lower() in synonyms, f"{scale_id} {locale} {option.value}"
            for s in synonyms:
                assert owner.setdefault(s, option.value) == option.value, f"{scale_id} {locale}: {s!r} is ambiguous"


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_no_text_names_a_diagnosis(registry: ScaleRegistry, scale_id: str) -> None:
    scale = registry[scale_id]
    texts = [*scale.self_help.zh_CN, *scale.self_help.en]
    for node in (*scale.items, *scale.risk_rules):
        texts += [t.zh_CN + " " + t.en for t in (getattr(node, "purpose", None), getattr(node, "reason", None)) if t]
    for bandset in scale.bands:
        for band in bandset.bands:
            texts += [band.label.zh_CN, band.label.en]
            if band.explanation:
                texts += [band.explanation.zh_CN, band.explanation.en]
    for text in texts:
        assert not DIAGNOSTIC.search(text), text


def test_gad7_buttons_are_four_options(registry: ScaleRegistry) -> None:
    options = registry["gad7"].options
    assert [o.value for o in options] == [0, 1, 2, 3]
    assert [o.label.zh_CN for o in options] == ["完全不会", "好几天", "一半以上的日子", "几乎每天"]


def test_shapes_of_the_instruments(registry: ScaleRegistry) -> None:
    shapes = {s.id: (len(s.items), [o.value for o in s.options], s.score_range("total")) for s in registry.all()}
    assert shapes["phq9"] == (9, [0, 1, 2, 3], (0, 27))
    assert shapes["gad7"] == (7, [0, 1, 2, 3], (0, 21))
    assert shapes["pss10"] == (10, [0, 1, 2, 3, 4], (0, 40))
    assert shapes["dass21"] == (21, [0, 1, 2, 3], (0, 126))


def test_safety_items_are_the_validated_wording(registry: ScaleRegistry) -> None:
    phq9_item9 = registry["phq9"].items[8].text
    assert phq9_item9.zh_CN == "有不如死掉或用某种方式伤害自己的念头"
    assert phq9_item9.en == "Thoughts that you would be better off dead or of hurting yourself in some way"
    dass_item21 = registry["dass21"].items[20].text
    assert (dass_item21.zh_CN, dass_item21.en) == ("我感到生命毫无意义", "I felt that life was meaningless")
    assert [o.label.zh_CN for o in registry["phq9"].options] == ["完全不会", "好几天", "一半以上的天数", "几乎每天"]


def test_pss10_says_its_bands_are_not_clinical(registry: ScaleRegistry) -> None:
    scale: ScaleDefinition = registry["pss10"]
    assert scale.notes and "no validated clinical cut-offs" in scale.notes
    assert "not a clinical cut-off" in scale.bands[0].source.lower()
    assert all(rule.level == "routine" for rule in scale.risk_rules)


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_every_scale_has_keywords_and_sources(registry: ScaleRegistry, scale_id: str) -> None:
    scale = registry[scale_id]
    assert scale.keywords.zh_CN and scale.keywords.en
    assert all(len(b.source) > 10 for b in scale.bands)
    assert all(len(r.source) > 10 for r in scale.risk_rules)
    assert scale.citation and scale.translation and scale.licence


def test_no_keyword_asks_for_two_scales(registry: ScaleRegistry) -> None:
    for locale in ("zh-CN", "en"):
        owner: dict[str, str] = {}
        for scale in registry.all():
            for word in scale.keywords.get(locale):
                assert owner.setdefault(word.lower(), scale.id) == scale.id, f"{locale} {word!r}: two scales"
