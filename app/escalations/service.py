"""The counsellor queue: listing, exclusive claims, hand-over, the live chat (handoff), notes and resolution.

Services never commit: the router's unit of work does, and publishes the change after the commit.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from app.assessments.models import Answer, Assessment
from app.assessments.service import completed_results
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.errors import Refused
from app.escalations.models import Escalation, EscalationNote
from app.escalations.reasons import localised
from app.network.models import Centre
from app.network.referrals import history
from app.network.referrals import transfer as transfer_case
from app.network.scope import escalation_scope, queue_scope
from app.reports.models import Org, Unit
from app.runtime import Runtime, get_runtime
from app.scales.registry import ScaleRegistry
from app.sessions import service as sessions
from app.sessions.models import EmployeeSession, Message
from app.sessions.service import StoredMessage
from app.sessions.tokens import new_id
from app.staff.models import StaffUser
from app.staff.service import audit
from app.timeutil import iso, utcnow

HOLDER_ROLES = ("counsellor", "admin")


class EscalationError(Refused):
    """Answered by the API with its status (403, 404, 409, 410; app/errors.py)."""


# --- reading -------------------------------------------------------------------------------------------------------

def get(db: Session, escalation_id: str, user: StaffUser) -> Escalation:
    """The escalation if `user`'s scope holds it (app/network/scope.py), read with the scope in the query; one
    outside the scope is 404 exactly like one that does not exist."""
    stmt = (select(Escalation).where(col(Escalation.id) == escalation_id, escalation_scope(user))
            .execution_options(populate_existing=True))
    esc = db.exec(stmt).first()
    if esc is None:
        raise EscalationError(404, "no such escalation")
    return esc


def can_read(user: StaffUser, esc: Escalation) -> bool:
    """Admins read everything; a counsellor reads what nobody holds and what they hold (or held)."""
    return user.role == "admin" or esc.claimed_by_id in (None, user.id)


def readable(db: Session, user: StaffUser, escalation_id: str) -> Escalation:
    esc = get(db, escalation_id, user)
    if not can_read(user, esc):
        raise EscalationError(403, "another counsellor holds this escalation")
    return esc


def list_queue(db: Session, user: StaffUser, *, status: str = "active", mine: bool = False,
               limit: int = 200) -> list[Escalation]:
    """Urgent → high → routine, then oldest first. "active" is the working queue: open, claimed, and withdrawn ones
    nobody has closed yet."""
    stmt = select(Escalation).where(queue_scope(db, user))
    if status == "active":
        stmt = stmt.where(or_(col(Escalation.status).in_(("open", "claimed")),
                              and_(col(Escalation.status) == "withdrawn", col(Escalation.resolved_at).is_(None))))
    elif status != "all":
        stmt = stmt.where(col(Escalation.status) == status)
    if mine:
        stmt = stmt.where(col(Escalation.claimed_by_id) == user.id)
    elif user.role != "admin":
        # Others' finished cases are not a counsellor's business; who holds which live case is.
        stmt = stmt.where(or_(col(Escalation.status).in_(("open", "claimed")), col(Escalation.claimed_by_id) == user.id,
                              col(Escalation.claimed_by_id).is_(None)))
    stmt = stmt.order_by(col(Escalation.priority_rank), col(Escalation.created_at), col(Escalation.id)).limit(limit)
    return list(db.exec(stmt))


def to_out(db: Session, escs: list[Escalation]) -> list[dict[str, Any]]:
    """API.md's escalation JSON plus extensions. The names and handoff flags come from one joined query keyed by the
    escalation ids (burst sizes from a second, only when a row has a burst): each query costs more than its rows."""
    extra = _extras(db, escs)
    bursts: dict[str | None, int] = {}
    if burst_ids := {e.burst_id for e in escs if e.burst_id}:
        stmt = (select(Escalation.burst_id, func.count()).where(col(Escalation.burst_id).in_(burst_ids))
                .group_by(col(Escalation.burst_id)))
        bursts = dict(db.exec(stmt).all())
    now, scales = utcnow(), get_runtime().scales
    none = _Extra(None, None, None, None, None)  # the outer joins give None where a row has no such link
    out = []
    for e in escs:
        x = extra.get(e.id, none)
        out.append({
            "id": e.id, "priority": e.priority, "reason": e.reason, "reason_i18n": localised(e.reason, scales),
            "status": e.status, "scale": e.scale, "scale_name": scale_name(scales, e.scale),
            "score": e.score, "created_at": iso(e.created_at), "due_at": iso(e.due_at),
            "claimed_by": x.claimed_by,
            "org": e.org, "unit": e.unit, "org_name": x.org_name, "centre": e.holding_centre_id,
            "centre_name": x.centre_name, "unit_name": x.unit_name,
            "overdue": e.status == "open" and e.due_at < now, "source": e.source,
            "claimed_at": iso(e.claimed_at), "resolved_at": iso(e.resolved_at), "outcome": e.outcome,
            "handoff": bool(x.handoff),
            "burst_id": e.burst_id,
            "burst_size": bursts.get(e.burst_id, 1) if e.burst_id else 1,
        })
    return out


def scale_name(scales: ScaleRegistry, scale_id: str | None) -> str | None:
    """What counsellors call the scale ("PHQ-9"), its id when its file is gone."""
    scale = scales.get(scale_id) if scale_id else None
    return scale.short_name if scale is not None else scale_id


class _Extra(NamedTuple):
    """What an escalation's JSON shows from other tables."""
    claimed_by: str | None
    org_name: str | None
    unit_name: str | None
    centre_name: str | None
    handoff: bool | None


