"""The FastAPI application: start-up validates config, scales and keys, migrates the store, then serves."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from app.config import Settings, get_settings
from app.db import upgrade
from app.dialogue.rasa_client import RasaClient
from app.dialogue.rasa_process import secret
from app.privacy.jobs import purge_periodically
from app.runtime import load_runtime, set_runtime

log = logging.getLogger("xinan.access")
NO_STORE_PREFIXES = ("/api/",)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or get_settings()
    runtime = load_runtime(settings)  # raises with the file and field named when something is wrong
    set_runtime(runtime)
    if migrate:
        upgrade(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        purger = asyncio.create_task(purge_periodically(settings))
        try:
            yield
        finally:
            purger.cancel()
            await app.state.rasa.aclose()

    app = FastAPI(title="Xin'an 心安 API", version="1", lifespan=lifespan,
                  description="Anonymous mental-health self-assessment for employees. See API.md.")
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds,
                                api_token=secret(runtime.pepper, "rasa-http-api"))

    @app.middleware("http")
    async def privacy_headers_and_log(request: Request, call_next):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        response: Response = await call_next(request)
        if request.url.path.startswith(NO_STORE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        route = request.scope.get("route")
        # No client address, no query string, no body, no token: only the route template.
        log.info("%s %s %s %.0fms", request.method, getattr(route, "path", "-"), response.status_code,
                 (time.perf_counter() - start) * 1000)
        return response

    from app.dialogue.webhook import router as webhook_router
    from app.health import router as health_router
    from app.scales.router import router as scales_router
    from app.sessions.router import router as sessions_router

    for r in (health_router, scales_router, sessions_router, webhook_router):
        app.include_router(r)
    from app.routers import include_optional

    include_optional(app)
    return app
