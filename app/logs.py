"""Logging for `python -m app serve`: uvicorn's own configuration with one filter, so a traceback never carries an
exception's message (a message may quote what a request sent: nothing from a request body is ever logged)."""
from __future__ import annotations

import copy
import logging
import traceback
from typing import Any

from uvicorn.config import LOGGING_CONFIG


class WithholdExceptionMessages(logging.Filter):
    """Keeps the traceback's frames and the exception's type; drops its message (and the chained ones')."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frames = "".join(traceback.format_tb(exc.__traceback__))
            record.exc_text = (f"Traceback (most recent call last):\n{frames}"
                               f"{type(exc).__module__}.{type(exc).__qualname__}: (message withheld)")
            record.exc_info = None
        return True


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"withhold": {"()": WithholdExceptionMessages}}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("withhold")
    return config


def configure_root() -> None:
    """The app's own loggers (xinan.*, sqlalchemy, httpx) go through the root logger's handler: filtered too."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(WithholdExceptionMessages())