def _extras(db: Session, escs: list[Escalation]) -> dict[str, _Extra]:
    """Escalation id → the holder's username, the names an admin gave the QR link's org and unit and the holding
    centre (so the console shows words, not ids), and the session's handoff flag, in one query of plain columns.
    A unit's name only when the link's org is the unit's own (the widget takes any org/unit pair)."""
    if not escs:
        return {}
    stmt = (select(Escalation.id, StaffUser.username, Org.name, Unit.name, Centre.name, EmployeeSession.handoff)
            .select_from(Escalation)
            .outerjoin(StaffUser, col(StaffUser.id) == col(Escalation.claimed_by_id))
            .outerjoin(Org, col(Org.id) == col(Escalation.org))
            .outerjoin(Unit, and_(col(Unit.id) == col(Escalation.unit), col(Unit.org_id) == col(Escalation.org)))
            .outerjoin(Centre, col(Centre.id) == col(Escalation.holding_centre_id))
            .outerjoin(EmployeeSession, col(EmployeeSession.id) == col(Escalation.session_id))
            .where(col(Escalation.id).in_({e.id for e in escs})))
    return {row[0]: _Extra(*row[1:]) for row in db.exec(stmt)}


def detail(db: Session, rt: Runtime, user: StaffUser, esc: Escalation, locale: str) -> dict[str, Any]:
    """Results, answers (item text and answer label from the scale files), transcript and notes; audited."""
    out = to_out(db, [esc])[0]
    out.update(results=[], answers=[], transcript=[], notes=notes_of(db, rt, esc), referrals=history(db, rt, esc),
               trigger=rt.keyring.decrypt(esc.trigger_enc, aad=esc.id) if esc.trigger_enc else None)
    session = _session_of(db, esc)
    if session is not None:
        out["results"] = [_result(rt, a, locale) for a in completed_results(db, session.id)]
        out["answers"] = _answers(db, rt, session.id, locale)
        out["transcript"] = [sessions.message_out(rt, m) for m in sessions.history(db, session.id, 0, limit=10_000)]
    audit(db, user, "escalation.view", "escalation", esc.id)
    return out


def _result(rt: Runtime, a: Assessment, locale: str) -> dict[str, Any]:
    scale = rt.scales.get(a.scale_id)
    band = next((b for bs in scale.bands for b in bs.bands if b.id == a.band), None) if scale else None
    return {"assessment_id": a.id, "scale": a.scale_id, "scale_name": scale_name(rt.scales, a.scale_id),
            "score": a.score or 0, "max_score": a.max_score or 0,
            "band": a.band or "", "band_label": band.label.get(locale) if band else (a.band or ""),
            "risk": a.risk or "none", "completed_at": iso(a.completed_at)}


def _answers(db: Session, rt: Runtime, session_id: str, locale: str) -> list[dict[str, Any]]:
    out = []
    stmt = select(Assessment).where(Assessment.session_id == session_id).order_by(col(Assessment.started_at))
    for a in db.exec(stmt):
        scale = rt.scales.get(a.scale_id)
        rows = db.exec(select(Answer).where(Answer.assessment_id == a.id).order_by(col(Answer.item_index)))
        items = []
        for r in rows:
            item = scale.items[r.item_index] if scale and r.item_index < len(scale.items) else None
            option = next((o for o in scale.options if o.value == r.value), None) if scale else None
            items.append({"number": r.item_index + 1, "text": item.text.get(locale) if item else "",
                          "value": r.value, "label": option.label.get(locale) if option else str(r.value),
                          "free_text": rt.keyring.decrypt(r.free_text_enc, aad=a.id) if r.free_text_enc else None})
        if items:
            out.append({"assessment_id": a.id, "scale": a.scale_id, "scale_name": scale_name(rt.scales, a.scale_id),
                        "status": a.status, "items": items})
    return out


