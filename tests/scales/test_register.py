"""One register for the bot: it says 你, never 您. Only the validated translations (item texts and the scales'
instructions) are kept verbatim, whatever register they use."""
from __future__ import annotations

from app.conversation.texts import TEXTS
from app.safety.decision import load_config
from app.scales.registry import ScaleRegistry


def test_bot_texts_say_ni() -> None:
    formal = [key for key, texts in TEXTS.items() if "您" in texts.get("zh-CN", "")]
    assert formal == []


def test_scale_texts_written_by_us_say_ni(registry: ScaleRegistry) -> None:
    formal = []
    for s in registry.all():
        ours = {"description": s.description.zh_CN, "names": s.names.zh_CN, "self_help": " ".join(s.self_help.zh_CN)}
        ours |= {f"item {it.number} purpose": it.purpose.zh_CN for it in s.items}
        ours |= {f"rule {r.id} reason": r.reason.zh_CN for r in s.risk_rules}
        for band_set in s.bands:
            ours |= {f"band {b.id}": b.label.zh_CN + (b.explanation.zh_CN if b.explanation else "")
                     for b in band_set.bands}
        formal += [f"{s.id}: {where}" for where, text in ours.items() if "您" in text]
    assert formal == []


def test_counsellor_reasons_say_ni() -> None:
    assert [k for k, v in load_config().reasons.items() if "您" in v["zh-CN"]] == []
