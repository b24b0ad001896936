"""The Rasa action-server endpoint inside the app: rasa_sdk's executor runs the actions, this boundary commits."""
from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionMissingDomainException, ActionNotFoundException

from app.conversation.actions import ACTIONS
from app.conversation.context import current_db
from app.conversation.questionnaire import ActionAskItemAnswer, ValidateQuestionnaireForm
from app.db import session_scope
from app.rasa.process import ACTION_SECRET, secret
from app.runtime import get_runtime

log = logging.getLogger("xinan.webhook")
router = APIRouter(include_in_schema=False)

executor = ActionExecutor()
for _action in [*(cls() for cls in ACTIONS), ValidateQuestionnaireForm(), ActionAskItemAnswer()]:
    executor.register_action(_action)


def action_token(pepper: bytes) -> str:
    """The shared secret Rasa sends with each action call, so nobody else can act for a session."""
    return secret(pepper, ACTION_SECRET)


@router.post("/webhook")
async def webhook(request: Request, token: str = Query("")) -> JSONResponse:
    if not hmac.compare_digest(token, action_token(get_runtime().pepper)):
        raise HTTPException(status_code=401, detail="bad action endpoint token")
    try:
        action_call: dict[str, Any] = await request.json()
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="invalid JSON") from exc
    if not isinstance(action_call, dict):
        raise HTTPException(status_code=400, detail="invalid body")
    try:
        result = await run_in_threadpool(_run_actions, action_call)
    except ActionExecutionRejection as e:
        return JSONResponse({"error": e.message, "action_name": e.action_name}, status_code=400)
    except ActionNotFoundException as e:
        log.error("unknown action %s", e.action_name)
        return JSONResponse({"error": e.message, "action_name": e.action_name}, status_code=404)
    except ActionMissingDomainException as e:
        return JSONResponse({"error": e.message, "action_name": e.action_name}, status_code=449)
    return JSONResponse(result.model_dump() if result else None)


def _run_actions(action_call: dict[str, Any]) -> Any:
    """The actions' database work, in a worker thread with its own small event loop for rasa_sdk's executor, so it
    never blocks other turns; the unit of work is committed here, before Rasa can deliver any reply."""
    with session_scope() as db:
        reset = current_db.set(db)
        try:
            return asyncio.run(executor.run(action_call))
        finally:
            current_db.reset(reset)
