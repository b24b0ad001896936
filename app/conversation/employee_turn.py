"""One employee turn (ARCHITECTURE.md "One employee turn"): store, crisis decision, handoff, a typed request to
erase, Rasa, store the replies.

No database transaction is held open while Rasa works: Rasa calls back into the app's action endpoint.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool

from app.conversation import replies
from app.conversation.action_context import MESSAGE_ID
from app.conversation.locks import session_turn
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.conversation.turn import erase_offer
from app.db import session_scope
from app.escalations.events import publish_after_commit
from app.privacy.erase_request import asks_to_erase
from app.rasa.client import RasaClient, RasaUnavailable
from app.runtime import Runtime
from app.safety import crisis_flow
from app.sessions import service as sessions
from app.sessions.models import EmployeeSession
from app.sessions.schemas import MessageIn

log = logging.getLogger("xinan.turns")


@dataclass
class TurnResult:
    status: int
    messages: list[dict]


class RateLimited(Exception):
    pass


def _store(rt: Runtime, session_id: str, out: list[Reply], reply_to: str) -> list[dict]:
    with session_scope() as db:
        s = db.get(EmployeeSession, session_id)
        assert s is not None
        return [sessions.message_out(rt, m) for m in sessions.append_messages(db, rt, s, out, reply_to=reply_to)]


@dataclass
class _ForRasa:
    """What a turn sends to Rasa once its own unit of work (store, crisis decision) is committed."""
    locale: str
    text: str
    emp_id: str


def _before_rasa(rt: Runtime, session_id: str, token: str | None, body: MessageIn,
                 allow: Callable[[str], bool] | None) -> TurnResult | _ForRasa:
    """Store the employee's message and take the crisis decision, in one unit of work (run in a worker thread)."""
    with session_scope() as db:
        s = sessions.authenticate_turn(db, rt, session_id, token, body.client_msg_id)
        emp_id = s.sent_before
        if emp_id is not None:
            prior = [m for m in sessions.replies_to(db, emp_id) if m.sender != "system"]
            if prior:  # answered before (perhaps after the app had already given up on Rasa): same replies
                return TurnResult(200, [sessions.message_out(rt, m) for m in prior])
            if s.handoff:
                return TurnResult(200, [])
        else:
            if allow is not None and not allow(s.id):
                raise RateLimited()
            shown = body.text if body.text is not None else (
                sessions.button_title(db, s.id, body.payload or "") or body.payload or "")
            emp_id = sessions.append_message(db, rt, s, Reply(shown, sender="employee"),
                                             client_msg_id=body.client_msg_id).id
        safety = crisis_flow.before_rasa(db, rt, s, body, emp_id)
        if safety is not None:
            # Any escalation is committed (end of this block) before the reply leaves the app.
            stored = sessions.append_messages(db, rt, s, safety, reply_to=emp_id)
            if s.handoff:
                publish_after_commit(db, "session", s.id)
            return TurnResult(200, [sessions.message_out(rt, m) for m in stored])
        if s.handoff:
            publish_after_commit(db, "session", s.id)
            return TurnResult(200, [])
        if body.text is not None and asks_to_erase(body.text):  # a privacy request holds without Rasa too
            full = db.get(EmployeeSession, s.id)
            assert full is not None
            offer = erase_offer(db, full)
            stored = sessions.append_messages(db, rt, s, [offer], reply_to=emp_id)
            return TurnResult(200, [sessions.message_out(rt, m) for m in stored])
        return _ForRasa(s.locale, body.payload if body.payload is not None else (body.text or ""), emp_id)


async def employee_turn(rt: Runtime, rasa: RasaClient, session_id: str, token: str | None, body: MessageIn,
                        allow: Callable[[str], bool] | None = None) -> TurnResult:
    """Database work runs in worker threads, so a slow query never stalls other turns on the event loop."""
    async with session_turn(session_id):
        first = await run_in_threadpool(_before_rasa, rt, session_id, token, body, allow)
        if isinstance(first, TurnResult):
            return first
        emp_id, locale = first.emp_id, first.locale
        try:
            bot = await rasa.send(session_id, first.text, metadata={MESSAGE_ID: emp_id})
        except RasaUnavailable as exc:
            log.warning("Rasa unavailable for a turn: %s", exc)
            if done := await run_in_threadpool(_answered, rt, emp_id):  # only Rasa's reply to the app was lost
                return TurnResult(200, done)
            msg = replies.with_resources(t("unavailable", locale), locale, rt)
            msg.sender = "system"
            return TurnResult(503, await run_in_threadpool(_store, rt, session_id, [msg], emp_id))
        done = _as_stored(bot, emp_id) or await run_in_threadpool(_answered, rt, emp_id)
        if done:  # the actions stored their replies with the answers; Rasa's copy of them is not stored again
            return TurnResult(200, done)
        return TurnResult(200, await run_in_threadpool(_store, rt, session_id, bot, emp_id))


def _as_stored(bot: list[Reply], emp_id: str) -> list[dict]:
    """The bot replies the custom actions stored for this employee message, from Rasa's reply itself: each action
    sends where it stored each reply (id, seq, created_at) with it, after its unit of work is committed
    (app/rasa/action_endpoint.py). Empty unless every reply carries that and answers this message: then the store
    is asked (`_answered`)."""
    if not bot or not all(r.stored and r.stored.get("reply_to") == emp_id and r.stored.get("sender") == "bot"
                          for r in bot):
        return []
    return [sessions.reply_out(r) for r in bot]


def _answered(rt: Runtime, emp_id: str) -> list[dict]:
    """The bot replies the custom actions stored for this employee message, if they ran."""
    with session_scope() as db:
        return [sessions.message_out(rt, m) for m in sessions.replies_to(db, emp_id) if m.sender == "bot"]
