"""A tiny in-process notice board: the console's live feed subscribes; openers publish after they add a row."""
from __future__ import annotations

import asyncio
from collections.abc import Callable

_listeners: set[Callable[[str, str], None]] = set()


def subscribe(callback: Callable[[str, str], None]) -> Callable[[], None]:
    _listeners.add(callback)
    return lambda: _listeners.discard(callback)


def publish(kind: str, ident: str) -> None:
    for callback in list(_listeners):
        try:
            callback(kind, ident)
        except (RuntimeError, asyncio.QueueFull):
            continue


def publish_escalation_changed(escalation_id: str) -> None:
    publish("escalation", escalation_id)


def publish_session_message(session_id: str) -> None:
    publish("session", session_id)
