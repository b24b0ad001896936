"""Rasa 3.6 sends the action server, on every action call, the conversation's whole event history and the whole
domain, for the app to parse on every turn: Xin'an's actions read the sender and the latest message only (the
conversation's state lives in the app's store, app/conversation/turn.py). Send the tracker's current state
without its events and an empty domain; everything else in the call is what Rasa sends.

The cost grows with the conversation: by a questionnaire's last item, about a hundred events serialised by Rasa
and parsed by the app per turn."""
from __future__ import annotations

from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.version import __version__

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = []
    # rasa_sdk answers a call without a domain with 449 ("send the domain"), which Rasa 3.6 does not understand.
    return {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
            "version": __version__, "domain": {}}


def apply() -> None:
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
