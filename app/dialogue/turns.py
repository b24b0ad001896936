"""One employee turn (ARCHITECTURE.md "One employee turn"): store, crisis screen, handoff, Rasa, store the replies.

No database transaction is held open while Rasa works: Rasa calls back into the app's action endpoint.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.db import session_scope
from app.dialogue import replies
from app.dialogue.conversation import crisis_messages, crisis_reply
from app.dialogue.locks import session_turn
from app.dialogue.rasa_client import RasaClient, RasaUnavailable
from app.dialogue.texts import t
from app.escalations.events import publish_after_commit
from app.runtime import Runtime
from app.safety.crisis_screen import screen
from app.sessions import service as sessions
from app.sessions.models import EmployeeSession
from app.sessions.schemas import MessageIn
from app.sessions.service import Reply


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
        stored = [sessions.append_message(db, rt, s, r, reply_to=reply_to) for r in out]
        return [sessions.message_out(rt, m) for m in stored]


async def employee_turn(rt: Runtime, rasa: RasaClient, session_id: str, token: str | None, body: MessageIn,
                        allow: Callable[[str], bool] | None = None) -> TurnResult:
    async with session_turn(session_id):
        with session_scope() as db:
            s = sessions.authenticate(db, rt, session_id, token)
            emp = sessions.find_client_message(db, s.id, body.client_msg_id) if body.client_msg_id else None
            if emp is not None:
                prior = sessions.replies_to(db, emp.id)
                if prior and any(m.sender != "system" for m in prior):
                    return TurnResult(200, [sessions.message_out(rt, m) for m in prior])
                if s.handoff:
                    return TurnResult(200, [])
            else:
                if allow is not None and not allow(s.id):
                    raise RateLimited()
                shown = body.text if body.text is not None else (
                    sessions.button_title(db, s.id, body.payload or "") or body.payload or "")
                emp = sessions.append_message(db, rt, s, Reply(shown, sender="employee"),
                                              client_msg_id=body.client_msg_id)
            emp_id = emp.id
            verdict = screen(body.text) if body.text else None
            if verdict is not None and verdict.level == "hit":
                # The urgent escalation is committed (end of this block) before the reply leaves the app.
                crisis_reply(db, rt, s, source="crisis_screen", reason=f"crisis screen: {verdict.matched}")
                stored = [sessions.append_message(db, rt, s, r, reply_to=emp_id) for r in crisis_messages(db, rt, s)]
                out = [sessions.message_out(rt, m) for m in stored]
                if s.handoff:
                    publish_after_commit(db, "session", s.id)
                return TurnResult(200, out)
            if s.handoff:
                publish_after_commit(db, "session", s.id)
                return TurnResult(200, [])
            locale = s.locale
            to_rasa = body.payload if body.payload is not None else (body.text or "")
        try:
            bot = await rasa.send(session_id, to_rasa)
        except RasaUnavailable:
            msg = replies.with_resources(t("unavailable", locale), locale, rt)
            msg.sender = "system"
            return TurnResult(503, _store(rt, session_id, [msg], emp_id))
        if verdict is not None and verdict.level == "check" and not any(r.text == t("gentle_check", locale)
                                                                         for r in bot):
            bot.append(Reply(t("gentle_check", locale)))
        return TurnResult(200, _store(rt, session_id, bot, emp_id))
