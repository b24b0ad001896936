"""Rasa add-ons loaded through endpoints.yml (the tracker store); importing the package also applies the speed-ups
to Rasa's action calls (one schema validator, kept connections, no event history or domain sent), to button
payloads (no NLU graph) and to reading its trackers (event classes), and keeps message text out of Rasa's log."""
from . import (  # noqa: F401
    fast_action_validation,
    fast_event_lookup,
    fast_slash_messages,
    kept_action_connections,
    lean_action_calls,
    redacted_logs,
)
