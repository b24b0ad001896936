"""The escalation reason in the counsellor's language: stored once in English (API.md's `reason`), shown localised.

Risk-rule reasons come from the scale files and the crisis decision's from app/safety/decision.yaml, each in both
languages; the few fixed reasons the app writes itself are listed here. An unknown reason is shown as stored.
"""
from __future__ import annotations

from functools import lru_cache

from app.safety.decision import load_config
from app.scales.registry import ScaleRegistry

FIXED = {
    "employee asked to talk to a counsellor": "员工请求与咨询师交谈",
    "withdrawn: the employee erased their data": "已撤回：员工删除了自己的数据",
    "erased: the employee erased their data; the counsellor's record is kept":
        "员工已删除自己的数据；仅保留咨询师的工作记录",
}


@lru_cache(maxsize=4)
def _known(scales: ScaleRegistry) -> dict[str, str]:
    """English reason -> Chinese, for every risk rule of the loaded scales and the app's own reasons: built once per
    registry, since every row of a queue listing asks."""
    rules = {rule.reason.en: rule.reason.zh_CN for scale in scales.all() for rule in scale.risk_rules}
    crisis = {texts["en"]: texts["zh-CN"] for texts in load_config().reasons.values()}
    return rules | crisis | FIXED


def localised(reason: str, scales: ScaleRegistry) -> dict[str, str]:
    """{"zh-CN": …, "en": …} for a stored reason."""
    if (zh := _known(scales).get(reason)) is not None:
        return {"zh-CN": zh, "en": reason}
    return {"zh-CN": reason, "en": reason}
