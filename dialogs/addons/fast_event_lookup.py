"""Rasa 3.6 finds an event's class by walking every subclass of Event (with an abstract-class check on each) for
every stored event it reads back, and it reads a conversation's whole tracker at each turn: that walk costs about a
twelfth of Rasa's CPU per turn. Remember each class once found; the same class comes
back, because the event classes are all defined when Rasa starts (this project defines none)."""
from __future__ import annotations

from rasa.shared.core.events import Event

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)
_found: dict[str, type[Event]] = {}
_walk = Event.resolve_by_type


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    cls = _found.get(type_name)
    if cls is None:
        cls = _walk(type_name, default)  # unknown names keep Rasa's answer (None, the default, or its error)
        if cls is not None and cls is not default:
            _found[type_name] = cls
    return cls


def apply() -> None:
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign,assignment]
