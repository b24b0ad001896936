"""Tiered referral: where a new escalation is held, the job that refers unclaimed cases up the tree when their
claim window passes (and keeps re-alerting urgent ones at the root), and a counsellor's transfer to another centre.

Every move is a row in `referral`; nothing is ever dropped. Time is a parameter (`now`), so tests never sleep.
The job is set-based: per (holding centre, priority) group of due cases, one UPDATE … RETURNING and the INSERT of
their referrals — on PostgreSQL a single statement (a data-modifying CTE) — so the number of statements grows with
the centres, not with the cases (10,000 due cases: about 300 statements, under 4 s on a busy 2-core machine).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, literal, text, union_all, update
from sqlmodel import Session, col, select

from app.config import Settings
from app.escalations.events import publish_after_commit
from app.escalations.models import Escalation
from app.network import policy
from app.network.models import Centre, Referral
from app.runtime import Runtime
from app.staff.models import StaffUser
from app.timeutil import iso, utcnow

TRANSFER = "transfer"  # a referral's reason (not an escalation's: tests/escalations/test_reasons.py)
JOB_LOCK = 7_240_024  # PostgreSQL advisory lock: one pass at a time across replicas


def place_new(db: Session, settings: Settings, org_id: str | None, priority: str,
              now: datetime) -> tuple[Centre | None, list[Centre], datetime]:
    """For a case raised now: the centre that will hold it, the path it climbs out of hours (its first element
    the home centre; more than one element means it was referred at once), and its due time there."""
    centres = policy.tree(db)
    home = policy.home_centre(db, centres, org_id)
    path = policy.climb(centres, home, now) if home is not None else []
    holder = path[-1] if path else None
    return holder, path, policy.due_at(holder, priority, now, settings)


def record_path(db: Session, escalation_id: str, path: list[Centre], reason: str, now: datetime) -> None:
    """One referral row per hop of `path` (the escalation row must exist already)."""
    for here, there in zip(path, path[1:], strict=False):
        db.add(Referral(escalation_id=escalation_id, from_centre_id=here.id, to_centre_id=there.id, reason=reason,
                        created_at=now))


def run(db: Session, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """One pass: every open case past its due time moves to its holder's parent (climbing on past closed ones),
    and every unclaimed urgent case at a root is re-alerted once per the root's urgent window."""
    now = now or utcnow()
    if db.get_bind().dialect.name == "postgresql" and not db.connection().execute(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": JOB_LOCK}).scalar():
        return {"referred": 0, "realerted": 0}
    centres = policy.tree(db)
    groups = db.exec(select(Escalation.holding_centre_id, Escalation.priority)
                     .where(col(Escalation.status) == "open", col(Escalation.due_at) <= now).distinct()).all()
    referred = realerted = 0
    for holder_id, priority in groups:
        here = centres.get(holder_id) if holder_id else None
        if here is None or here.parent_id not in centres:
            if priority == "urgent":
                realerted += _realert(db, settings, here, holder_id, now)
            continue
        path = [here, *policy.climb(centres, centres[here.parent_id], now)]  # type: ignore[index]
        target = path[-1]
        hops = [(a.id, b.id, "unclaimed" if i == 0 else "out_of_hours")
                for i, (a, b) in enumerate(zip(path, path[1:], strict=False))]
        move = (update(Escalation)
                .where(col(Escalation.status) == "open", col(Escalation.due_at) <= now,
                       col(Escalation.holding_centre_id) == holder_id, col(Escalation.priority) == priority)
                .values(holding_centre_id=target.id, due_at=policy.due_at(target, priority, now, settings))
                .returning(col(Escalation.id)))
        moved = _move_and_record(db, move, hops, now)
        for eid in moved:
            publish_after_commit(db, "escalation", eid)
        referred += len(moved)
    return {"referred": referred, "realerted": realerted}


def _realert(db: Session, settings: Settings, root: Centre | None, holder_id: str | None, now: datetime) -> int:
    """Unclaimed urgent cases past due at a root: a record and a live alert, again each urgent window."""
    since = now - policy.window(root, "urgent", settings)
    recent = exists().where(col(Referral.escalation_id) == Escalation.id, col(Referral.reason) == "root_realert",
                            col(Referral.created_at) > since)
    held = (col(Escalation.holding_centre_id).is_(None) if holder_id is None
            else col(Escalation.holding_centre_id) == holder_id)
    ids = db.exec(select(Escalation.id).where(col(Escalation.status) == "open", col(Escalation.priority) == "urgent",
                                              col(Escalation.due_at) <= now, held, ~recent)).all()
    _insert(db, [{"escalation_id": eid, "from_centre_id": holder_id, "to_centre_id": holder_id, "created_at": now,
                  "reason": "root_realert"} for eid in ids])
    for eid in ids:
        publish_after_commit(db, "realert", eid)
    return len(ids)


def _move_and_record(db: Session, move: Any, hops: list[tuple[str, str, str]], now: datetime) -> list[str]:
    """Run the UPDATE … RETURNING id and record a referral per moved case and hop. On PostgreSQL it is one
    statement (the UPDATE as a data-modifying CTE feeding INSERT … SELECT); elsewhere the UPDATE, then one
    batched INSERT."""
    if db.get_bind().dialect.name != "postgresql":
        moved = list(db.exec(move).scalars().all())
        _insert(db, [{"escalation_id": eid, "from_centre_id": a, "to_centre_id": b, "reason": r, "created_at": now}
                     for eid in moved for a, b, r in hops])
        return moved
    cte = move.cte("moved")
    table = Referral.__table__  # type: ignore[attr-defined]
    at = bindparam("at", now, type_=table.c.created_at.type)
    rows = union_all(*[select(cte.c.id, literal(a), literal(b), literal(r), at) for a, b, r in hops])
    stmt = (insert(table).from_select(["escalation_id", "from_centre_id", "to_centre_id", "reason", "created_at"],
                                      rows).returning(table.c.escalation_id))
    return list(dict.fromkeys(db.connection().execute(stmt).scalars()))


def _insert(db: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.connection().execute(insert(Referral.__table__), rows)  # type: ignore[arg-type]  # one batched INSERT


def transfer(db: Session, rt: Runtime, user: StaffUser, esc: Escalation, centre_id: str, reason: str,
             now: datetime | None = None) -> Escalation:
    """Move an open or claimed case to another centre (any centre, a sibling too), recording who and why (the why
    encrypted like notes). It arrives unclaimed, due by the receiving centre's window; out of hours it climbs."""
    from app.escalations.service import EscalationError

    now = now or utcnow()
    centres = policy.tree(db)
    target = centres.get(centre_id)
    if target is None:
        raise EscalationError(422, f"no centre {centre_id!r}")
    if target.id == esc.holding_centre_id:
        raise EscalationError(422, "the case is held by that centre already")
    path = policy.climb(centres, target, now)
    holder, old = path[-1], esc.holding_centre_id  # the UPDATE below refreshes `esc` in the session
    res = db.exec(update(Escalation)  # type: ignore[call-overload]
                  .where(col(Escalation.id) == esc.id, col(Escalation.status) == esc.status,
                         col(Escalation.claimed_by_id).is_(None) if esc.claimed_by_id is None
                         else col(Escalation.claimed_by_id) == esc.claimed_by_id)
                  .values(holding_centre_id=holder.id, due_at=policy.due_at(holder, esc.priority, now, rt.settings),
                          status="open", claimed_by_id=None, claimed_at=None))
    if res.rowcount != 1:
        raise EscalationError(409, "the escalation changed meanwhile; reload")
    db.add(Referral(escalation_id=esc.id, from_centre_id=old, to_centre_id=target.id,
                    reason=TRANSFER, staff_id=user.id, note_enc=rt.keyring.encrypt(reason, aad=esc.id),
                    created_at=now))
    record_path(db, esc.id, path, "out_of_hours", now)
    return esc


def history(db: Session, rt: Runtime, esc: Escalation) -> list[dict[str, Any]]:
    """The case's referrals, oldest first, with centre names and the transferring counsellor (for the timeline)."""
    stmt = (select(Referral, StaffUser.username).outerjoin(StaffUser, col(StaffUser.id) == Referral.staff_id)
            .where(col(Referral.escalation_id) == esc.id).order_by(col(Referral.created_at), col(Referral.id)))
    rows = list(db.exec(stmt))
    ids = {i for r, _ in rows for i in (r.from_centre_id, r.to_centre_id) if i}
    names = {c.id: c.name for c in db.exec(select(Centre).where(col(Centre.id).in_(ids)))} if ids else {}
    return [{"from": r.from_centre_id, "to": r.to_centre_id, "from_name": names.get(r.from_centre_id or ""),
             "to_name": names.get(r.to_centre_id or ""), "reason": r.reason, "at": iso(r.created_at), "by": name,
             "note": rt.keyring.decrypt(r.note_enc, aad=esc.id) if r.note_enc else None} for r, name in rows]
