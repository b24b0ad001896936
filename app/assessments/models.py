"""One taken questionnaire and its answers; the org/unit copy lets aggregates survive erasure of the session."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class Assessment(SQLModel, table=True):
    __tablename__ = "assessment"

    id: str = Field(primary_key=True, max_length=32)
    session_id: str | None = Field(default=None, foreign_key="employee_session.id", index=True, max_length=32,
                                   ondelete="SET NULL")
    scale_id: str = Field(max_length=32)
    scale_version: str = Field(max_length=16)
    status: str = Field(default="in_progress", max_length=16)  # in_progress, paused, completed, stopped
    current_item: int = 0  # index of the next item to ask
    org: str | None = Field(default=None, max_length=64)
    unit: str | None = Field(default=None, max_length=64)
    # the campaign whose link opened the conversation (kept, like org/unit, when the session goes): campaign reports
    campaign_id: str | None = Field(default=None, max_length=32)
    started_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    completed_on: date | None = None  # reports never see anything finer than a day
    score: int | None = None
    max_score: int | None = None
    band: str | None = Field(default=None, max_length=32)
    risk: str | None = Field(default=None, max_length=16)
    subscales_json: str | None = None


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "item_index", name="uq_answer_item"),)

    id: str = Field(primary_key=True, max_length=32)
    assessment_id: str = Field(foreign_key="assessment.id", index=True, max_length=32, ondelete="CASCADE")
    item_index: int
    value: int
    free_text_enc: str | None = None  # what the employee typed, when the answer came in words
    answered_at: datetime = Field(default_factory=utcnow)
