"""Escalations to a human counsellor and their private notes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow

PRIORITY_RANK = {"urgent": 0, "high": 1, "routine": 2}
ACTIVE_WHERE = "status IN ('open', 'claimed') OR (status = 'withdrawn' AND resolved_at IS NULL)"
OPEN_WHERE = "status = 'open'"
OUTCOMES = ("contacted", "referred_medical", "self_help", "no_response", "other")


class Escalation(SQLModel, table=True):
    __tablename__ = "escalation"
    __table_args__ = (
        Index("ix_escalation_queue", "status", "priority_rank", "created_at"),
        # the console's working queue ("active"); a partial index both databases understand
        Index("ix_escalation_active_queue", "priority_rank", "created_at", "id",
              postgresql_where=text(ACTIVE_WHERE), sqlite_where=text(ACTIVE_WHERE)),
        # a centre's working queue: the active cases of the orgs it serves (scope.queue_scope, migration 0024)
        Index("ix_escalation_org_active_queue", "org", "priority_rank", "created_at", "id",
              postgresql_where=text(ACTIVE_WHERE), sqlite_where=text(ACTIVE_WHERE)),
        # the referral job: unclaimed cases per holding centre and priority, by due time (app/network/referrals.py)
        Index("ix_escalation_referral_due", "holding_centre_id", "priority", "due_at",
              postgresql_where=text(OPEN_WHERE), sqlite_where=text(OPEN_WHERE)),
    )

    id: str = Field(primary_key=True, max_length=32)
    session_id: str | None = Field(default=None, foreign_key="employee_session.id", index=True, max_length=32,
                                   ondelete="SET NULL")
    assessment_id: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=16)  # risk_rule, crisis_decision, safety_question, request
    priority: str = Field(max_length=16)
    priority_rank: int = 2
    reason: str = Field(max_length=200)  # what the counsellor reads, in English (reasons.localised gives zh-CN)
    trigger_enc: str | None = None  # the employee's words that triggered it, encrypted like the transcript
    status: str = Field(default="open", max_length=16)  # open, claimed, resolved, withdrawn
    scale: str | None = Field(default=None, max_length=32)
    score: int | None = None
    org: str | None = Field(default=None, max_length=64)
    unit: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    due_at: datetime = Field(default_factory=utcnow)
    claimed_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    claimed_at: datetime | None = None
    resolved_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=32)
    burst_id: str | None = Field(default=None, max_length=32, index=True)  # bursts.py
    # the centre whose queue holds it now (its claim window sets due_at); null only when no centre exists
    holding_centre_id: str | None = Field(default=None, foreign_key="centre.id", index=True, max_length=64)


class EscalationNote(SQLModel, table=True):
    __tablename__ = "escalation_note"

    id: str = Field(primary_key=True, max_length=32)
    escalation_id: str = Field(foreign_key="escalation.id", index=True, max_length=32, ondelete="CASCADE")
    author_id: int = Field(foreign_key="staff_user.id")
    text_enc: str
    created_at: datetime = Field(default_factory=utcnow)
