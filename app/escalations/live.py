"""The console's live feed: server-sent events when an escalation opens or changes, and when an employee writes
in a conversation the listening counsellor holds.

EventSource cannot send headers, so this route alone also takes the staff token as `?access_token=` (the access
log records route templates only, never query strings). A logout with the token ends the stream at once (a
"logout" notice, through Redis on every replica); otherwise the token is re-checked, without sliding its idle
expiry, so a token revoked some other way or a disabled account ends the stream within `RECHECK_SECONDS`.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlmodel import col, select

from app.db import session_scope
from app.deps import get_rt
from app.escalations import service
from app.escalations.events import subscribe
from app.escalations.models import Escalation
from app.network.scope import escalation_scope
from app.runtime import Runtime
from app.sessions.tokens import hash_token
from app.staff.deps import oauth2, staff_for_token
from app.staff.models import StaffUser
from app.staff.service import resolve_token

router = APIRouter(prefix="/api/v1/escalations", tags=["counsellor"])
RECHECK_SECONDS = 20.0
COALESCE_SECONDS = 0.25  # publishers may announce a row just before their commit; a short pause lets it land
QUEUE_SIZE = 1000


def stream_auth(rt: Annotated[Runtime, Depends(get_rt)], header_token: Annotated[str | None, Depends(oauth2)],
                access_token: Annotated[str | None, Query(description="the staff token (EventSource sends no "
                                                                      "headers)")] = None) -> tuple[StaffUser, str]:
    token = header_token or access_token
    user = staff_for_token(rt, token)
    if user.role not in service.HOLDER_ROLES:
        raise HTTPException(status_code=403, detail=f"role {user.role!r} may not do this")
    return user, token or ""


def _still_valid(rt: Runtime, token: str) -> bool:
    with session_scope() as db:
        return resolve_token(db, rt.settings, rt.pepper, token, touch=False) is not None


def _render(user: StaffUser, batch: list[tuple[str, str]]) -> list[ServerSentEvent]:
    """Turn notices into events this user may see: escalations in their scope they may list (the scope is in the
    query, app/network/scope.py), messages of cases they hold."""
    events: list[ServerSentEvent] = []
    with session_scope() as db:
        fresh = db.get(StaffUser, user.id)  # the scope as it is now: an account moved meanwhile hears its new one
        if fresh is None or fresh.disabled:
            return events
        user = fresh
        for kind, ident in dict.fromkeys(batch):
            if kind in ("escalation", "realert"):
                esc = db.exec(select(Escalation).where(col(Escalation.id) == ident, escalation_scope(user))).first()
                if esc is None or (kind == "realert" and esc.status != "open"):
                    continue
                if user.role == "admin" or esc.status in ("open", "claimed") or esc.claimed_by_id in (None, user.id):
                    events.append(ServerSentEvent(event=kind, data=service.to_out(db, [esc])[0]))
            elif kind == "session":
                stmt = select(Escalation).where(Escalation.session_id == ident, Escalation.status == "claimed",
                                                escalation_scope(user))
                if user.role != "admin":
                    stmt = stmt.where(col(Escalation.claimed_by_id) == user.id)
                esc = db.exec(stmt).first()
                if esc is not None:
                    events.append(ServerSentEvent(event="message", data={"escalation_id": esc.id}))
    return events


async def _feed(rt: Runtime, user: StaffUser, token: str) -> AsyncIterator[ServerSentEvent]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def put(item: tuple[str, str]) -> None:
        if not queue.full():
            queue.put_nowait(item)

    def on_notice(kind: str, ident: str) -> None:  # called from any thread
        loop.call_soon_threadsafe(put, (kind, ident))

    mine = hash_token(rt.pepper, token)
    ended = ServerSentEvent(event="logout", data={"reason": "session ended"})
    unsubscribe = subscribe(on_notice)
    try:
        yield ServerSentEvent(event="hello", data={"username": user.username, "role": user.role}, retry=3000)
        while True:
            try:
                first = await asyncio.wait_for(queue.get(), timeout=RECHECK_SECONDS)
            except TimeoutError:
                if not await run_in_threadpool(_still_valid, rt, token):
                    yield ended
                    return
                continue
            if first == ("logout", mine):
                yield ended
                return
            await asyncio.sleep(COALESCE_SECONDS)
            batch = [first]
            while not queue.empty():
                batch.append(queue.get_nowait())
            if ("logout", mine) in batch:
                yield ended
                return
            for event in await run_in_threadpool(_render, user, batch):
                yield event
    finally:
        unsubscribe()


@router.get("/stream", response_class=EventSourceResponse, responses={401: {}, 403: {}})
async def stream(auth: Annotated[tuple[StaffUser, str], Depends(stream_auth)],
                 rt: Annotated[Runtime, Depends(get_rt)]) -> AsyncIterator[ServerSentEvent]:
    """`event: escalation` (the escalation JSON), `event: realert` (the JSON of an unclaimed urgent case still
    waiting at the root, again each urgent window), `event: message` ({"escalation_id"}), `event: logout`."""
    user, token = auth
    async for event in _feed(rt, user, token):
        yield event
