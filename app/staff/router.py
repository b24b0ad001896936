"""Staff login and logout (OAuth2 password flow, API.md "Staff"); failed logins are rate-limited."""
from __future__ import annotations

import hashlib
import time
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
_blocked_clients: dict[str, float] = {}  # client key → monotonic time its block ends
CLIENT_FACTOR = 6  # one place may fail this many times the per-account limit (many usernames tried from one host)
BLOCK_SECONDS = 60.0


def _client_key(request: Request) -> str:
    """An in-memory key only: the address itself is never stored or logged."""
    host = request.client.host if request.client else "?"
    return "client:" + hashlib.sha256(host.encode()).hexdigest()[:16]


def _limiter(per_minute: int) -> RateLimiter:
    return _failures.setdefault(per_minute, RateLimiter(per_minute))


def _too_many() -> HTTPException:
    return HTTPException(status_code=429, detail="too many login attempts; wait a minute",
                         headers={"Retry-After": str(int(BLOCK_SECONDS))})


@router.post("/token", responses={401: {"description": "wrong username or password"},
                                  429: {"description": "too many failed attempts"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], rt: Annotated[Runtime, Depends(get_rt)],
          request: Request) -> dict[str, str]:
    """Every attempt counts against the account until one succeeds; failures also count against the client."""
    limiter = _limiter(rt.settings.login_attempts_per_minute)
    key = f"user:{form.username.lower()}:probe"
    client = _client_key(request)
    now = time.monotonic()
    if _blocked_clients.get(client, 0.0) > now:
        raise _too_many()
    _blocked_clients.pop(client, None)
    if not limiter.allow(key):
        raise _too_many()
    with session_scope() as db:
        user = check_password(db, form.username, form.password)
        if user is not None:
            token = issue_token(db, rt.settings, rt.pepper, user)
            role = user.role
    if user is None:
        if not _limiter(rt.settings.login_attempts_per_minute * CLIENT_FACTOR).allow(client):
            _blocked_clients[client] = now + BLOCK_SECONDS
        raise HTTPException(status_code=401, detail="wrong username or password",
                            headers={"WWW-Authenticate": "Bearer"})
    limiter.reset(key)  # a success clears the failures of this account
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