def notes_of(db: Session, rt: Runtime, esc: Escalation) -> list[dict[str, Any]]:
    stmt = (select(EscalationNote, StaffUser.username).join(StaffUser, col(StaffUser.id) == EscalationNote.author_id)
            .where(EscalationNote.escalation_id == esc.id).order_by(col(EscalationNote.created_at)))
    return [{"id": n.id, "author": name, "text": rt.keyring.decrypt(n.text_enc, aad=esc.id),
             "created_at": iso(n.created_at)} for n, name in db.exec(stmt)]


def chat(db: Session, esc: Escalation, after_seq: int) -> list[Message]:
    session = _session_of(db, esc)
    return [] if session is None else sessions.history(db, session.id, after_seq)


def _session_of(db: Session, esc: Escalation, *, lock: bool = False) -> EmployeeSession | None:
    """The employee's session, or None once they erased it (a withdrawn escalation keeps no content)."""
    if esc.session_id is None:
        return None
    s = db.get(EmployeeSession, esc.session_id, with_for_update=lock, populate_existing=lock)
    return None if s is None or s.erased_at is not None else s


# --- claims --------------------------------------------------------------------------------------------------------

def claim(db: Session, escalation_id: str, user: StaffUser) -> Escalation:
    """Exactly once: a single compare-and-set UPDATE (open → claimed); whoever changes no row lost the race. The
    caller's scope is part of the UPDATE's condition too."""
    get(db, escalation_id, user)
    res = db.exec(update(Escalation)  # type: ignore[call-overload]
                  .where(col(Escalation.id) == escalation_id, col(Escalation.status) == "open",
                         escalation_scope(user))
                  .values(status="claimed", claimed_by_id=user.id, claimed_at=utcnow()))
    esc = get(db, escalation_id, user)
    if res.rowcount == 1:
        audit(db, user, "escalation.claim", "escalation", esc.id)
        return esc
    if esc.status == "claimed" and esc.claimed_by_id == user.id:
        return esc
    raise EscalationError(409, f"escalation is {esc.status}" + (" by another counsellor" if esc.status == "claimed"
                                                                  else ""))


def _holder(db: Session, user: StaffUser, escalation_id: str, *, admin_too: bool = False) -> Escalation:
    esc = get(db, escalation_id, user)
    if esc.claimed_by_id != user.id and not (admin_too and user.role == "admin"):
        raise EscalationError(403, "only the counsellor who claimed this escalation may do this")
    if esc.status == "withdrawn":
        raise EscalationError(410, "the employee erased this conversation")
    if esc.status != "claimed":
        raise EscalationError(409, f"escalation is {esc.status}")
    return esc


def _target(db: Session, username: str, esc: Escalation) -> StaffUser:
    """An active counsellor (or admin) whose scope holds the escalation: a case is never handed to someone who
    could not open it."""
    target = db.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if target is None or target.disabled or target.role not in HOLDER_ROLES or db.exec(
            select(Escalation.id).where(col(Escalation.id) == esc.id, escalation_scope(target))).first() is None:
        raise EscalationError(422, f"{username!r} is not an active counsellor for this escalation")
    return target


def release(db: Session, rt: Runtime, user: StaffUser, escalation_id: str) -> Escalation:
    """Back to the queue. A conversation the counsellor had joined returns to the bot, and the employee is told."""
    esc = _holder(db, user, escalation_id, admin_too=True)
    res = db.exec(update(Escalation)  # type: ignore[call-overload]
                  .where(col(Escalation.id) == esc.id, col(Escalation.status) == "claimed",
                         col(Escalation.claimed_by_id) == esc.claimed_by_id)
                  .values(status="open", claimed_by_id=None, claimed_at=None))
    if res.rowcount != 1:
        raise EscalationError(409, "the escalation changed meanwhile; reload")
    _end_handoff(db, rt, esc)
    audit(db, user, "escalation.release", "escalation", esc.id)
    return get(db, esc.id, user)


def transfer(db: Session, user: StaffUser, escalation_id: str, username: str) -> Escalation:
    esc = _holder(db, user, escalation_id, admin_too=True)
    return _reassign(db, user, esc, _target(db, username, esc), ("claimed",), "escalation.transfer")


def transfer_to_centre(db: Session, rt: Runtime, user: StaffUser, escalation_id: str, centre_id: str,
                       reason: str) -> Escalation:
    """To another centre's queue: anyone who can see an open case, or the holder (or an admin) of a claimed one.
    A conversation the counsellor had joined returns to the bot first. The answer is read without the caller's
    scope: after a transfer away from a centre that only held it, the caller may no longer see it."""
    esc = get(db, escalation_id, user)
    if esc.status == "withdrawn":
        raise EscalationError(410, "the employee erased this conversation")
    if esc.status not in ("open", "claimed"):
        raise EscalationError(409, f"escalation is {esc.status}")
    if esc.status == "claimed" and esc.claimed_by_id != user.id and user.role != "admin":
        raise EscalationError(403, "another counsellor holds this escalation")
    if esc.status == "claimed":
        _end_handoff(db, rt, esc)
    transfer_case(db, rt, user, esc, centre_id, reason)
    audit(db, user, f"escalation.transfer_centre:{centre_id}"[:64], "escalation", esc.id)
    db.flush()
    db.refresh(esc)
    return esc


