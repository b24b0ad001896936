"""Counsellor routes (API.md "Counsellor"): thin; each opens the unit of work, and publishes after the commit.

Routes that write into an employee's conversation take the same per-session turn lock as the employee's own turn,
so a counsellor message and an employee message never race for the next `seq`.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.concurrency import run_in_threadpool

from app.conversation.locks import TurnBusy, session_turn
from app.db import session_scope
from app.deps import get_rt
from app.escalations import service
from app.escalations.events import publish_escalation_changed, publish_session_message
from app.escalations.live import router as live_router
from app.escalations.schemas import (
    AssignIn,
    EscalationDetail,
    EscalationList,
    EscalationOut,
    NoteOut,
    ResolveIn,
    TextIn,
    TransferIn,
)
from app.runtime import Runtime
from app.sessions.schemas import MessagesOut
from app.sessions.service import message_out
from app.staff.deps import require_role
from app.staff.models import StaffUser
from app.staff.service import audit
from app.web.console.router import router as console_router

api = APIRouter(prefix="/api/v1/escalations", tags=["counsellor"],
                   responses={401: {"description": "not logged in"}, 403: {"description": "not allowed"},
                              404: {"description": "no such escalation"}})
RtDep = Annotated[Runtime, Depends(get_rt)]
Holder = Annotated[StaffUser, Depends(require_role(*service.HOLDER_ROLES))]
Admin = Annotated[StaffUser, Depends(require_role("admin"))]
T = TypeVar("T")
StatusFilter = Literal["active", "open", "claimed", "resolved", "withdrawn", "all"]


def _one(escalation_id: str, work: Callable[[Any], Any]) -> dict[str, Any]:
    """Run `work(db)` → Escalation in a unit of work, answer with its JSON, announce the change after commit."""
    with session_scope() as db:
        out = service.to_out(db, [work(db)])[0]
    publish_escalation_changed(escalation_id)
    return out


def _turn_lock(session_id: str | None) -> AbstractAsyncContextManager[None]:
    return session_turn(session_id) if session_id else nullcontext()


def _session_id(escalation_id: str, user: StaffUser) -> str | None:
    with session_scope() as db:
        return service.get(db, escalation_id, user).session_id


def _announce(escalation_id: str, session_id: str | None) -> None:
    publish_escalation_changed(escalation_id)
    if session_id:
        publish_session_message(session_id)


async def _in_conversation(escalation_id: str, user: StaffUser, work: Callable[[], T]) -> T:
    """Run blocking `work` under the employee session's turn lock, then tell listeners (console, widget). Outside
    the user's scope it is 404 before any lock is taken."""
    session_id = await run_in_threadpool(_session_id, escalation_id, user)
    try:
        async with _turn_lock(session_id):
            out = await run_in_threadpool(work)
    except TurnBusy as exc:
        raise HTTPException(status_code=503, detail="the conversation is busy; try again",
                            headers={"Retry-After": "2"}) from exc
    await run_in_threadpool(_announce, escalation_id, session_id)  # a Redis publish may block briefly
    return out


