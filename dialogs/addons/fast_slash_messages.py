"""A button's payload (`/answer{"option": ...}`) names its intent and entities itself: Rasa 3.6 still runs the whole
NLU graph on it (tokenizer, featurizers, DIET: about 40 % of its busy time on such a turn) and then has the
graph's last step, RegexMessageHandler, replace everything with what the payload says. Unpack a valid payload the
same way up front and skip the graph when it names a known intent (as Rasa does, a broken rest after the intent is
dropped with a warning); text, unknown intents and anything else not a payload still go through it."""
from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)
_with_graph = MessageProcessor._parse_message_with_graph
_HANDLER = RegexMessageHandler()


def _parse(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
           only_output_properties: bool = True) -> dict[str, Any]:
    if message.text and message.text.lstrip().startswith("/"):
        unpacked = _HANDLER.process([Message({TEXT: message.text})], self.domain)[0]
        if unpacked.get(INTENT):  # a known intent: exactly what the graph's last step would have returned
            parse_data: dict[str, Any] = {TEXT: "", INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                                          ENTITIES: []}
            parse_data.update(unpacked.as_dict(only_output_properties=only_output_properties))
            return parse_data
    return _with_graph(self, message, tracker, only_output_properties)


def apply() -> None:
    MessageProcessor._parse_message_with_graph = _parse  # type: ignore[method-assign]