def assign(db: Session, admin: StaffUser, escalation_id: str, username: str) -> Escalation:
    """An admin gives an open or claimed escalation to a counsellor (themselves included)."""
    esc = get(db, escalation_id, admin)
    if esc.status not in ("open", "claimed"):
        raise EscalationError(409, f"escalation is {esc.status}")
    return _reassign(db, admin, esc, _target(db, username, esc), ("open", "claimed"), "escalation.assign")


def _reassign(db: Session, actor: StaffUser, esc: Escalation, target: StaffUser, statuses: tuple[str, ...],
              action: str) -> Escalation:
    res = db.exec(update(Escalation)  # type: ignore[call-overload]
                  .where(col(Escalation.id) == esc.id, col(Escalation.status).in_(statuses),
                         col(Escalation.claimed_by_id).is_(None) if esc.claimed_by_id is None
                         else col(Escalation.claimed_by_id) == esc.claimed_by_id)
                  .values(status="claimed", claimed_by_id=target.id, claimed_at=utcnow()))
    if res.rowcount != 1:
        raise EscalationError(409, "the escalation changed meanwhile; reload")
    audit(db, actor, f"{action}:{target.username}"[:64], "escalation", esc.id)
    return get(db, esc.id, actor)


# --- live chat, notes, resolution ----------------------------------------------------------------------------------

def post_message(db: Session, rt: Runtime, user: StaffUser, escalation_id: str, text: str) -> list[StoredMessage]:
    """The claimant writes to the employee. The first message starts the handoff: the employee is told a
    counsellor joined, and from then on their messages never reach Rasa."""
    esc = _holder(db, user, escalation_id)
    session = _session_of(db, esc, lock=True)
    if session is None:
        raise EscalationError(410, "the employee erased this conversation")
    out: list[StoredMessage] = []
    if not session.handoff:
        session.handoff = True
        out.append(sessions.append_message(db, rt, session, Reply(t("handoff_joined", session.locale),
                                                                  sender="system")))
    out.append(sessions.append_message(db, rt, session, Reply(text, sender="counsellor")))
    audit(db, user, "escalation.message", "escalation", esc.id)
    return out


def add_note(db: Session, rt: Runtime, user: StaffUser, escalation_id: str, text: str) -> dict[str, Any]:
    """Private notes: only the holder (or an admin) writes them; encrypted and bound to the escalation."""
    esc = get(db, escalation_id, user)
    if esc.claimed_by_id != user.id and user.role != "admin":
        raise EscalationError(403, "only the counsellor who claimed this escalation may add notes")
    return _note(db, rt, user, esc, text)


def _note(db: Session, rt: Runtime, user: StaffUser, esc: Escalation, text: str) -> dict[str, Any]:
    note = EscalationNote(id=new_id(), escalation_id=esc.id, author_id=user.id or 0,
                          text_enc=rt.keyring.encrypt(text, aad=esc.id))
    db.add(note)
    db.flush()
    audit(db, user, "escalation.note", "escalation", esc.id)
    return {"id": note.id, "author": user.username, "text": text, "created_at": iso(note.created_at)}


def resolve(db: Session, rt: Runtime, user: StaffUser, escalation_id: str, outcome: str,
            note: str | None) -> Escalation:
    """Record the outcome and hand the conversation back to the bot. A withdrawn escalation (the employee erased
    their data) can be closed too: it keeps its status, gains the outcome, and leaves the working queue."""
    esc = get(db, escalation_id, user)
    if esc.status == "withdrawn" and esc.claimed_by_id in (None, user.id) and esc.resolved_at is None:
        esc.outcome, esc.resolved_at = outcome, utcnow()
    else:
        esc = _holder(db, user, escalation_id)
        esc.status, esc.outcome, esc.resolved_at = "resolved", outcome, utcnow()
        _end_handoff(db, rt, esc)
    db.add(esc)
    if note and note.strip():
        _note(db, rt, user, esc, note.strip())
    audit(db, user, f"escalation.resolve:{outcome}", "escalation", esc.id)
    db.flush()
    return esc


def _end_handoff(db: Session, rt: Runtime, esc: Escalation) -> None:
    session = _session_of(db, esc, lock=True)
    if session is not None and session.handoff:
        session.handoff = False
        sessions.append_message(db, rt, session, Reply(t("handoff_left", session.locale), sender="system"))