@api.get("", response_model=EscalationList)
def list_escalations(user: Holder, status: StatusFilter = "active", mine: bool = False,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """Urgent → high → routine, then oldest first. `status=active` (default) is open + claimed + unclosed withdrawn.
    Extension: `org_name` and `unit_name` beside the ids, so the console shows the names an admin gave."""
    with session_scope() as db:
        return {"escalations": service.to_out(db, service.list_queue(db, user, status=status, mine=mine,
                                                                      limit=limit))}


@api.get("/{escalation_id}", response_model=EscalationDetail)
def get_escalation(escalation_id: str, user: Holder, rt: RtDep,
                   locale: Literal["zh-CN", "en"] = "zh-CN") -> dict[str, Any]:
    """The escalation with results, answers and transcript. Every view is written to the audit log."""
    with session_scope() as db:
        return service.detail(db, rt, user, service.readable(db, user, escalation_id), locale)


@api.get("/{escalation_id}/messages", response_model=MessagesOut)
def get_messages(escalation_id: str, user: Holder, rt: RtDep,
                 after_seq: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    """The live chat for the console: the employee's conversation after `after_seq`."""
    with session_scope() as db:
        esc = service.readable(db, user, escalation_id)
        if after_seq == 0:
            audit(db, user, "escalation.chat_view", "escalation", esc.id)
        return {"messages": [message_out(rt, m) for m in service.chat(db, esc, after_seq)]}


@api.post("/{escalation_id}/claim", response_model=EscalationOut, responses={409: {"description": "taken"}})
def claim(escalation_id: str, user: Holder) -> dict[str, Any]:
    return _one(escalation_id, lambda db: service.claim(db, escalation_id, user))


@api.post("/{escalation_id}/release", response_model=EscalationOut)
async def release(escalation_id: str, user: Holder, rt: RtDep) -> dict[str, Any]:
    """Back to the queue; a conversation the counsellor had joined returns to the bot."""
    return await _in_conversation(
        escalation_id, user, lambda: _one_quiet(lambda db: service.release(db, rt, user, escalation_id)))


@api.post("/{escalation_id}/transfer", response_model=EscalationOut,
          responses={409: {"description": "not open or claimed"}, 422: {"description": "no such counsellor or centre"}})
async def transfer(escalation_id: str, body: TransferIn, user: Holder, rt: RtDep) -> dict[str, Any]:
    """`username`: hand the claimed case to a counsellor whose scope holds it. `centre` + `reason`: move it,
    unclaimed, to another centre's queue (recorded as a referral; that centre's live feed hears it)."""
    if body.centre is None:
        return await run_in_threadpool(
            _one, escalation_id, lambda db: service.transfer(db, user, escalation_id, str(body.username)))
    centre, reason = body.centre, str(body.reason)
    return await _in_conversation(escalation_id, user, lambda: _one_quiet(
        lambda db: service.transfer_to_centre(db, rt, user, escalation_id, centre, reason)))


@api.post("/{escalation_id}/assign", response_model=EscalationOut)
def assign(escalation_id: str, body: AssignIn, admin: Admin) -> dict[str, Any]:
    return _one(escalation_id, lambda db: service.assign(db, admin, escalation_id, body.username))


@api.post("/{escalation_id}/messages", status_code=201, response_model=MessagesOut,
             responses={409: {"description": "not claimed"}, 410: {"description": "the employee erased it"}})
async def send_message(escalation_id: str, body: TextIn, user: Holder, rt: RtDep) -> dict[str, Any]:
    """Only the claimant writes. The first message starts the handoff (the employee is told)."""
    def work() -> dict[str, Any]:
        with session_scope() as db:
            return {"messages": [message_out(rt, m)
                                 for m in service.post_message(db, rt, user, escalation_id, body.text)]}

    return await _in_conversation(escalation_id, user, work)


@api.post("/{escalation_id}/notes", status_code=201, response_model=NoteOut)
def add_note(escalation_id: str, body: TextIn, user: Holder, rt: RtDep) -> dict[str, Any]:
    with session_scope() as db:
        return service.add_note(db, rt, user, escalation_id, body.text)


@api.post("/{escalation_id}/resolve", response_model=EscalationOut)
async def resolve(escalation_id: str, body: ResolveIn, user: Holder, rt: RtDep) -> dict[str, Any]:
    """Only the claimant resolves; the conversation returns to the bot, which greets the employee."""
    return await _in_conversation(
        escalation_id, user, lambda: _one_quiet(lambda db: service.resolve(db, rt, user, escalation_id, body.outcome,
                                                                      body.note)))


def _one_quiet(work: Callable[[Any], Any]) -> dict[str, Any]:
    with session_scope() as db:
        return service.to_out(db, [work(db)])[0]


# Only `routers` is exported (app/routers.py includes `router` too when present): the live feed's fixed path
# `/stream` must come before `/{escalation_id}`.
routers = [live_router, api, console_router]
