"""`/api/v1/centres`: admins add centres (a centre admin only below its own) and set claim windows and service
hours; admins and counsellors list the centres in their scope (and, as transfer targets, the whole directory)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from app.db import session_scope
from app.network import service
from app.network.models import Centre
from app.network.schemas import CentreIn, CentreList, CentreOut, CentrePolicy, CentrePolicyOut
from app.staff.deps import require_role
from app.staff.models import StaffUser
from app.staff.service import audit
from app.timeutil import utcnow

router = APIRouter(prefix="/api/v1/centres", tags=["admin"],
                   responses={409: {"description": "the id is taken"},
                              422: {"description": "no such parent in the caller's scope"}})
Admin = Annotated[StaffUser, Depends(require_role("admin"))]
Reader = Annotated[StaffUser, Depends(require_role("admin", "counsellor"))]


def _out(c: Centre) -> CentreOut:
    return CentreOut(id=c.id, name=c.name, parent=c.parent_id)


@router.post("", status_code=201, response_model=CentreOut)
def create_centre(body: CentreIn, user: Admin) -> CentreOut:
    with session_scope() as db:
        return _out(service.create_centre(db, user, body.id, body.name, body.parent))


@router.get("", response_model=CentreList)
def list_centres(user: Reader) -> CentreList:
    with session_scope() as db:
        return CentreList(centres=[_out(c) for c in service.list_centres(db, user)])


@router.get("/directory", response_model=CentreList)
def centre_directory(user: Reader) -> CentreList:
    """Every centre of the network (id, name, parent): where a counsellor may transfer a case."""
    with session_scope() as db:
        return CentreList(centres=[_out(c) for c in service.directory(db)])


@router.get("/{centre_id}/policy", response_model=CentrePolicyOut, responses={404: {"description": "no such centre"}})
def get_policy(centre_id: str, user: Reader) -> dict[str, Any]:
    """Claim windows per priority and service hours of a centre in the caller's scope."""
    with session_scope() as db:
        return service.policy_of(service.get_policy(db, user, centre_id), utcnow())


@router.put("/{centre_id}/policy", response_model=CentrePolicyOut, responses={404: {"description": "no such centre"}})
def put_policy(centre_id: str, body: CentrePolicy, user: Admin) -> dict[str, Any]:
    """Replace them (an admin of the centre or a centre above it, or the platform admin). Cases already held keep
    their due time."""
    with session_scope() as db:
        centre = service.set_policy(db, user, centre_id, body.claim_windows.model_dump(),
                                    body.service_hours.model_dump())
        audit(db, user, "centre.policy", "centre", centre.id)
        return service.policy_of(centre, utcnow())
