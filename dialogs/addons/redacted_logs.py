"""Keep what an employee typed out of Rasa's log (ARCHITECTURE.md, privacy invariants). Rasa 3.6 logs it in two
ways: as fields of structlog events (the REST channel's `rest.message.received.timeout` and `.failure` carry
`text`), and in the local variables its JSON tracebacks render for every logged exception (`dict_tracebacks`
shows locals, the message text among them). Rasa's own field redaction needs an anonymization plugin, and with one
it also reloads the tracker on every turn; so instead its two processors are swapped: the fields Rasa itself
names as sensitive are replaced whole, and tracebacks keep their frames but not their locals."""
from __future__ import annotations

from typing import Any

import structlog
from rasa.utils import log_utils
from structlog.dev import ConsoleRenderer, plain_traceback
from structlog.processors import ExceptionRenderer
from structlog.tracebacks import ExceptionDictTransformer

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)
REDACTED = "[redacted]"
SENSITIVE = frozenset({  # the keys rasa.utils.log_utils._anonymizer passes to an anonymization pipeline
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response", "slot_candidates",
    "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states", "successes", "current_entity",
    "next_entity", "states", "entity", "token_text", "user_message", "json_message"})


def redact(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in SENSITIVE & event_dict.keys():
        event_dict[key] = REDACTED
    return event_dict


tracebacks_without_locals = ExceptionRenderer(ExceptionDictTransformer(show_locals=False))


def apply() -> None:
    """Swap the processors in the list every logger already shares, and in the names configure_structlog reads."""
    procs = structlog.get_config()["processors"]
    for i, proc in enumerate(procs):
        if proc is log_utils._anonymizer:
            procs[i] = redact
        elif proc is structlog.processors.dict_tracebacks:
            procs[i] = tracebacks_without_locals
        elif isinstance(proc, ConsoleRenderer):
            proc._exception_formatter = plain_traceback  # rich's and better-exceptions' show locals
    log_utils._anonymizer = redact  # type: ignore[assignment]
    structlog.processors.dict_tracebacks = tracebacks_without_locals  # type: ignore[attr-defined]
