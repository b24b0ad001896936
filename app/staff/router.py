"""Staff login and logout (OAuth2 password flow, API.md "Staff"); failed logins are throttled (throttle.py)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.db import session_scope
from app.deps import get_rt
from app.escalations.events import publish_logout
from app.ratelimit import client_host, limits_of
from app.runtime import Runtime
from app.staff.deps import CurrentStaff, oauth2
from app.staff.service import check_password, issue_token, revoke_token
from app.staff.throttle import LoginThrottle
from app.text_rules import refuse_bad_characters

router = APIRouter(prefix="/api/v1/auth", tags=["staff"])


@router.post("/token", responses={401: {"description": "wrong username or password"},
                                  422: {"description": "a field holds characters no account can have"},
                                  429: {"description": "too many failed attempts from this client; wait"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], rt: Annotated[Runtime, Depends(get_rt)],
          request: Request) -> dict[str, str]:
    """Failures slow this client for this username (and a client failing across usernames), never the account."""
    for name, value in (("username", form.username), ("password", form.password)):
        if problem := refuse_bad_characters(value, allow_newlines=False):
            raise HTTPException(status_code=422, detail=f"{name}: {problem}")
    throttle = LoginThrottle(limits_of(request), rt.settings.login_attempts_per_minute)
    client = client_host(request)
    if wait := throttle.wait(form.username, client):
        raise HTTPException(status_code=429, detail="too many failed logins from here; wait and try again",
                            headers={"Retry-After": str(wait)})
    with session_scope() as db:
        user = check_password(db, form.username, form.password)
        if user is not None:
            token = issue_token(db, rt.settings, rt.pepper, user)
            role = user.role
    if user is None:
        throttle.failed(form.username, client)
        raise HTTPException(status_code=401, detail="wrong username or password",
                            headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(form.username, client)
    return {"access_token": token, "token_type": "bearer", "role": role}


@router.post("/logout", status_code=204)
def logout(user: CurrentStaff, token: Annotated[str | None, Depends(oauth2)],
           rt: Annotated[Runtime, Depends(get_rt)]) -> Response:
    """The token is revoked, and every live feed opened with it ends at once (events.publish_logout)."""
    with session_scope() as db:
        revoke_token(db, rt.pepper, token or "")
    publish_logout(rt.pepper, token or "")
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentStaff) -> dict[str, str | None]:
    """With the scope (centre or org; neither: a platform admin), so the console shows what the account may do."""
    return {"username": user.username, "role": user.role, "centre": user.centre_id, "org": user.org_id}
