"""Liveness and readiness (API.md "Health"). Readiness answers within READY_SECONDS whatever hangs behind it (a
frozen Rasa, a locked store): a load balancer probing with a 2 s timeout must see a 503, not a hang."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.db import session_scope
from app.rasa.client import RasaUnavailable

router = APIRouter(tags=["health"])
READY_SECONDS = 1.8


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _store_answers() -> None:
    with session_scope() as db:
        db.exec(text("SELECT 1"))  # type: ignore[call-overload]


async def _store() -> str | None:
    try:
        await run_in_threadpool(_store_answers)  # a worker thread: a locked store never blocks the event loop
    except Exception as exc:  # any driver error means "not ready", reported by type only
        return f"database does not answer ({type(exc).__name__})"
    return None


async def _rasa(request: Request) -> str | None:
    try:
        status = await request.app.state.rasa.status()
    except RasaUnavailable as exc:
        return f"Rasa does not answer ({exc})"
    except Exception as exc:  # a readiness probe says "not ready", never 500
        return f"Rasa does not answer ({type(exc).__name__})"
    return None if status.get("model_loaded") else "Rasa answers but has no model loaded"


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    checks = {"store": asyncio.ensure_future(_store()), "rasa": asyncio.ensure_future(_rasa(request))}
    done, pending = await asyncio.wait(checks.values(), timeout=READY_SECONDS)
    problems: dict[str, str] = {}
    for name, task in checks.items():
        if task in pending:
            task.cancel()
            problems[name] = f"no answer within {READY_SECONDS} s"
        elif problem := task.result():
            problems[name] = problem
    if problems:
        return JSONResponse({"status": "unavailable", "missing": problems}, status_code=503)
    return JSONResponse({"status": "ready"})
