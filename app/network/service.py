"""Centres: create one (under a parent the caller may see), list those in the caller's scope, and read or set a
centre's claim windows and service hours."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.errors import Refused
from app.network.models import Centre
from app.network.policy import DAYS, is_open
from app.network.scope import centre_scope, is_platform_admin
from app.staff.models import StaffUser


class NetworkError(Refused, ValueError):
    """Answered by the API with its status (app/errors.py)."""


def visible_centre(db: Session, user: StaffUser | None, centre_id: str) -> Centre | None:
    """The centre if it exists and `user` may see it (None: the CLI, which may see all)."""
    stmt = select(Centre).where(col(Centre.id) == centre_id)
    scope = centre_scope(user) if user is not None else None
    if scope is not None:
        stmt = stmt.where(col(Centre.id).in_(scope))
    return db.exec(stmt).first()


def create_centre(db: Session, user: StaffUser | None, centre_id: str, name: str, parent: str | None) -> Centre:
    """The platform admin (or the CLI) may add a root or a centre anywhere; a centre admin only below its own.
    A parent outside the caller's scope is answered like an unknown one, so its existence is not revealed."""
    if parent is None and user is not None and not is_platform_admin(user):
        raise NetworkError(422, "only the platform admin adds a top-level centre; give a parent")
    if parent is not None and visible_centre(db, user, parent) is None:
        raise NetworkError(422, f"no centre {parent!r}")
    if db.get(Centre, centre_id) is not None:
        raise NetworkError(409, f"centre {centre_id!r} already exists")
    centre = Centre(id=centre_id, name=name, parent_id=parent)
    db.add(centre)
    db.flush()
    return centre


def list_centres(db: Session, user: StaffUser | None) -> list[Centre]:
    stmt = select(Centre).order_by(col(Centre.id))
    scope = centre_scope(user) if user is not None else None
    if scope is not None:
        stmt = stmt.where(col(Centre.id).in_(scope))
    return list(db.exec(stmt))


def policy_of(c: Centre, now: datetime) -> dict[str, Any]:
    return {"centre": c.id, "open_now": is_open(c, now),
            "claim_windows": {"urgent_minutes": c.claim_urgent_minutes, "high_minutes": c.claim_high_minutes,
                              "routine_days": c.claim_routine_days},
            "service_hours": {"always_open": c.always_open, "timezone": c.timezone,
                              "days": [d for d in DAYS if d in c.open_days.split(",")],
                              "opens_at": c.opens_at, "closes_at": c.closes_at}}


def get_policy(db: Session, user: StaffUser | None, centre_id: str) -> Centre:
    """A centre outside the caller's scope is 404, like one that does not exist."""
    centre = visible_centre(db, user, centre_id)
    if centre is None:
        raise NetworkError(404, "no such centre")
    return centre


def set_policy(db: Session, user: StaffUser | None, centre_id: str, windows: dict[str, Any],
               hours: dict[str, Any]) -> Centre:
    """Replace a centre's claim windows and service hours (values validated by the schema). Cases already held
    keep their due time; new arrivals use the new windows."""
    centre = get_policy(db, user, centre_id)
    centre.claim_urgent_minutes = windows["urgent_minutes"]
    centre.claim_high_minutes = windows["high_minutes"]
    centre.claim_routine_days = windows["routine_days"]
    centre.always_open, centre.timezone = hours["always_open"], hours["timezone"]
    centre.open_days = ",".join(d for d in DAYS if d in hours["days"])
    centre.opens_at, centre.closes_at = hours["opens_at"], hours["closes_at"]
    db.add(centre)
    db.flush()
    return centre


def directory(db: Session) -> list[Centre]:
    """Every centre: the places a counsellor may transfer a case to (names of centres are not confidential)."""
    return list(db.exec(select(Centre).order_by(col(Centre.id))))
