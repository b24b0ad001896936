"""What the bot does around a crisis, in the app and without Rasa (ARCHITECTURE.md "One employee turn", step 2):
the urgent reply, the direct safety question and its answer, and the crisis episode that follows an urgent case.

The caller commits its unit of work before any reply leaves the app, so "a counsellor has been asked" is only said
once the escalation is stored.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from app.answers.parser import parse_answer
from app.assessments import service as assessments
from app.conversation import replies
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.escalations.models import Escalation
from app.escalations.opening import active_escalation, open_escalation
from app.runtime import Runtime
from app.safety.decision import Decision, RasaIntent, Signal, get_decider
from app.safety.safety_question import ANSWERS, Answer, load_question, read_answer
from app.sessions.models import EmployeeSession, Message
from app.sessions.schemas import MessageIn
from app.sessions.service import TurnSession
from app.timeutil import utcnow

SAFETY_ANSWER = "safety_answer"  # button payloads: /safety_answer{"answer": "yes"}
GROUNDING = "grounding"
_PAYLOAD = re.compile(r'^/(\w+)(?:\{"answer":"(\w+)"\})?$')


def payload_intent(payload: str | None) -> tuple[str | None, str | None]:
    """(intent, answer) of one of this module's payloads, else (None, None)."""
    m = _PAYLOAD.match(payload or "")
    if not m or m.group(1) not in (SAFETY_ANSWER, GROUNDING):
        return None, None
    return m.group(1), m.group(2)


# --- reading the session -------------------------------------------------------------------------------------------

def recent_context(db: Session, rt: Runtime, session_id: str, current_id: str) -> list[str]:
    """The employee's last few messages before this one (decision.yaml `context`), oldest first, and none from before
    the last safety question or crisis reply, or before a counsellor resolved a case of the session: once asked and
    answered, or heard by a counsellor, earlier words have been acted on."""
    cfg = get_decider(rt.settings).config.context
    if not cfg.messages:
        return []
    since = utcnow() - timedelta(minutes=cfg.minutes)
    resolved = (select(func.max(Escalation.resolved_at)).where(col(Escalation.session_id) == session_id)
                .scalar_subquery())
    asked = (select(Message.seq).where(col(Message.session_id) == session_id,
                                       col(Message.kind).in_(("crisis", "safety_question")))
             .order_by(col(Message.seq).desc()).limit(1).scalar_subquery())
    rows = db.execute(
        select(Message.text_enc).where(col(Message.session_id) == session_id, col(Message.sender) == "employee",
                                       col(Message.id) != current_id, col(Message.created_at) >= since,
                                       or_(resolved.is_(None), col(Message.created_at) >= resolved),
                                       col(Message.seq) > func.coalesce(asked, 0))
        .order_by(col(Message.seq).desc()).limit(cfg.messages)).scalars().all()
    return [rt.keyring.decrypt(enc, aad=session_id) for enc in reversed(rows)]


def decide(db: Session, rt: Runtime, session_id: str, text: str, current_id: str) -> Decision:
    """The decision before Rasa is asked (Rasa's intent, when it comes, can only add a signal: ActionCrisis)."""
    context = recent_context(db, rt, session_id, current_id)
    return get_decider(rt.settings).decide_typed(text, context, lambda: answers_open_item(db, rt, session_id, text))


def answers_open_item(db: Session, rt: Runtime, session_id: str, text: str) -> bool:
    """The answer reader takes the words as an answer to the open questionnaire item, sure or to confirm."""
    session = db.get(EmployeeSession, session_id)
    a = assessments.in_progress(db, session) if session is not None else None
    scale = rt.scales.get(a.scale_id) if a is not None else None
    if session is None or scale is None:
        return False
    read = parse_answer(scale, text, session.locale)
    return read.sure or bool(read.candidates)


def on_rasa_intent(db: Session, rt: Runtime, session: EmployeeSession, text: str,
                   rasa: RasaIntent) -> list[Reply] | None:
    """Rasa's intent added to the decision taken before Rasa, which was none (or Rasa would not have been asked):
    urgent or ask replies when Rasa's signal raises it, else None."""
    signal = get_decider(rt.settings).rasa_signal(text, rasa)
    if signal is None:
        return None
    return urgent(db, rt, session, signal) if signal.floor == "urgent" else ask(db, session)


# --- the replies -----------------------------------------------------------------------------------------------------

