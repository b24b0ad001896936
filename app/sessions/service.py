"""Employee sessions and their messages: creation, token checks, the ordered encrypted transcript."""
from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app.conversation.reply import Reply
from app.escalations.models import Escalation
from app.runtime import Runtime
from app.sessions.models import EmployeeSession, Message
from app.sessions.tokens import hash_token, new_id, new_token
from app.timeutil import iso, utcnow


class SessionAuthError(Exception):
    """Carries the HTTP status the boundary answers with (401, 404, 410)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def create_session(db: Session, rt: Runtime, *, org: str | None, unit: str | None, locale: str,
                   campaign: str | None = None) -> tuple[EmployeeSession, str]:
    """`campaign`: the campaign whose link opened it, already checked (app/campaigns/service.py link_problem)."""
    token = new_token()
    session = EmployeeSession(id=new_id(), token_hash=hash_token(rt.pepper, token), org=org, unit=unit, locale=locale,
                              campaign_id=campaign)
    db.add(session)
    db.flush()
    return session, token


def authenticate(db: Session, rt: Runtime, session_id: str, token: str | None) -> EmployeeSession:
    _require(token)
    session = db.get(EmployeeSession, session_id)
    _check_access(rt, token, session.token_hash if session else None, session.erased_at if session else None)
    assert session is not None
    return session


def _require(token: str | None) -> None:
    if not token:
        raise SessionAuthError(401, "missing bearer token")


def _check_access(rt: Runtime, token: str | None, token_hash: str | None, erased_at: datetime | None) -> None:
    """The one rule for an employee's access: a known session, its own token, not erased."""
    if token_hash is None:
        raise SessionAuthError(404, "unknown session")
    if not hmac.compare_digest(token_hash, hash_token(rt.pepper, token or "")):
        raise SessionAuthError(401, "this token belongs to another session")
    if erased_at is not None:
        raise SessionAuthError(410, "erased session")


_SESSIONS, _MESSAGES = EmployeeSession.__table__, Message.__table__  # type: ignore[attr-defined]
# Core statements built once: the ORM-enabled UPDATE (bulk-persistence machinery, session synchronisation) and a
# unit-of-work flush per message cost more than writing the rows they store.
_NEXT_SEQS = (update(_SESSIONS).where(_SESSIONS.c.id == bindparam("sid"))
              .values(last_seq=_SESSIONS.c.last_seq + bindparam("n"), last_active_at=bindparam("now"))
              .returning(_SESSIONS.c.last_seq))
_INSERT_MESSAGE = _MESSAGES.insert()
# The employee turn's one read before it writes: the access check's columns, what the turn needs, and the message
# this client_msg_id already sent (a retry), instead of loading the ORM object and asking a second query.
_ESCALATIONS = Escalation.__table__  # type: ignore[attr-defined]
_TURN_SESSION = core_select(
    _SESSIONS.c.token_hash, _SESSIONS.c.erased_at, _SESSIONS.c.locale, _SESSIONS.c.handoff,
    core_select(_MESSAGES.c.id).where(_MESSAGES.c.session_id == _SESSIONS.c.id,
                                      _MESSAGES.c.client_msg_id == bindparam("cid")).scalar_subquery(),
    _SESSIONS.c.safety_state,
    exists().where(_ESCALATIONS.c.session_id == _SESSIONS.c.id, _ESCALATIONS.c.priority == "urgent",
                   _ESCALATIONS.c.status.in_(("open", "claimed"))),
).where(_SESSIONS.c.id == bindparam("sid"))
_REPLY = _MESSAGES.alias("reply")
_EMPLOYEE_MESSAGE = core_select(
    _MESSAGES.c.id,
    exists().where(_REPLY.c.reply_to == _MESSAGES.c.id, _REPLY.c.sender == "bot"),
).where(_MESSAGES.c.id == bindparam("mid"), _MESSAGES.c.session_id == bindparam("sid"),
        _MESSAGES.c.sender == "employee")
_RECENT_BUTTONS = (core_select(_MESSAGES.c.buttons_json)
                   .where(_MESSAGES.c.session_id == bindparam("sid"), _MESSAGES.c.sender == "bot")
                   .order_by(_MESSAGES.c.seq.desc()).limit(20))


@dataclass(frozen=True)
class StoredMessage:
    """A message row as `append_message` wrote it: the columns of `Message`, without building an ORM object
    (constructing the SQLModel instance cost more than writing the row)."""

    id: str
    session_id: str
    seq: int
    sender: str
    kind: str
    text_enc: str
    buttons_json: str
    progress_json: str | None
    card_enc: str | None
    answered_enc: str | None
    client_msg_id: str | None
    reply_to: str | None
    created_at: datetime


@dataclass(frozen=True)
class TurnSession:
    """What an employee turn reads of its session before Rasa answers (the ORM object is loaded only for a crisis)."""

    id: str
    locale: str
    handoff: bool
    sent_before: str | None  # the id of the message this turn's client_msg_id already stored, if any
    safety_state: str | None = None  # a safety question is waiting for its answer
    in_crisis: bool = False  # an urgent escalation is unresolved: the session is in a crisis episode


