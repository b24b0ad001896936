"""Anonymous employee sessions and their messages: no name, address or device data, message text encrypted."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class EmployeeSession(SQLModel, table=True):
    __tablename__ = "employee_session"

    id: str = Field(primary_key=True, max_length=32)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    locale: str = Field(default="zh-CN", max_length=8)
    org: str | None = Field(default=None, max_length=64)
    unit: str | None = Field(default=None, max_length=64)
    # the screening campaign whose link opened it (app/campaigns); null: an ordinary unit or general link
    campaign_id: str | None = Field(default=None, foreign_key="campaign.id", index=True, max_length=32)
    consent: str | None = Field(default=None, max_length=16)  # None, "agreed", "declined"
    handoff: bool = False  # a counsellor holds the conversation: messages never go to Rasa
    active_assessment_id: str | None = Field(default=None, max_length=32)
    pending_json: str | None = None  # the answer candidates the bot asked the employee to confirm
    safety_state: str | None = Field(default=None, max_length=16)  # "asked" / "asked_again": a safety question is open
    last_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    last_active_at: datetime = Field(default_factory=utcnow, index=True)
    erased_at: datetime | None = None


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_message_session_seq"),
        UniqueConstraint("session_id", "client_msg_id", name="uq_message_session_client_msg"),
    )

    id: str = Field(primary_key=True, max_length=32)
    session_id: str = Field(foreign_key="employee_session.id", index=True, max_length=32, ondelete="CASCADE")
    seq: int
    sender: str = Field(max_length=16)  # employee, bot, counsellor, system
    kind: str = Field(default="text", max_length=16)  # text, crisis, safety_question (API.md), erase_offer
    text_enc: str
    buttons_json: str = "[]"
    progress_json: str | None = None
    card_enc: str | None = None  # a result card (score, band, advice): health data, so encrypted like the text
    answered_enc: str | None = None  # the option this reply recorded ({item, value, label}): encrypted, health data
    client_msg_id: str | None = Field(default=None, max_length=64)
    reply_to: str | None = Field(default=None, max_length=32, index=True)  # the employee message a reply answers
    created_at: datetime = Field(default_factory=utcnow, index=True)