def within(due_at: datetime, locale: str, now: datetime | None = None) -> str | None:
    """"15 minutes" / "4 hours" / "3 days" until `due_at`, rounded up; None once it has passed."""
    now = now or utcnow()
    if due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=now.tzinfo)
    minutes = -(-(due_at - now).total_seconds() // 60)
    if minutes <= 0:
        return None
    if minutes <= 90:
        return t("within_minutes", locale, n=int(minutes))
    if minutes <= 48 * 60:
        return t("within_hours", locale, n=int(-(-minutes // 60)))
    return t("within_days", locale, n=int(-(-minutes // 1440)))


def eta(esc: Escalation, locale: str) -> str:
    if esc.status == "claimed":
        return t("eta_claimed", locale)
    when = within(esc.due_at, locale)
    return t("eta_open", locale, within=when) if when else t("eta_overdue", locale)


def _grounding_button(locale: str) -> dict[str, str]:
    return {"title": t("btn_grounding", locale), "payload": replies.payload(GROUNDING)}


def urgent(db: Session, rt: Runtime, session: EmployeeSession, signal: Signal) -> list[Reply]:
    """Open (or raise to) the urgent escalation, pause any questionnaire, and answer with the resources first."""
    decider = get_decider(rt.settings)
    source = "safety_question" if signal.source == "safety_question" else "crisis_decision"
    esc, _ = open_escalation(db, rt.settings, session, source=source, priority="urgent",
                             reason=decider.reason_text(signal.reason, "en"), trigger=signal.trigger,
                             keyring=rt.keyring)
    if (a := assessments.in_progress(db, session)) is not None:
        a.status = "paused"
        db.add(a)
    session.pending_json, session.safety_state = None, None
    db.add(session)
    locale = session.locale
    msg = replies.with_resources(t("crisis", locale, eta=eta(esc, locale)), locale, rt,
                                 buttons=[_grounding_button(locale)])
    msg.kind = "crisis"
    return [msg, Reply(t("come_back", locale))]


def ask(db: Session, session: EmployeeSession, again: bool = False) -> list[Reply]:
    """The direct question, with yes / not sure / no buttons (safety_question.yaml)."""
    q = load_question()
    locale = session.locale if session.locale in ("zh-CN", "en") else "zh-CN"
    session.safety_state = "asked_again" if again else "asked"
    db.add(session)
    buttons = [{"title": q.buttons[a][locale], "payload": replies.payload(SAFETY_ANSWER, answer=a)}  # type: ignore[index]
               for a in ANSWERS]
    text = (q.again if again else q.question)[locale]  # type: ignore[index]
    return [Reply(text, buttons=buttons, kind="safety_question")]


def on_safety_answer(db: Session, rt: Runtime, session: EmployeeSession, answer: Answer | None, said: str,
                     decision: Decision | None) -> list[Reply]:
    """Yes or not sure is urgent; no is thanked, given the lines, and the conversation goes on; unclear asks once
    more, and a second unclear answer counts as not sure."""
    if decision is not None and decision.outcome == "urgent" and decision.top is not None:
        return urgent(db, rt, session, decision.top)
    if answer is None and session.safety_state != "asked_again":
        return ask(db, session, again=True)
    if answer in ("yes", "unsure", None):
        reason = "safety_yes" if answer == "yes" else "safety_unsure"
        return urgent(db, rt, session, Signal("safety_question", "urgent", reason, said[:200] or None))
    session.safety_state = None
    db.add(session)
    locale = session.locale
    q = load_question()
    out = [replies.with_resources(f"{q.no_thanks[locale]}\n{q.someone_else[locale]}", locale, rt)]  # type: ignore[index]
    a = assessments.active(db, session)
    scale = rt.scales.get(a.scale_id) if a is not None else None
    if a is not None and scale is not None:
        a.status = "in_progress"
        db.add(a)
        out.append(replies.item(scale, a, locale, lead=t("back_to_item", locale)))
    elif session.consent == "agreed":
        out.append(replies.menu(rt, locale))
    return out


def episode(rt: Runtime, locale: str, esc: Escalation, intent: str | None) -> list[Reply]:
    """Every message after an urgent case, until a counsellor resolves it: acknowledged as part of the episode."""
    if intent == GROUNDING:
        return [Reply(t("grounding", locale))]
    msg = replies.with_resources(t("episode", locale, eta=eta(esc, locale)), locale, rt,
                                 buttons=[_grounding_button(locale)])
    msg.kind = "crisis"
    return [msg]


def urgent_episode(db: Session, session_id: str) -> Escalation | None:
    """The session's unresolved urgent escalation, if any: while it exists the session is in a crisis episode."""
    esc = active_escalation(db, session_id)
    return esc if esc is not None and esc.priority == "urgent" else None


def before_rasa(db: Session, rt: Runtime, turn: TurnSession, body: MessageIn, message_id: str) -> list[Reply] | None:
    """The safety part of a turn, before Rasa is asked: replies when it answers the turn itself, else None.

    In a crisis episode every message is answered here (a counsellor in the chat reads them instead); a pending
    safety question is answered here; and the decision on the message's words can make the turn urgent or ask.
    """
    intent, answer = payload_intent(body.payload)
    if turn.in_crisis:
        if turn.handoff:
            return None
        esc = urgent_episode(db, turn.id)
        if esc is not None:
            return episode(rt, turn.locale, esc, intent)
    if intent == GROUNDING:
        return [Reply(t("grounding", turn.locale))]
    decision = decide(db, rt, turn.id, body.text, message_id) if body.text else None
    if turn.safety_state or intent == SAFETY_ANSWER:
        session = _load(db, turn.id)
        said = body.text if body.text is not None else (answer or "")
        read: Answer | None = answer if answer in ANSWERS else (read_answer(body.text) if body.text else None)  # type: ignore[assignment]
        return on_safety_answer(db, rt, session, read, said, decision)
    if decision is None or decision.outcome == "none" or decision.top is None:
        return None
    if decision.outcome == "urgent":
        return urgent(db, rt, _load(db, turn.id), decision.top)
    return None if turn.handoff else ask(db, _load(db, turn.id))


def _load(db: Session, session_id: str) -> EmployeeSession:
    session = db.get(EmployeeSession, session_id)
    assert session is not None
    return session


def urgent_result(rt: Runtime, session: EmployeeSession, esc: Escalation) -> Reply:
    """Support first, for a result whose risk rule is urgent (the escalation is already open): the crisis episode
    starts here like after urgent words, with the resources and when a counsellor will write."""
    locale = session.locale
    msg = replies.with_resources(t("crisis_result", locale, eta=eta(esc, locale)), locale, rt,
                                 buttons=[_grounding_button(locale)])
    msg.kind = "crisis"
    return msg
