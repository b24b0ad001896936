"""The unit of work of the running action call: the webhook opens it, actions use it, the webhook commits it."""
from __future__ import annotations

from contextvars import ContextVar

from sqlmodel import Session

current_db: ContextVar[Session | None] = ContextVar("current_db", default=None)
