"""Centres: create one (under a parent the caller may see) and list those in the caller's scope."""
from __future__ import annotations

from sqlmodel import Session, col, select

from app.network.models import Centre
from app.network.scope import centre_scope, is_platform_admin
from app.staff.models import StaffUser


class NetworkError(ValueError):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


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
