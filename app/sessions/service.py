"""Employee sessions and their messages: creation, token checks, the ordered encrypted transcript."""
from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
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


def append_message(db: Session, rt: Runtime, session: EmployeeSession, reply: Reply, *,
                   client_msg_id: str | None = None, reply_to: str | None = None) -> Message:
    # An atomic increment: counsellor messages and employee turns may append to one session at the same moment.
    seq = db.execute(update(EmployeeSession).where(col(EmployeeSession.id) == session.id)
                     .values(last_seq=EmployeeSession.last_seq + 1, last_active_at=utcnow())
                     .returning(EmployeeSession.last_seq)).scalar_one()
    msg_id = new_id()
    msg = Message(
        id=msg_id, session_id=session.id, seq=seq, sender=reply.sender,
        text_enc=rt.keyring.encrypt(reply.text, aad=session.id),
        buttons_json=json.dumps(reply.buttons, ensure_ascii=False),
        progress_json=json.dumps(reply.progress) if reply.progress else None,
        card_enc=rt.keyring.encrypt(json.dumps(reply.card, ensure_ascii=False), aad=session.id) if reply.card else None,
        client_msg_id=client_msg_id, reply_to=reply_to,
    )
    db.add(msg)
    db.flush()
    return msg


def message_out(rt: Runtime, msg: Message) -> dict[str, Any]:
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


def find_client_message(db: Session, session_id: str, client_msg_id: str) -> Message | None:
    stmt = select(Message).where(Message.session_id == session_id, Message.client_msg_id == client_msg_id)
    return db.exec(stmt).first()


def replies_to(db: Session, message_id: str) -> list[Message]:
    return list(db.exec(select(Message).where(Message.reply_to == message_id).order_by(col(Message.seq))))


def button_title(db: Session, session_id: str, payload: str) -> str | None:
    """The title of the most recent button with this payload, so the transcript shows what the employee tapped."""
    stmt = (select(Message).where(Message.session_id == session_id, Message.sender == "bot")
            .order_by(col(Message.seq).desc()).limit(20))
    for msg in db.exec(stmt):
        for button in json.loads(msg.buttons_json or "[]"):
            if button.get("payload") == payload:
                return str(button.get("title"))
    return None
