"""A stand-in for the Rasa server that costs next to nothing: it reads each message as the tests' fake does
(tests/fakes.py) and calls the app's action endpoint as Rasa does, so app_overhead_bench weighs the app's own work.

Run by app_overhead_bench as `python bench/stub_rasa.py PORT`, with the env the app gives Rasa (XINAN_ACTION_URL,
XINAN_ACTION_TOKEN: app.rasa.process.rasa_env).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.rasa.client import STATUS, WEBHOOK  # noqa: E402
from tests.fakes import rest_turn  # noqa: E402

ACTION_URL, ACTION_TOKEN = os.environ["XINAN_ACTION_URL"], os.environ["XINAN_ACTION_TOKEN"]
actions = httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_keepalive_connections=64, keepalive_expiry=4.0))
trackers: dict[str, dict[str, Any]] = {}  # per conversation: the slots and the active form, as Rasa's tracker keeps


async def call_actions(call: dict[str, Any]) -> dict[str, Any]:
    r = await actions.post(ACTION_URL, params={"token": ACTION_TOKEN}, json=call)
    r.raise_for_status()
    return dict(r.json())


async def rest_webhook(request: Request) -> JSONResponse:
    body = await request.json()
    state = trackers.setdefault(body["sender"], {"slots": {}, "active_loop": {}})
    return JSONResponse(await rest_turn(body, call_actions, state))


async def status(request: Request) -> JSONResponse:
    return JSONResponse({"model_loaded": True})


app = Starlette(routes=[Route(WEBHOOK, rest_webhook, methods=["POST"]), Route(STATUS, status)])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
