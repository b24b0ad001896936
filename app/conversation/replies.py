"""Builds the bot's messages (menu, item, result, crisis resources) from the scale files and the texts."""
from __future__ import annotations

import json
from dataclasses import asdict

from app.assessments.models import Assessment
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.runtime import Runtime
from app.safety.resources import load_resources
from app.scales.definitions import ScaleDefinition
from app.scales.scoring import ScoreResult


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}" + (json.dumps(entities, ensure_ascii=False, separators=(",", ":")) if entities else "")


ERASE_PAYLOAD = "xinan:erase"  # a client action, not a turn: the widget erases as its "?" panel does (DELETE)


def erase_offer(locale: str, going_on: str) -> Reply:
    """"Clear my data" typed in the chat: confirm first, since erasure cannot be undone; keeping it goes on with
    `going_on` (the intent that re-asks the open item, or shows the menu)."""
    return Reply(t("erase_offer", locale), kind="erase_offer", buttons=[
        {"title": t("btn_erase", locale), "payload": ERASE_PAYLOAD},
        {"title": t("btn_keep", locale), "payload": payload(going_on)},
    ])


def progress(assessment: Assessment, scale: ScaleDefinition) -> dict[str, object]:
    return {"scale": scale.id, "answered": min(assessment.current_item, len(scale.items)), "total": len(scale.items)}


def consent(locale: str, k: int) -> list[Reply]:
    """`k`: the smallest group HR reports show (Settings.report_min_cell), said as a number, not "many"."""
    return [Reply(t("greeting", locale)), Reply(t("consent", locale, k=k), buttons=[
        {"title": t("btn_agree", locale), "payload": payload("agree")},
        {"title": t("btn_decline", locale), "payload": payload("decline")},
    ])]


def menu(rt: Runtime, locale: str, lead: str | None = None) -> Reply:
    scales = rt.scales.all()
    lines = [t("menu_line", locale, short=s.short_name, desc=s.description.get(locale), minutes=s.minutes)
             for s in scales]
    text = "\n".join(filter(None, [lead, t("menu", locale), *lines]))
    buttons = [{"title": menu_title(s, locale), "payload": payload("request_scale", scale=s.id)} for s in scales]
    return Reply(text, buttons=buttons)


def menu_title(scale: ScaleDefinition, locale: str) -> str:
    """Whole words that say what the scale is: its `topic`, else its full name without the short name (a
    description cut at a comma read "PHQ-9 · How your mood")."""
    topic = scale.topic.get(locale) if scale.topic else scale.names.get(locale)
    for wrapped in (f"({scale.short_name})", f"（{scale.short_name}）"):
        topic = topic.replace(wrapped, "")
    return t("btn_menu_item", locale, short=scale.short_name, name=topic.strip(), minutes=scale.minutes)


def answered(scale: ScaleDefinition, index: int, value: int, locale: str) -> dict[str, object]:
    """What a reply says it recorded (API.md: a bot message's `answered`); `option` is the button's own option."""
    number = scale.items[index].number
    return {"scale": scale.id, "item": number, "value": value, "label": scale.option(value).label.get(locale),
            "option": f"{scale.id}:{number}:{value}"}


def item(scale: ScaleDefinition, assessment: Assessment, locale: str, lead: str | None = None,
         answered: dict[str, object] | None = None) -> Reply:
    i = assessment.current_item
    it = scale.items[i]
    text = t("item", locale, i=i + 1, n=len(scale.items), text=it.text.get(locale))
    buttons = [{"title": o.label.get(locale), "payload": payload("answer", option=f"{scale.id}:{it.number}:{o.value}")}
               for o in scale.options]
    return Reply(f"{lead}\n{text}" if lead else text, buttons=buttons, progress=progress(assessment, scale),
                 answered=answered)


def confirm(scale: ScaleDefinition, assessment: Assessment, locale: str, candidates: list[int]) -> Reply:
    it = scale.items[assessment.current_item]
    buttons = [{"title": scale.option(v).label.get(locale),
                "payload": payload("answer", option=f"{scale.id}:{it.number}:{v}")} for v in candidates]
    return Reply(t("confirm", locale), buttons=buttons, progress=progress(assessment, scale))


def resources_card(locale: str, rt: Runtime) -> dict[str, object]:
    return {"type": "resources",
            "resources": [asdict(r) for r in load_resources(locale, rt.settings.crisis_resources_file)]}


def resources_lines(locale: str, rt: Runtime) -> str:
    return "\n".join(f"☎ {r.name}：{r.number}（{r.hours}）" if locale != "en" else f"☎ {r.name}: {r.number} ({r.hours})"
                     for r in load_resources(locale, rt.settings.crisis_resources_file))


def with_resources(text: str, locale: str, rt: Runtime, **kw: object) -> Reply:
    return Reply(f"{text}\n{resources_lines(locale, rt)}", card=resources_card(locale, rt), **kw)  # type: ignore[arg-type]


def result(scale: ScaleDefinition, assessment: Assessment, res: ScoreResult, locale: str) -> Reply:
    """The screening result. A scale whose primary band is its most severe subscale (DASS-21) leads with that
    subscale and its own score, not with a total nobody interprets."""
    band_label = res.band.label.get(locale)
    if res.headline == "total":
        score, top = res.total, res.max_total
        lines = [t("result", locale, short=scale.short_name, score=score, max=top, band=band_label)]
    else:
        score, top = res.subscales[res.headline], scale.score_range(res.headline)[1]
        lines = [t("result_part", locale, short=scale.short_name, score=score, max=top, band=band_label)]
    subs = []
    for sub in scale.scoring.subscales:
        band = res.bands.get(sub.id)
        subs.append({"id": sub.id, "name": sub.name.get(locale), "score": res.subscales[sub.id],
                     "band_label": band.label.get(locale) if band else None})
        lines.append(t("result_sub", locale, name=sub.name.get(locale), score=res.subscales[sub.id],
                       band=band.label.get(locale) if band else "—"))
    explanation = res.band.explanation.get(locale) if res.band.explanation else None
    if explanation:
        lines.append(explanation)
    lines.append(t("screening_note", locale))
    tips = scale.self_help.get(locale)
    lines.append(t("self_help", locale) + "\n" + "\n".join(f"• {tip}" for tip in tips))
    card = {"type": "result", "scale": scale.id, "short_name": scale.short_name, "score": score,
            "max_score": top, "headline": res.headline, "band": res.band.id, "band_label": band_label,
            "explanation": t("screening_note", locale), "band_explanation": explanation,
            "self_help": tips, "subscales": subs or None,
            "risk": res.risk}
    return Reply("\n".join(lines), progress=progress(assessment, scale), card=card)
