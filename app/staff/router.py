"""Staff login, logout and password change (OAuth2 password flow, API.md "Staff"); failed attempts are throttled
(throttle.py)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlmodel import Session

from app.db import session_scope
from app.deps import get_rt
from app.escalations.events import publish_logout
from app.ratelimit import client_host, limits_of
from app.runtime import Runtime
from app.staff.admin_service import change_own_password
from app.staff.deps import CurrentStaff, oauth2
from app.staff.models import StaffUser
from app.staff.service import check_password, issue_token, revoke_token
from app.staff.throttle import LoginThrottle
from app.text_rules import refuse_bad_characters

router = APIRouter(prefix="/api/v1/auth", tags=["staff"])


def _checked_login(request: Request, rt: Runtime, db: Session, username: str, password: str) -> StaffUser:
    """The account behind a right username and password; 422 for characters no account has, 429 while this client
    is throttled, 401 otherwise (a failure counts towards the throttle)."""
    for name, value in (("username", username), ("password", password)):
        if problem := refuse_bad_characters(value, allow_newlines=False):
            raise HTTPException(status_code=422, detail=f"{name}: {problem}")
    throttle = LoginThrottle(limits_of(request), rt.settings.login_attempts_per_minute)
    client = client_host(request)
    if wait := throttle.wait(username, client):
        raise HTTPException(status_code=429, detail="too many failed logins from here; wait and try again",
                            headers={"Retry-After": str(wait)})
    user = check_password(db, username, password)
    if user is None:
        throttle.failed(username, client)
        raise HTTPException(status_code=401, detail="wrong username or password",
                            headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(username, client)
    return user


@router.post("/token", responses={401: {"description": "wrong username or password"},
                                  403: {"description": "a one-time password: choose your own first (/auth/password)"},
                                  422: {"description": "a field holds characters no account can have"},
                                  429: {"description": "too many failed attempts from this client; wait"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], rt: Annotated[Runtime, Depends(get_rt)],
          request: Request) -> dict[str, str]:
    """Failures slow this client for this username (and a client failing across usernames), never the account."""
    with session_scope() as db:
        user = _checked_login(request, rt, db, form.username, form.password)
        if user.must_change_password:
            raise HTTPException(status_code=403, detail="this is a one-time password: choose your own first")
        token = issue_token(db, rt.settings, rt.pepper, user)
        role = user.role
    return {"access_token": token, "token_type": "bearer", "role": role}


@router.post("/password", status_code=204,
             responses={401: {"description": "wrong username or password"},
                        422: {"description": "the new password is weak, too long, or the current one"},
                        429: {"description": "too many failed attempts from this client; wait"}})
def change_password(username: Annotated[str, Form()], password: Annotated[str, Form()],
                    new_password: Annotated[str, Form()], rt: Annotated[Runtime, Depends(get_rt)],
                    request: Request) -> Response:
    """The account holder changes the password with the current one (a one-time password included), throttled as
    login is; every session of the account ends, and the new password signs in. No field has a schema limit: a
    validation error would echo the password back (admin_service.checked_password names the problem instead)."""
    with session_scope() as db:
        change_own_password(db, _checked_login(request, rt, db, username, password), new_password)
    return Response(status_code=204)


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
