"""`/api/v1/staff`: admins and org admins manage the staff accounts in their scope (admin_service.py); counsellors
and HR: 403."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path
from sqlmodel import Session

from app.db import session_scope
from app.staff import admin_service as svc
from app.staff.admin_schemas import PasswordIn, ScopeIn, StaffIn, StaffList, StaffOut, StaffWithPassword
from app.staff.deps import require_role
from app.staff.models import StaffUser

router = APIRouter(prefix="/api/v1/staff", tags=["admin"],
                   responses={404: {"description": "no such account in the caller's scope"},
                              422: {"description": "bad input, a weak password, or a scope outside the caller's"}})
Admin = Annotated[StaffUser, Depends(require_role("admin", "org_admin"))]
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
T = TypeVar("T")


def out(user: StaffUser) -> StaffOut:
    return StaffOut(id=user.id or 0, username=user.username, role=user.role, centre=user.centre_id,
                    org=user.org_id, disabled=user.disabled, must_change_password=user.must_change_password,
                    created_at=user.created_at)


def _run(work: Callable[[Session], T]) -> T:
    with session_scope() as db:
        return work(db)


@router.get("", response_model=StaffList)
def list_staff(admin: Admin) -> StaffList:
    return _run(lambda db: StaffList(staff=[out(u) for u in svc.list_staff(db, admin)]))


@router.post("", status_code=201, response_model=StaffWithPassword, responses={409: {"description": "name taken"}})
def create_staff(body: StaffIn, admin: Admin) -> StaffWithPassword:
    """Without `password` the answer carries a one-time password, the only time it is shown."""
    def work(db: Session) -> StaffWithPassword:
        user, shown = svc.create_staff(db, admin, username=body.username, role=body.role, centre=body.centre,
                                       org=body.org, password=body.password)
        return StaffWithPassword(user=out(user), password=shown)

    return _run(work)


@router.post("/{user_id}/disable", response_model=StaffOut)
def disable(user_id: UserId, admin: Admin) -> StaffOut:
    """Every session of the account ends at once."""
    return _run(lambda db: out(svc.set_enabled(db, admin, user_id, False)))


@router.post("/{user_id}/enable", response_model=StaffOut)
def enable(user_id: UserId, admin: Admin) -> StaffOut:
    return _run(lambda db: out(svc.set_enabled(db, admin, user_id, True)))


@router.post("/{user_id}/password", response_model=StaffWithPassword)
def reset_password(user_id: UserId, body: PasswordIn, admin: Admin) -> StaffWithPassword:
    """Sets `password`, or (body `{}`) makes a one-time one returned this once; every session of the account ends."""
    def work(db: Session) -> StaffWithPassword:
        user, shown = svc.reset_password(db, admin, user_id, body.password)
        return StaffWithPassword(user=out(user), password=shown)

    return _run(work)


@router.put("/{user_id}/scope", response_model=StaffOut)
def change_scope(user_id: UserId, body: ScopeIn, admin: Admin) -> StaffOut:
    """A centre (counsellor, centre admin) or an org (HR, org admin); neither only from the platform admin."""
    return _run(lambda db: out(svc.change_scope(db, admin, user_id, body.centre, body.org)))
