"""Which add-ons run is said in Rasa's configuration (credentials.yml, the app channel's `addons` list), never by
importing a module. Each one replaces a Rasa internal, so each names the Rasa version it was written for and is
refused on any other; log redaction is required, so Rasa refuses to start without it (a privacy rule)."""
from __future__ import annotations

import importlib

from rasa.shared.exceptions import RasaException
from rasa.version import __version__ as RASA_VERSION

KNOWN = ("redacted_logs", "fast_slash_messages", "lean_action_calls", "kept_action_connections",
         "fast_action_validation", "fast_event_lookup")
REQUIRED = ("redacted_logs",)
_active: list[str] = []


def activate(names: list[str]) -> list[str]:
    """Apply each named add-on once; raises (and so stops Rasa's start) on an unknown name, a missing required
    add-on or another Rasa version. Returns the names active now."""
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        raise RasaException(f"unknown Rasa add-ons in credentials.yml: {unknown} (known: {list(KNOWN)})")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise RasaException(f"Rasa must not start without {missing}: employees' words would reach its log")
    for name in names:
        module = importlib.import_module(f"addons.{name}")
        if module.WRITTEN_FOR != RASA_VERSION:
            raise RasaException(f"add-on {name} replaces internals of Rasa {module.WRITTEN_FOR}, not of "
                                f"{RASA_VERSION}: check it against this version first")
        if name not in _active:
            module.apply()
            _active.append(name)
    return list(_active)
