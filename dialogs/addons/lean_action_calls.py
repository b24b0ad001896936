"""Rasa 3.6 sends the action server, on every action call, the conversation's whole event history and the whole
domain, for the app to parse on every turn. Send instead the tracker's current state (slots, active loop, latest
message) with the events of this turn only (since the latest user message: what rasa_sdk's form validation reads)
and the domain's forms and slots (what FormValidationAction reads); everything else in the call is what Rasa sends.

The cost grows with the conversation: by a questionnaire's last item, about a hundred events serialised by Rasa
and parsed by the app per turn."""
from __future__ import annotations

from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.version import __version__

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)
_last: list[Any] = [None, {}]  # the domain last seen and its forms and slots (a model load makes a new domain)


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    state = tracker.current_state(EventVerbosity.NONE)
    turn: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        turn.append(event.as_dict())
        if isinstance(event, UserUttered):
            break
    state["events"] = turn[::-1]
    if _last[0] is not domain:
        full = domain.as_dict()
        _last[:] = [domain, {"forms": full.get("forms", {}), "slots": full.get("slots", {})}]
    small = _last[1]
    # rasa_sdk answers a call without a domain with 449 ("send the domain"), which Rasa 3.6 does not understand.
    return {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
            "version": __version__, "domain": small}


def apply() -> None:
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
