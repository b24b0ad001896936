"""Request and response bodies of the counsellor API (API.md "Counsellor"), with the console's extensions."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.sessions.schemas import MessageOut
from app.text_rules import CleanLine, CleanText

Outcome = Literal["contacted", "referred_medical", "self_help", "no_response", "other"]
SCALE_NAME = "extension: the scale's short name (\"PHQ-9\"); its id when its file is gone"


class EscalationOut(BaseModel):
    id: str
    priority: Literal["urgent", "high", "routine"]
    reason: str
    reason_i18n: dict[str, str] = Field(default_factory=dict,
                                        description="extension: the reason in each console language")
    status: Literal["open", "claimed", "resolved", "withdrawn"]
    scale: str | None
    scale_name: str | None = Field(None, description=SCALE_NAME)
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
    centre: str | None = Field(None, description="the centre whose queue holds it now: the centre serving its org "
                                                 "(an unserved case: the oldest root) until it is referred or "
                                                 "transferred; null only when no centre exists")
    centre_name: str | None = Field(None, description="extension: that centre's name")
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
    scale_name: str | None = Field(None, description=SCALE_NAME)
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
    scale_name: str | None = Field(None, description=SCALE_NAME)
    status: str
    items: list[AnswerOut]


class NoteOut(BaseModel):
    id: str
    author: str
    text: str
    created_at: str


class ReferralOut(BaseModel):
    from_: str | None = Field(alias="from", description="the centre it left (null: no centre)")
    to: str | None
    from_name: str | None = None
    to_name: str | None = None
    reason: Literal["unclaimed", "out_of_hours", "transfer", "root_realert"]
    at: str
    by: str | None = Field(None, description="the counsellor who transferred it")
    note: str | None = Field(None, description="the transfer's reason as typed, decrypted")

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class EscalationDetail(EscalationOut):
    results: list[ResultOut]
    answers: list[AnswerSet]
    transcript: list[MessageOut]
    notes: list[NoteOut] = Field(default_factory=list, description="extension: private notes, decrypted")
    referrals: list[ReferralOut] = Field(default_factory=list, description="every move between centres, oldest "
                                                                          "first (API.md \"The service network\")")
    trigger: str | None = Field(None, description="extension: the employee's words that raised it (crisis decision "
                                                  "or safety question), decrypted; null for risk rules and requests")


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: CleanText = Field(min_length=1, max_length=2000)


class TransferIn(BaseModel):
    """`username`: hand the case to a counsellor (or admin) whose scope holds it. `centre` with `reason`: move it
    to another centre's queue (any centre, a sibling too), unclaimed, recorded as a referral."""
    model_config = ConfigDict(extra="forbid")

    username: CleanLine | None = Field(None, min_length=1, max_length=64)
    centre: CleanLine | None = Field(None, min_length=1, max_length=64)
    reason: CleanText | None = Field(None, max_length=1000, description="why it goes to that centre (required "
                                                                         "with `centre`)")

    @model_validator(mode="after")
    def _one_target(self) -> TransferIn:
        if (self.username is None) == (self.centre is None):
            raise ValueError("give either username (a counsellor) or centre (another centre's queue)")
        if self.centre is not None:
            if not (self.reason or "").strip():
                raise ValueError("a transfer to a centre needs a reason")
            self.reason = (self.reason or "").strip()
        return self


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: CleanLine = Field(min_length=1, max_length=64)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: CleanText | None = Field(None, max_length=4000)
