"""Liveness and readiness (API.md "Health")."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.db import session_scope
from app.dialogue.rasa_client import RasaUnavailable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    problems: dict[str, str] = {}
    try:
        with session_scope() as db:
            db.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception as exc:  # any driver error means "not ready", reported by type only
        problems["store"] = f"database does not answer ({type(exc).__name__})"
    try:
        status = await request.app.state.rasa.status()
        if not status.get("model_file"):
            problems["rasa"] = "Rasa answers but has no model loaded"
    except RasaUnavailable as exc:
        problems["rasa"] = f"Rasa does not answer ({exc})"
    if problems:
        return JSONResponse({"status": "unavailable", "missing": problems}, status_code=503)
    return JSONResponse({"status": "ready"})
