"""A service's refusal of a request, answered by one handler (app/main.py) as {"detail": ...} with its status.

Services raise it (or a domain subclass) without knowing about HTTP routes; routers stay free of per-domain
try/except blocks, and the CLI catches the same class to print the detail.
"""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse


class Refused(Exception):
    """`status` is the HTTP status the API answers with (403, 404, 409, 410, 422); `detail` says why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


async def refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status)
