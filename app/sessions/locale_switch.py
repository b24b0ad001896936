"""Switching a conversation's language (PATCH /api/v1/sessions/{id}): the conversation goes on, and where the last
bot message waits for a tap (consent, an open item, the menu) it is asked again in the new language."""
from __future__ import annotations

from sqlmodel import Session

from app.assessments import service as assessments
from app.conversation import replies
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.runtime import Runtime
from app.safety.crisis_flow import urgent_episode
from app.sessions.models import EmployeeSession


def switch_locale(db: Session, rt: Runtime, session: EmployeeSession, locale: str) -> list[Reply]:
    """The replies to store after the switch. None while a counsellor holds the conversation, a safety question is
    open or a crisis episode runs: there the last message must keep its buttons, and what follows is in `locale`."""
    if session.locale == locale:
        return []
    session.locale = locale
    db.add(session)
    lead = t("language_switched", locale)
    if session.handoff or session.safety_state or urgent_episode(db, session.id) is not None:
        return []
    if session.consent != "agreed":
        consent = replies.consent(locale, rt.settings.report_min_cell)[1]
        return [Reply(f"{lead}\n{consent.text}", buttons=consent.buttons)]
    a = assessments.active(db, session)
    scale = rt.scales.get(a.scale_id) if a is not None else None
    if a is not None and scale is not None and a.status == "in_progress":
        session.pending_json = None  # the candidates were asked in the old language; the item is asked afresh
        return [replies.item(scale, a, locale, lead=lead)]
    menu = replies.menu(rt, locale, lead=lead)
    if a is not None and a.status == "paused":
        menu.buttons.insert(0, {"title": t("btn_resume", locale), "payload": replies.payload("resume")})
    return [menu]
