"""What every request passes before a route sees it, and what a refusal may echo back:
- a URL (path or query) holding NUL, control characters or lone surrogates is a 422, before any route or store
  sees it (PostgreSQL refuses NUL in text: such an id would reach the store and fail as a 500);
- a 422 echoes at most a short, clean excerpt of what was sent, never the whole input (1 MB in is not 1 MB out).
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.text_rules import bad_in_url

ECHO_CHARS = 100  # the most of any one input value a 422 repeats


class RefuseBadUrls:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            from urllib.parse import unquote_plus

            query = unquote_plus(scope.get("query_string", b"").decode("latin-1"), errors="surrogateescape")
            if bad_in_url(scope.get("path", ""), query):
                response = JSONResponse({"detail": "the URL holds NUL, control characters or bytes that are not "
                                                   "UTF-8 text"}, status_code=422)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _clean(value: Any) -> Any:
    """A value safe and short to echo: strings cut to ECHO_CHARS with unencodable characters replaced."""
    if isinstance(value, str):
        short = value[:ECHO_CHARS] + ("…" if len(value) > ECHO_CHARS else "")
        return short.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict | list | tuple):
        text = json.dumps(jsonable_encoder(value, custom_encoder={str: _clean}), ensure_ascii=False, default=str)
        return _clean(text) if len(text) > ECHO_CHARS else json.loads(text)
    return value


def _error(err: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in err.items() if k not in ("input", "ctx", "url")}
    out["loc"] = [_clean(part) for part in err.get("loc", ())]
    out["msg"] = _clean(str(err.get("msg", "")))
    if "input" in err:
        out["input"] = _clean(err["input"])
    if "ctx" in err:
        out["ctx"] = {k: _clean(str(v)) for k, v in err["ctx"].items()}
    return out


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    return JSONResponse({"detail": [_error(e) for e in errors[:20]]}, status_code=422)
