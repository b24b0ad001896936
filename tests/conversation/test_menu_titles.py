"""The menu's buttons: whole words that say what each scale is, in both locales (issue 25: "PHQ-9 · How your
mood" was a description cut at its first comma)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.config import ROOT
from app.conversation.replies import menu_title
from app.scales.definitions import ScaleDefinition

SCALES = sorted((ROOT / "scales").glob("*.yaml"))


def _scale(path: Path) -> ScaleDefinition:
    return ScaleDefinition.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCALES, ids=[p.stem for p in SCALES])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_button_names_the_scale_in_whole_words(path: Path, locale: str) -> None:
    scale = _scale(path)
    assert scale.topic is not None, "every shipped scale says in a few words what it is about"
    title = menu_title(scale, locale)
    topic = scale.topic.get(locale)
    assert title.startswith(f"{scale.short_name} · {topic}"), title
    assert f"{scale.minutes}\u00a0" in title  # the number stays with its unit at a line end
    assert not title.rstrip(")）").endswith(("，", ",", "、")), title
    assert len(title) <= 48, f"a button, not a paragraph: {title}"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_scale_without_topic_shows_its_name_without_the_short_name_twice(locale: str) -> None:
    scale = _scale(ROOT / "scales" / "phq9.yaml").model_copy(update={"topic": None})
    title = menu_title(scale, locale)
    name = scale.names.get(locale).replace("（PHQ-9）", "").replace("(PHQ-9)", "").strip()
    assert title.startswith(f"PHQ-9 · {name}") and title.count("PHQ-9") == 1, title
