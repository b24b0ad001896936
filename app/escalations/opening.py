"""Opening escalations: shared by the risk rules (dialogue), the crisis decision and an employee's request."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.config import Settings
from app.crypto import Keyring
from app.escalations import bursts
from app.escalations.events import publish_after_commit
from app.escalations.models import PRIORITY_RANK, Escalation
from app.network import policy, referrals
from app.network.models import Centre
from app.sessions.models import EmployeeSession
from app.sessions.tokens import new_id
from app.timeutil import utcnow

ACTIVE = ("open", "claimed")


def active_escalation(db: Session, session_id: str, source: str | None = None) -> Escalation | None:
    stmt = select(Escalation).where(Escalation.session_id == session_id, col(Escalation.status).in_(ACTIVE))
    if source is not None:
        stmt = stmt.where(Escalation.source == source)
    return db.exec(stmt.order_by(col(Escalation.priority_rank))).first()


def open_escalation(db: Session, settings: Settings, session: EmployeeSession, *, source: str, priority: str,
                    reason: str, assessment_id: str | None = None, scale: str | None = None,
                    score: int | None = None, trigger: str | None = None,
                    keyring: Keyring | None = None, now: datetime | None = None) -> tuple[Escalation, bool]:
    """Open one, or return the session's active one (raising its priority if needed): one per episode.
    `trigger`: the employee's words that raised it, stored encrypted with `keyring` for the counsellor. `now`: the
    time it is raised (tests inject it; service hours are judged at that time).

    Returns (escalation, created).
    """
    existing = active_escalation(db, session.id)
    if existing is not None:
        if PRIORITY_RANK[priority] < existing.priority_rank:
            existing.priority, existing.priority_rank = priority, PRIORITY_RANK[priority]
            existing.reason, existing.source = reason[:200], source
            holder = db.get(Centre, existing.holding_centre_id) if existing.holding_centre_id else None
            existing.due_at = min(existing.due_at, policy.due_at(holder, priority, now or utcnow(), settings))
            if trigger and keyring is not None:
                existing.trigger_enc = keyring.encrypt(trigger, aad=existing.id)
            if scale:  # the reason now names this result: its scale and score go with it
                existing.scale, existing.score, existing.assessment_id = scale, score, assessment_id
            db.add(existing)
        elif scale and existing.scale is None:
            existing.scale, existing.score, existing.assessment_id = scale, score, assessment_id
            db.add(existing)
        return existing, False
    now = now or utcnow()
    # held by the centre serving the org; raised out of its hours, it is referred up at once (app/network)
    holder, path, due = referrals.place_new(db, settings, session.org, priority, now)
    esc = Escalation(
        id=new_id(), session_id=session.id, assessment_id=assessment_id, source=source, priority=priority,
        priority_rank=PRIORITY_RANK[priority], reason=reason[:200], scale=scale, score=score,
        org=session.org, unit=session.unit, created_at=now,
        due_at=due, holding_centre_id=holder.id if holder else None,
    )
    if trigger and keyring is not None:
        esc.trigger_enc = keyring.encrypt(trigger, aad=esc.id)
    client = bursts.turn_client.get()
    if priority == "urgent" and client is not None:
        esc.burst_id = bursts.join(client, esc.id, settings.burst_window_seconds)
    db.add(esc)
    db.flush()
    referrals.record_path(db, esc.id, path, "out_of_hours", now)
    publish_after_commit(db, "escalation", esc.id)
    return esc, True
