"""Staff login and logout (OAuth2 password flow, API.md "Staff"); failed logins are rate-limited."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.db import session_scope
from app.deps import get_rt
from app.ratelimit import RateLimiter
from app.runtime import Runtime
from app.staff.deps import CurrentStaff, oauth2
from app.staff.service import check_password, issue_token, revoke_token

router = APIRouter(prefix="/api/v1/auth", tags=["staff"])
_failures: dict[int, RateLimiter] = {}


def _limiter(per_minute: int) -> RateLimiter:
    return _failures.setdefault(per_minute, RateLimiter(per_minute))


@router.post("/token")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], rt: Annotated[Runtime, Depends(get_rt)],
          request: Request) -> dict[str, str]:
    limiter = _limiter(rt.settings.login_attempts_per_minute)
    key = f"user:{form.username.lower()}"
    if not limiter.allow(key + ":probe"):
        raise HTTPException(status_code=429, detail="too many login attempts; wait a minute")
    with session_scope() as db:
        user = check_password(db, form.username, form.password)
        if user is None:
            raise HTTPException(status_code=401, detail="wrong username or password",
                                headers={"WWW-Authenticate": "Bearer"})
        token = issue_token(db, rt.settings, rt.pepper, user)
        role = user.role
    limiter.reset(key + ":probe")  # a success clears the failures of this account
    return {"access_token": token, "token_type": "bearer", "role": role}


@router.post("/logout", status_code=204)
def logout(user: CurrentStaff, token: Annotated[str | None, Depends(oauth2)],
           rt: Annotated[Runtime, Depends(get_rt)]) -> Response:
    with session_scope() as db:
        revoke_token(db, rt.pepper, token or "")
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentStaff) -> dict[str, str]:
    return {"username": user.username, "role": user.role}
