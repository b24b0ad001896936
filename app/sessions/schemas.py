"""Request and response bodies of the employee API (API.md, "Employee")."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.text_input import clean


class Button(BaseModel):
    title: str
    payload: str


class Progress(BaseModel):
    scale: str
    answered: int
    total: int


class Answered(BaseModel):
    """What a bot reply recorded for the previous item, so a client can mark the chosen button (and a misread typed
    answer is visible); clients that do not know the field ignore it (API.md)."""

    scale: str
    item: int = Field(description="the item's number in the scale (1-based)")
    value: int = Field(description="the recorded option's value")
    label: str = Field(description="the option's label in the session's locale")
    option: str = Field(description='"scale:item:value", as in the option\'s button payload')


class MessageOut(BaseModel):
    id: str
    seq: int
    sender: Literal["employee", "bot", "counsellor", "system"]
    kind: str = Field("text", description='"crisis", "safety_question", "erase_offer" or "text"; clients treat '
                                          'others as "text"')
    text: str
    buttons: list[Button]
    progress: Progress | None
    card: dict | None = Field(None, description="extension: a result card (score, band, advice) or crisis resources")
    answered: Answered | None = Field(None, description="extension: the option this reply recorded for the "
                                                        "previous item (typed or tapped)")
    created_at: str


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    org: str | None = Field(None, max_length=64)
    unit: str | None = Field(None, max_length=64)
    campaign: str | None = Field(None, max_length=64, description="extension: the campaign id of a campaign link")
    locale: Literal["zh-CN", "en"] = "zh-CN"


class SessionUpdate(BaseModel):
    """PATCH /sessions/{id}: the conversation's language; anything else is refused (422)."""

    model_config = ConfigDict(extra="forbid")

    locale: Literal["zh-CN", "en"]


class SessionUpdated(BaseModel):
    locale: str
    messages: list[MessageOut] = Field(description="what the bot asks again in the new language (may be empty)")


class CampaignHeader(BaseModel):
    name: str
    closes_on: date
    message: str | None


class SessionCreated(BaseModel):
    session_id: str
    token: str
    messages: list[MessageOut]
    campaign: CampaignHeader | None = Field(None, description="extension: the campaign a campaign link opened it in")


class MessageIn(BaseModel):
    """Either text or a button payload. Length limits are checked in the route so over-long text gets 413."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    payload: str | None = Field(None, max_length=512)
    client_msg_id: str | None = Field(None, min_length=1, max_length=64)

    _clean = field_validator("text", "payload", "client_msg_id", mode="before")(
        lambda v: clean(v) if isinstance(v, str) else v)

    @model_validator(mode="after")
    def _one_of(self) -> MessageIn:
        if (self.text is None) == (self.payload is None):
            raise ValueError("send exactly one of 'text' or 'payload'")
        if self.text is not None and not self.text.strip():
            raise ValueError("'text' is empty")
        return self


class Result(BaseModel):
    scale: str
    score: int
    max_score: int
    band: str
    band_label: str
    risk: Literal["none", "routine", "high", "urgent"]
    completed_at: str
    subscales: dict[str, int] | None = Field(None, description="extension: subscale scores (DASS-21)")


class ResultsOut(BaseModel):
    results: list[Result]


class ScaleOut(BaseModel):
    id: str
    short_name: str
    name: str
    items: int
    construct_: str = Field(alias="construct")
    citation: str
    description: str
    minutes: int
    version: str
