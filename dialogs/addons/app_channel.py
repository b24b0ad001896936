"""Rasa's one input channel: the app's. Rasa's REST channel with a shared secret on every call, so only the app can
post a turn: a local process holding a session id but not the secret gets 401 and Rasa records nothing, so it can
neither skip the app's token check, crisis decision, rate limits and transcript nor make a stored result.

The secret is the app's (HMAC of its pepper, app/rasa/process.py) and reaches Rasa in its environment
(XINAN_CHANNEL_TOKEN, through credentials.yml), never on a command line. `GET .../status` (same secret) says whether
a model is loaded, for the app's readiness check: Rasa runs without its HTTP API, which the app does not need.
Creating the channel activates the add-ons credentials.yml lists (addons/activation.py), at Rasa's start.
"""
from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.activation import activate

HEADER = "X-Xinan-Channel-Token"


class AppInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "xinan"

    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AppInput:
        token = str((credentials or {}).get("token") or "")
        if len(token) < 32:
            raise RasaException("the xinan channel needs its shared secret (credentials.yml: token, from "
                                "XINAN_CHANNEL_TOKEN): start Rasa through the app")
        activate(list((credentials or {}).get("addons") or []))  # before any message: no log line without redaction
        return cls(token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        bp = super().blueprint(on_new_message)

        @bp.middleware("request")
        async def only_the_app(request: Request) -> HTTPResponse | None:
            if not hmac.compare_digest(request.headers.get(HEADER, "").encode(), self.token.encode()):
                return response.json({"error": "this channel answers only the Xin'an app"}, status=401)
            return None

        @bp.route("/status", methods=["GET"])
        async def status(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            return response.json({"model_loaded": bool(agent is not None and agent.is_ready())})

        return bp
