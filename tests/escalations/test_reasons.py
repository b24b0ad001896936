"""The escalation reason is stored once in English and shown in the counsellor's language."""
from __future__ import annotations

import re

import pytest

from app.config import ROOT
from app.escalations.reasons import FIXED, localised
from app.scales.registry import ScaleRegistry


@pytest.fixture(scope="module")
def scales() -> ScaleRegistry:
    return ScaleRegistry.from_dir(ROOT / "scales")


def test_every_risk_rule_reason_reads_in_chinese_from_its_scale_file(scales: ScaleRegistry) -> None:
    for scale in scales.all():
        for rule in scale.risk_rules:
            assert localised(rule.reason.en, scales) == {"zh-CN": rule.reason.zh_CN, "en": rule.reason.en}


def test_every_reason_the_app_writes_has_a_chinese_text(scales: ScaleRegistry) -> None:
    """A reason written in code (not from a scale file) without a translation would show English in zh-CN."""
    written = {m for path in (ROOT / "app").rglob("*.py")
               for m in re.findall(r'reason=f?"([^"{]+)', path.read_text(encoding="utf-8"))}
    assert "employee asked to talk to a counsellor" in written  # the scan finds the app's reasons
    for reason in written:
        out = localised(reason, scales)
        assert out["zh-CN"] != reason or reason.endswith(": "), reason
        assert out["zh-CN"] == FIXED.get(reason, out["zh-CN"])


def test_every_crisis_decision_reason_reads_as_words_in_both_languages(scales: ScaleRegistry) -> None:
    """What counsellors read is a human reason, never an internal key like zh.no_will_to_live."""
    from app.safety.decision import load_config

    for key, texts in load_config().reasons.items():
        out = localised(texts["en"], scales)
        assert out == {"zh-CN": texts["zh-CN"], "en": texts["en"]}, key
        assert "." not in out["en"] and "_" not in out["en"], key


def test_an_unknown_reason_is_shown_as_stored(scales: ScaleRegistry) -> None:
    assert localised("something else", scales) == {"zh-CN": "something else", "en": "something else"}
