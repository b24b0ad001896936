"""The FastAPI application: start-up validates config, scales and keys, migrates the store, then serves."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.config import Settings, get_settings
from app.conversation import locks
from app.db import upgrade
from app.errors import Refused, refused
from app.escalations import bursts, events
from app.network.jobs import refer_periodically
from app.privacy.jobs import purge_periodically
from app.rasa.client import RasaClient
from app.rasa.process import CHANNEL_SECRET, secret
from app.ratelimit import RateLimits
from app.request_guards import RefuseBadUrls, validation_error
from app.runtime import load_runtime, set_runtime
from app.safety.decision import get_decider

log = logging.getLogger("xinan.access")
NO_STORE_PREFIXES = ("/api/",)
# httpx logs every request at INFO with its full URL, and Rasa's HTTP API takes its token as a query parameter.
logging.getLogger("httpx").setLevel(logging.WARNING)


class PrivacyHeadersAndLog:
    """Privacy headers on every response and one log line per request. A plain ASGI middleware: Starlette's
    BaseHTTPMiddleware (`@app.middleware("http")`) runs each request in a task of its own with a memory stream for
    the response, CPU that every turn would pay twice (bench/README.md, load_bench)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if scope["path"].startswith(NO_STORE_PREFIXES):
                    headers["Cache-Control"] = "no-store"
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                # No client address, no query string, no body, no token: only the route template.
                log.info("%s %s %s %.0fms", scope["method"], getattr(scope.get("route"), "path", "-"),
                         message["status"], (time.perf_counter() - start) * 1000)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or get_settings()
    runtime = load_runtime(settings)  # raises with the file and field named when something is wrong
    set_runtime(runtime)
    if migrate:
        upgrade(settings)
    events.configure(settings.redis_url)
    locks.configure(settings.redis_url)
    bursts.configure(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The crisis decider is ready before the first request: never trained inside a person's message.
        await asyncio.to_thread(get_decider, settings)
        await app.state.rasa.start()
        tasks = [asyncio.create_task(purge_periodically(settings))]
        if settings.referral_interval_seconds:
            tasks.append(asyncio.create_task(refer_periodically(settings)))
        if settings.redis_url:
            tasks.append(asyncio.create_task(events.relay(settings.redis_url)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await app.state.rasa.aclose()

    app = FastAPI(title="Xin'an 心安 API", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Anonymous mental-health self-assessment for employees. See API.md.")
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds,
                                channel_token=secret(runtime.pepper, CHANNEL_SECRET),
                                max_in_flight=settings.rasa_max_turns_in_flight)
    app.state.limits = RateLimits(settings.redis_url, runtime.pepper)

    app.add_middleware(RefuseBadUrls)
    app.add_middleware(PrivacyHeadersAndLog)
    if settings.trusted_proxy_list:  # the client is who a trusted proxy says it is; anyone else is the peer
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)

    from app.routers import include_all

    include_all(app)
    _document_errors(app)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(OperationalError, _store_unavailable)
    app.add_exception_handler(InterfaceError, _store_unavailable)
    return app


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """A locked or restarting store is a 503 the client may retry, never a 500 (the error is logged by type only)."""
    logging.getLogger("xinan").warning("store unavailable: %s", type(exc).__name__)
    return JSONResponse({"detail": "the store is unavailable; retry shortly"}, status_code=503,
                        headers={"Retry-After": "5"})


ERROR_SCHEMA = {"type": "object", "title": "Error", "required": ["detail"],
                "properties": {"detail": {"anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}]}}}


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _document_errors(app: FastAPI) -> None:
    """The schema states the errors every route can give (API.md: errors are {"detail": ...}): 400 for a body that
    is not JSON, 401/403 wherever a staff token is required, and 422 also as a plain message from a domain check."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path in schema.get("paths", {}).values():
            for op in path.values():
                responses = op.setdefault("responses", {})
                if "requestBody" in op:
                    responses.setdefault("400", _error("the body is not valid JSON (or not the declared content type)"))
                if op.get("security"):
                    responses.setdefault("401", _error("not logged in, or the token is expired or revoked"))
                    responses.setdefault("403", _error("the role may not do this"))
                if "422" in responses:
                    content = responses["422"].setdefault("content", {}).setdefault("application/json", {})
                    declared = [content["schema"]] if content.get("schema") else []
                    content["schema"] = {"anyOf": [*declared, {"$ref": "#/components/schemas/Error"}]}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
