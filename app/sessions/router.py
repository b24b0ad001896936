"""Employee routes (API.md "Employee"): thin; the turn itself lives in app.conversation.employee_turn."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError

from app.assessments import service as assessments
from app.campaigns import service as campaigns
from app.conversation import replies
from app.conversation.employee_turn import RateLimited, employee_turn
from app.conversation.locks import TurnBusy, session_turn
from app.conversation.texts import t
from app.db import session_scope
from app.deps import get_rasa, get_rt
from app.escalations.bursts import turn_client
from app.escalations.events import publish_escalation_changed
from app.privacy.erasure import erase_session as erase_session_data
from app.privacy.erasure import erase_tracker
from app.rasa.client import RasaClient
from app.ratelimit import client_host, limits_of, per_minute
from app.reports import orgs
from app.runtime import Runtime
from app.sessions import service as sessions
from app.sessions.locale_switch import switch_locale
from app.sessions.schemas import (
    MessageIn,
    MessagesOut,
    Result,
    ResultsOut,
    SessionCreate,
    SessionCreated,
    SessionUpdate,
    SessionUpdated,
)
from app.sessions.tokens import new_id
from app.staff.service import resolve_token
from app.text_rules import refuse_bad_characters
from app.timeutil import iso, utcnow

router = APIRouter(prefix="/api/v1/sessions", tags=["employee"])
RtDep = Annotated[Runtime, Depends(get_rt)]

async def bearer(authorization: Annotated[str | None, Header()] = None) -> str | None:
    """async: a plain function dependency would run in the thread pool, one thread hop per request."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


TokenDep = Annotated[str | None, Depends(bearer)]
AUTH_RESPONSES: dict[int | str, dict] = {401: {"description": "bad or missing token"},
                                         403: {"description": "a staff token: staff never act in a session"},
                                         404: {"description": "unknown session"}, 410: {"description": "erased"}}


def _auth_error(exc: sessions.SessionAuthError, rt: Runtime, token: str | None) -> HTTPException:
    """A live staff token is a role without the right (403, API.md "HR gets 403 on sessions"), not a bad token."""
    if exc.status == 401 and token and _is_staff(rt, token):
        return HTTPException(status_code=403, detail="staff accounts cannot act in an employee's conversation")
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return HTTPException(status_code=exc.status, detail=exc.detail, headers=headers)


def _is_staff(rt: Runtime, token: str) -> bool:
    with session_scope() as db:
        return resolve_token(db, rt.settings, rt.pepper, token, touch=False) is not None


@router.post("", status_code=201, response_model=SessionCreated,
             responses={422: {"description": "an org or unit that is not registered, a unit of another org, or a "
                                                "campaign that is not this link's or not open today"},
                        429: {"description": "rate"}})
def create_session(rt: RtDep, request: Request, body: SessionCreate | None = None) -> dict:
    """New conversations are limited per client and per unit link (the widget then shows the hotlines)."""
    body = body or SessionCreate()
    # PostgreSQL refuses NUL in text: a 500 before
    for name, value in (("org", body.org), ("unit", body.unit), ("campaign", body.campaign)):
        if value is not None and (problem := refuse_bad_characters(value, allow_newlines=False)):
            raise HTTPException(status_code=422, detail=f"{name} {problem}")
    limits = limits_of(request)
    if not limits.hit(per_minute(rt.settings.sessions_per_client_per_minute), "new-client",
                      limits.key(client_host(request))):
        raise HTTPException(status_code=429, detail="too many new sessions from this client; try again in a minute",
                            headers={"Retry-After": "60"})
    with session_scope() as db:
        if problem := orgs.link_problem(db, body.org, body.unit):  # checked before it takes a rate-limit key
            raise HTTPException(status_code=422, detail=f"this link is not valid: {problem}")
        if body.campaign is not None and (problem := campaigns.link_problem(db, body.campaign, body.org, body.unit)):
            raise HTTPException(status_code=422, detail=f"this link is not valid: {problem}")
        if (body.org or body.unit) and not limits.hit(per_minute(rt.settings.sessions_per_unit_per_minute),
                                                      "new-unit", limits.key(f"{body.org}\n{body.unit}")):
            raise HTTPException(status_code=429, detail="too many new sessions on this link; try again in a minute",
                                headers={"Retry-After": "60"})
        s, token = sessions.create_session(db, rt, org=body.org, unit=body.unit, locale=body.locale,
                                           campaign=body.campaign)
        campaigns.record(db, s, "opened")
        opening = replies.consent(body.locale, rt.settings.report_min_cell)
        stored = [sessions.append_message(db, rt, s, r) for r in opening]
        return {"session_id": s.id, "token": token, "messages": [sessions.message_out(rt, m) for m in stored],
                "campaign": campaigns.header(db, body.campaign)}


@router.post("/{session_id}/messages", response_model=MessagesOut,
             responses={**AUTH_RESPONSES, 413: {"description": "text too long"}, 429: {"description": "rate"},
                        503: {"description": "dialogue engine unavailable; body still carries messages",
                              "model": MessagesOut}})
