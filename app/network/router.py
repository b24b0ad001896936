"""`/api/v1/centres`: admins add centres (a centre admin only below its own); admins and counsellors list the
centres in their scope."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException

from app.db import session_scope
from app.network import service
from app.network.models import Centre
from app.network.schemas import CentreIn, CentreList, CentreOut
from app.staff.deps import require_role
from app.staff.models import StaffUser

router = APIRouter(prefix="/api/v1/centres", tags=["admin"],
                   responses={409: {"description": "the id is taken"},
                              422: {"description": "no such parent in the caller's scope"}})
Admin = Annotated[StaffUser, Depends(require_role("admin"))]
Reader = Annotated[StaffUser, Depends(require_role("admin", "counsellor"))]


def _out(c: Centre) -> CentreOut:
    return CentreOut(id=c.id, name=c.name, parent=c.parent_id)


@router.post("", status_code=201, response_model=CentreOut)
def create_centre(body: CentreIn, user: Admin) -> CentreOut:
    try:
        with session_scope() as db:
            return _out(service.create_centre(db, user, body.id, body.name, body.parent))
    except service.NetworkError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.detail) from exc


@router.get("", response_model=CentreList)
def list_centres(user: Reader) -> CentreList:
    with session_scope() as db:
        return CentreList(centres=[_out(c) for c in service.list_centres(db, user)])
