"""FastAPI dependencies shared by routers: the runtime and the Rasa client held by the app."""
from __future__ import annotations

from fastapi import Request

from app.rasa.client import RasaClient
from app.runtime import Runtime, get_runtime


async def get_rt() -> Runtime:
    """Async so FastAPI calls it inline rather than hopping to its thread pool for a lookup."""
    return get_runtime()


async def get_rasa(request: Request) -> RasaClient:
    return request.app.state.rasa
