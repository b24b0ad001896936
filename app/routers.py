"""Routers of the staff, reports and web packages, included when present (they are built in parallel)."""
from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI

OPTIONAL = ("app.staff.router", "app.escalations.router", "app.reports.router", "app.web.router")


def include_optional(app: FastAPI) -> None:
    for name in OPTIONAL:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            logging.getLogger("xinan").debug("router %s not present", name)
            continue
        for attr in ("router", "routers"):
            value = getattr(module, attr, None)
            for r in (value if isinstance(value, list | tuple) else [value] if value is not None else []):
                app.include_router(r)
