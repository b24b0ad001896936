"""Request and response bodies of the counsellor API (API.md "Counsellor"), with the console's extensions."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.sessions.schemas import MessageOut
from app.text_rules import CleanLine, CleanText

Outcome = Literal["contacted", "referred_medical", "self_help", "no_response", "other"]


class EscalationOut(BaseModel):
    id: str
    priority: Literal["urgent", "high", "routine"]
    reason: str
    reason_i18n: dict[str, str] = Field(default_factory=dict,
                                        description="extension: the reason in each console language")
    status: Literal["open", "claimed", "resolved", "withdrawn"]
    scale: str | None
    score: int | None
    created_at: str
    due_at: str
    claimed_by: str | None
    org: str | None
    unit: str | None
    org_name: str | None = Field(None, description="extension: the org's name when an admin defined the org (else "
                                                   "null; `org` stays the id)")
    unit_name: str | None = Field(None, description="extension: the unit's name when an admin defined that unit in "
                                                    "that org (else null; `unit` stays the id)")
    centre: str | None = Field(None, description="the centre whose queue holds it: the centre serving its org; null "
                                                 "when none does (then it is in every root centre's queue)")
    overdue: bool = Field(description="extension: still open after its due time")
    source: str = Field(description="extension: risk_rule, crisis_decision, safety_question or request")
    claimed_at: str | None = None
    resolved_at: str | None = None
    outcome: str | None = None
    handoff: bool = Field(False, description="extension: a counsellor currently holds the employee's conversation")
    burst_id: str | None = Field(None, description="extension: urgent cases opened from one client within a short "
                                                   "window share this id (the first case's id)")
    burst_size: int = Field(1, description="extension: how many cases share the burst so far (1: alone)")


class EscalationList(BaseModel):
    escalations: list[EscalationOut]


class ResultOut(BaseModel):
    assessment_id: str
    scale: str
    score: int
    max_score: int
    band: str
    band_label: str
    risk: str
    completed_at: str | None


class AnswerOut(BaseModel):
    number: int
    text: str
    value: int
    label: str
    free_text: str | None = None


class AnswerSet(BaseModel):
    assessment_id: str
    scale: str
    status: str
    items: list[AnswerOut]


class NoteOut(BaseModel):
    id: str
    author: str
    text: str
    created_at: str


class EscalationDetail(EscalationOut):
    results: list[ResultOut]
    answers: list[AnswerSet]
    transcript: list[MessageOut]
    notes: list[NoteOut] = Field(default_factory=list, description="extension: private notes, decrypted")
    trigger: str | None = Field(None, description="extension: the employee's words that raised it (crisis decision "
                                                  "or safety question), decrypted; null for risk rules and requests")


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: CleanText = Field(min_length=1, max_length=2000)


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: CleanLine = Field(min_length=1, max_length=64)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: CleanText | None = Field(None, max_length=4000)