def authenticate_turn(db: Session, rt: Runtime, session_id: str, token: str | None,
                      client_msg_id: str | None) -> TurnSession:
    """`authenticate` for the employee turn, in one Core query with the retry lookup."""
    _require(token)
    row = db.connection().execute(_TURN_SESSION, {"sid": session_id, "cid": client_msg_id}).first()
    _check_access(rt, token, row[0] if row else None, row[1] if row else None)
    assert row is not None
    return TurnSession(session_id, row[2], bool(row[3]), row[4], row[5], bool(row[6]))


def append_message(db: Session, rt: Runtime, session: EmployeeSession | TurnSession, reply: Reply, *,
                   client_msg_id: str | None = None, reply_to: str | None = None) -> StoredMessage:
    """Stores one message (in the caller's transaction) and returns it. The row is written at once with Core
    statements, so nothing is attached to `db`, and `session.last_seq` in memory is not updated."""
    return _append(db, rt, session, [reply], client_msg_id, reply_to)[0]


def append_messages(db: Session, rt: Runtime, session: EmployeeSession | TurnSession, replies: list[Reply], *,
                    reply_to: str | None = None) -> list[StoredMessage]:
    """Stores the replies of one turn in order: one sequence increment for all, one multi-row insert."""
    return _append(db, rt, session, replies, None, reply_to) if replies else []


def _append(db: Session, rt: Runtime, session: EmployeeSession | TurnSession, replies: list[Reply],
            client_msg_id: str | None, reply_to: str | None) -> list[StoredMessage]:
    conn = db.connection()
    # An atomic increment: counsellor messages and employee turns may append to one session at the same moment.
    now = utcnow()
    last = conn.execute(_NEXT_SEQS, {"sid": session.id, "n": len(replies), "now": now}).scalar_one()
    rows = [{"id": new_id(), "session_id": session.id, "seq": last - len(replies) + 1 + i, "sender": reply.sender,
             "kind": reply.kind,
             "text_enc": rt.keyring.encrypt(reply.text, aad=session.id),
             "buttons_json": json.dumps(reply.buttons, ensure_ascii=False),
             "progress_json": json.dumps(reply.progress) if reply.progress else None,
             "card_enc": rt.keyring.encrypt(json.dumps(reply.card, ensure_ascii=False), aad=session.id)
             if reply.card else None,
             "answered_enc": rt.keyring.encrypt(json.dumps(reply.answered, ensure_ascii=False), aad=session.id)
             if reply.answered else None,
             "client_msg_id": client_msg_id, "reply_to": reply_to, "created_at": now}
            for i, reply in enumerate(replies)]
    conn.execute(_INSERT_MESSAGE, rows if len(rows) > 1 else rows[0])  # executemany only for several
    return [StoredMessage(**row) for row in rows]


def message_out(rt: Runtime, msg: Message | StoredMessage) -> dict[str, Any]:
    return {
        "id": msg.id, "seq": msg.seq, "sender": msg.sender, "kind": msg.kind,
        "text": rt.keyring.decrypt(msg.text_enc, aad=msg.session_id),
        "buttons": json.loads(msg.buttons_json or "[]"),
        "progress": json.loads(msg.progress_json) if msg.progress_json else None,
        "card": json.loads(rt.keyring.decrypt(msg.card_enc, aad=msg.session_id)) if msg.card_enc else None,
        "answered": json.loads(rt.keyring.decrypt(msg.answered_enc, aad=msg.session_id))
        if msg.answered_enc else None,
        "created_at": iso(msg.created_at),
    }


def history(db: Session, session_id: str, after_seq: int = 0, limit: int = 500) -> list[Message]:
    stmt = (select(Message).where(Message.session_id == session_id, Message.seq > after_seq)
            .order_by(col(Message.seq)).limit(limit))
    return list(db.exec(stmt))


def replies_to(db: Session, message_id: str) -> list[Message]:
    return list(db.exec(select(Message).where(Message.reply_to == message_id).order_by(col(Message.seq))))


def employee_message(db: Session, session_id: str, message_id: str) -> tuple[str, bool] | None:
    """The employee message's id and whether a bot reply to it exists (None: no such message), in one query."""
    row = db.connection().execute(_EMPLOYEE_MESSAGE, {"mid": message_id, "sid": session_id}).first()
    return None if row is None else (row[0], bool(row[1]))


def button_title(db: Session, session_id: str, payload: str) -> str | None:
    """The title of the most recent button with this payload, so the transcript shows what the employee tapped."""
    for buttons_json in db.connection().execute(_RECENT_BUTTONS, {"sid": session_id}).scalars():
        for button in json.loads(buttons_json or "[]"):
            if button.get("payload") == payload:
                return str(button.get("title"))
    return None


def stored_ref(msg: Message | StoredMessage) -> dict[str, Any]:
    """What a custom action sends back with a reply it stored, so the turn can answer without reading it back."""
    return {"id": msg.id, "seq": msg.seq, "sender": msg.sender, "reply_to": msg.reply_to,
            "created_at": iso(msg.created_at)}


def reply_out(reply: Reply) -> dict[str, Any]:
    """A stored reply as the API shows it (message_out), from the reply itself and where it was stored."""
    ref = reply.stored or {}
    return {"id": ref["id"], "seq": ref["seq"], "sender": ref["sender"], "kind": reply.kind, "text": reply.text,
            "buttons": reply.buttons,
            "progress": reply.progress, "card": reply.card, "answered": reply.answered,
            "created_at": ref["created_at"]}
