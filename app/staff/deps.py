"""Who is calling: staff bearer tokens resolved per request; `require_role` guards routers (403 for other roles)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

from app.db import session_scope
from app.deps import get_rt
from app.runtime import Runtime
from app.staff.models import StaffUser
from app.staff.service import resolve_token

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def current_staff(token: Annotated[str | None, Depends(oauth2)],
                  rt: Annotated[Runtime, Depends(get_rt)]) -> StaffUser:
    return staff_for_token(rt, token)


def staff_for_token(rt: Runtime, token: str | None) -> StaffUser:
    """The live staff user behind a token, or 401 (missing, unknown, expired, revoked or disabled)."""
    if not token:
        raise HTTPException(status_code=401, detail="staff login required", headers={"WWW-Authenticate": "Bearer"})
    with session_scope() as db:
        user = resolve_token(db, rt.settings, rt.pepper, token)
    if user is None:
        raise HTTPException(status_code=401, detail="token is invalid, expired or revoked",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentStaff = Annotated[StaffUser, Depends(current_staff)]


def require_role(*roles: str) -> Callable[[StaffUser], StaffUser]:
    def check(user: CurrentStaff) -> StaffUser:
        if user.role not in roles:
            raise HTTPException(status_code=403, detail=f"role {user.role!r} may not do this")
        return user

    return check