async def post_message(session_id: str, body: MessageIn, token: TokenDep, request: Request, rt: RtDep,
                       rasa: Annotated[RasaClient, Depends(get_rasa)]) -> JSONResponse:
    if body.text is not None and len(body.text) > rt.settings.max_message_chars:
        raise HTTPException(status_code=413, detail=f"text is over {rt.settings.max_message_chars} characters")
    if body.client_msg_id is not None and (problem := refuse_bad_characters(body.client_msg_id,
                                                                           allow_newlines=False)):
        raise HTTPException(status_code=422, detail=f"client_msg_id {problem}")
    limits = limits_of(request)
    client = limits.key(client_host(request))
    if not await limits.ahit(per_minute(rt.settings.client_rate_per_minute), "msg-client", client):
        raise HTTPException(status_code=429, detail="too many messages from this client; try again in a minute")
    per_session = per_minute(rt.settings.session_rate_per_minute)
    reset = turn_client.set(client)  # an urgent case this turn opens joins this client's burst, if any
    try:
        # `allow` is called inside the turn (after the token check), like the turn's own store work
        result = await employee_turn(rt, rasa, session_id, token, body,
                                     allow=lambda sid: limits.hit(per_session, "msg-session", sid))
    except sessions.SessionAuthError as exc:
        raise _auth_error(exc, rt, token) from exc
    except RateLimited as exc:
        raise HTTPException(status_code=429, detail="too many messages in this conversation; slow down") from exc
    except TurnBusy as exc:
        raise HTTPException(status_code=429, detail="the previous message is still being answered; retry") from exc
    except (OperationalError, InterfaceError):  # the store is locked or restarting: nothing was stored
        return JSONResponse({"messages": [store_down_notice(rt)]}, status_code=503)
    finally:
        turn_client.reset(reset)
    return JSONResponse({"messages": result.messages}, status_code=result.status)


def store_down_notice(rt: Runtime, locale: str = "zh-CN") -> dict:
    """A 503 still carries crisis resources (API.md); the notice is not stored, so it has no place (seq 0)."""
    msg = replies.with_resources(t("store_unavailable", locale), locale, rt)
    return {"id": new_id(), "seq": 0, "sender": "system", "text": msg.text, "buttons": [], "progress": None,
            "card": msg.card, "created_at": iso(utcnow())}


@router.get("/{session_id}/messages", response_model=MessagesOut, responses=AUTH_RESPONSES)
def get_messages(session_id: str, rt: RtDep, token: TokenDep,
                 after_seq: Annotated[int, Query(ge=0, le=2**31)] = 0) -> dict:
    with session_scope() as db:
        try:
            s = sessions.authenticate(db, rt, session_id, token)
        except sessions.SessionAuthError as exc:
            raise _auth_error(exc, rt, token) from exc
        return {"messages": [sessions.message_out(rt, m) for m in sessions.history(db, s.id, after_seq)]}


@router.get("/{session_id}/results", response_model=ResultsOut, responses=AUTH_RESPONSES)
def get_results(session_id: str, rt: RtDep, token: TokenDep) -> dict:
    with session_scope() as db:
        try:
            s = sessions.authenticate(db, rt, session_id, token)
        except sessions.SessionAuthError as exc:
            raise _auth_error(exc, rt, token) from exc
        out = []
        for a in assessments.completed_results(db, s.id):
            scale = rt.scales.get(a.scale_id)
            band = next((b for bs in scale.bands for b in bs.bands if b.id == a.band), None) if scale else None
            out.append(Result(scale=a.scale_id, score=a.score or 0, max_score=a.max_score or 0, band=a.band or "",
                              band_label=band.label.get(s.locale) if band else (a.band or ""),
                              risk=a.risk or "none", completed_at=iso(a.completed_at) or "",
                              subscales=json.loads(a.subscales_json) if a.subscales_json else None))
        return {"results": [r.model_dump() for r in out]}


@router.patch("/{session_id}", response_model=SessionUpdated,
              responses={**AUTH_RESPONSES, 429: {"description": "rate, or a turn is still being answered"}})
async def update_session(session_id: str, body: SessionUpdate, token: TokenDep, request: Request,
                         rt: RtDep) -> dict:
    """Switch the conversation's language without starting over (the widget's language link). Taken under the
    session's turn lock, so a turn in flight finishes in the language it started in."""
    limits = limits_of(request)
    try:
        async with session_turn(session_id):
            return await run_in_threadpool(_switch, rt, session_id, token, body.locale,
                                           lambda sid: limits.hit(per_minute(rt.settings.session_rate_per_minute),
                                                                  "msg-session", sid))
    except TurnBusy as exc:
        raise HTTPException(status_code=429, detail="the previous message is still being answered; retry") from exc


def _switch(rt: Runtime, session_id: str, token: str | None, locale: str, allow: Callable[[str], bool]) -> dict:
    with session_scope() as db:
        try:
            s = sessions.authenticate(db, rt, session_id, token)
        except sessions.SessionAuthError as exc:
            raise _auth_error(exc, rt, token) from exc
        if not allow(s.id):
            raise HTTPException(status_code=429, detail="too many changes in this conversation; slow down")
        stored = sessions.append_messages(db, rt, s, switch_locale(db, rt, s, locale))
        return {"locale": locale, "messages": [sessions.message_out(rt, m) for m in stored]}


@router.delete("/{session_id}", status_code=204, responses=AUTH_RESPONSES)
def erase_session(session_id: str, rt: RtDep, token: TokenDep, background: BackgroundTasks) -> Response:
    with session_scope() as db:
        try:
            s = sessions.authenticate(db, rt, session_id, token)
        except sessions.SessionAuthError as exc:
            raise _auth_error(exc, rt, token) from exc
        changed = erase_session_data(db, s)
    background.add_task(erase_tracker, rt.settings, session_id)  # Rasa's copy: a second's work after the answer
    for esc_id in changed:
        publish_escalation_changed(esc_id)
    return Response(status_code=204)
