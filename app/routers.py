"""Every router of the app, in one list; a module exposes `routers` (several) or `router` (one)."""
from __future__ import annotations

import importlib

from fastapi import FastAPI

MODULES = ("app.health", "app.scales.router", "app.sessions.router", "app.rasa.action_endpoint", "app.staff.router",
           "app.staff.admin_router", "app.escalations.router", "app.reports.router", "app.campaigns.router",
           "app.network.router",
           "app.web.router", "app.web.docs", "app.web.favicon")


def include_all(app: FastAPI) -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        for r in getattr(module, "routers", None) or [module.router]:
            app.include_router(r)
