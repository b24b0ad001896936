"""Employee sessions and their messages: creation, token checks, the ordered encrypted transcript."""
from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

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


@dataclass
class Reply:
    """One outgoing message before it is stored."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    progress: dict[str, Any] | None = None
    card: dict[str, Any] | None = None
    sender: str = "bot"
    stored: dict[str, Any] | None = None  # where a custom action stored it: id, seq, created_at, reply_to


def create_session(db: Session, rt: Runtime, *, org: str | None, unit: str | None, locale: str) -> tuple[
        EmployeeSession, str]:
    token = new_token()
    session = EmployeeSession(id=new_id(), token_hash=hash_token(rt.pepper, token), org=org, unit=unit, locale=locale)
    db.add(session)
    db.flush()
    return session, token


def authenticate(db: Session, rt: Runtime, session_id: str, token: str | None) -> EmployeeSession:
    if not token:
        raise SessionAuthError(401, "missing bearer token")
    session = db.get(EmployeeSession, session_id)
    if session is None:
        raise SessionAuthError(404, "unknown session")
    if not hmac.compare_digest(session.token_hash, hash_token(rt.pepper, token)):
        raise SessionAuthError(401, "token does not belong to this session")
    if session.erased_at is not None:
        raise SessionAuthError(410, "this session was erased")
    return session


_SESSIONS, _MESSAGES = EmployeeSession.__table__, Message.__table__  # type: ignore[attr-defined]
# Core statements built once: the ORM-enabled UPDATE (bulk-persistence machinery, session synchronisation) and a
# unit-of-work flush per message were most of the time a turn spent storing messages (bench/README.md, load_bench).
_NEXT_SEQ = (update(_SESSIONS).where(_SESSIONS.c.id == bindparam("sid"))
             .values(last_seq=_SESSIONS.c.last_seq + 1, last_active_at=bindparam("now"))
             .returning(_SESSIONS.c.last_seq))
_INSERT_MESSAGE = _MESSAGES.insert()
_CLIENT_MESSAGE = core_select(_MESSAGES.c.id).where(_MESSAGES.c.session_id == bindparam("sid"),
                                                    _MESSAGES.c.client_msg_id == bindparam("cid"))
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
    text_enc: str
    buttons_json: str
    progress_json: str | None
    card_enc: str | None
    client_msg_id: str | None
    reply_to: str | None
    created_at: datetime


def append_message(db: Session, rt: Runtime, session: EmployeeSession, reply: Reply, *,
                   client_msg_id: str | None = None, reply_to: str | None = None) -> StoredMessage:
    """Stores one message (in the caller's transaction) and returns it. The row is written at once with Core
    statements, so nothing is attached to `db`, and `session.last_seq` in memory is not updated."""
    conn = db.connection()
    # An atomic increment: counsellor messages and employee turns may append to one session at the same moment.
    now = utcnow()
    seq = conn.execute(_NEXT_SEQ, {"sid": session.id, "now": now}).scalar_one()
    row = {"id": new_id(), "session_id": session.id, "seq": seq, "sender": reply.sender,
           "text_enc": rt.keyring.encrypt(reply.text, aad=session.id),
           "buttons_json": json.dumps(reply.buttons, ensure_ascii=False),
           "progress_json": json.dumps(reply.progress) if reply.progress else None,
           "card_enc": rt.keyring.encrypt(json.dumps(reply.card, ensure_ascii=False), aad=session.id)
           if reply.card else None,
           "client_msg_id": client_msg_id, "reply_to": reply_to, "created_at": now}
    conn.execute(_INSERT_MESSAGE, row)
    return StoredMessage(**row)


def message_out(rt: Runtime, msg: Message | StoredMessage) -> dict[str, Any]:
    return {
        "id": msg.id, "seq": msg.seq, "sender": msg.sender,
        "text": rt.keyring.decrypt(msg.text_enc, aad=msg.session_id),
        "buttons": json.loads(msg.buttons_json or "[]"),
        "progress": json.loads(msg.progress_json) if msg.progress_json else None,
        "card": json.loads(rt.keyring.decrypt(msg.card_enc, aad=msg.session_id)) if msg.card_enc else None,
        "created_at": iso(msg.created_at),
    }


def history(db: Session, session_id: str, after_seq: int = 0, limit: int = 500) -> list[Message]:
    stmt = (select(Message).where(Message.session_id == session_id, Message.seq > after_seq)
            .order_by(col(Message.seq)).limit(limit))
    return list(db.exec(stmt))


def client_message_id(db: Session, session_id: str, client_msg_id: str) -> str | None:
    """The id of the message this session already sent with this client_msg_id, if any."""
    return db.connection().execute(_CLIENT_MESSAGE, {"sid": session_id, "cid": client_msg_id}).scalar()


def replies_to(db: Session, message_id: str) -> list[Message]:
    return list(db.exec(select(Message).where(Message.reply_to == message_id).order_by(col(Message.seq))))


def employee_message(db: Session, session_id: str, message_id: str) -> tuple[str, bool] | None:
    """(id, already answered by the bot?) of this session's employee message, or None: one query."""
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
    return {"id": ref["id"], "seq": ref["seq"], "sender": ref["sender"], "text": reply.text, "buttons": reply.buttons,
            "progress": reply.progress, "card": reply.card, "created_at": ref["created_at"]}
