"""The questionnaire form's two actions: `validate_questionnaire_form` reads each answer through the app's answer
reader (which records it and builds the turn's replies) and tells the form, from the scale data, whether items
remain; `action_ask_item_answer` asks the item only when nothing else replied to this turn."""
from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from app.assessments import service as assessments
from app.conversation import phase, replies
from app.conversation.action_context import Call, begin
from app.conversation.reply import Reply
from app.conversation.turn import Turn

# Intents the form leaves to the rules "inside the questionnaire" (dialogs/data/rules.yml): extraction reads
# nothing for them, the form rejects, and the rule runs the digression. Every other intent is read as an answer.
DIGRESSIONS = frozenset({"why", "back", "resume", "help", "counsellor", "crisis", "pause", "stop", "show_menu"})
# Said before the item again when such words are no answer.
LEADS = {"greet": "welcome_back", "chitchat": "chitchat", "share_feelings": "feelings_heard", "thanks": "thanks"}
_call: ContextVar[Call] = ContextVar("questionnaire_call")  # one executor instance serves concurrent turns


class ValidateQuestionnaireForm(FormValidationAction):
    """The form's extraction and validation: `item_answer` stays None while the scale has items left."""

    def name(self) -> str:
        return "validate_questionnaire_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
                  ) -> list[dict[str, Any]]:
        if phase.ITEM not in (domain.get("forms") or {}).get(phase.FORM, {}).get("required_slots", []):
            # rasa_sdk would read no slot and the form would reject every answer, silently
            raise RuntimeError(f"{self.name()} got no domain forms: check dialogs/addons/lean_action_calls.py")
        call = begin(dispatcher, tracker)
        if call is None:
            return []
        _call.set(call)
        events = await super().run(dispatcher, tracker, domain)
        if any(e.get("event") == "slot" and e.get("name") == phase.ITEM for e in events):  # read: not rejected
            events.append(phase.events(call.db, call.session, tracker)[0])
        return events

    def extract_item_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
                            ) -> dict[str, Any]:
        call = _call.get()
        said = (tracker.latest_message or {}).get("text") or ""
        if call.answered:  # a retry after a lost reply: the same replies; or the action that opened the form
            if call.first_of_turn:  # replied already this turn: nothing to read
                call.say_again(dispatcher)
            return {phase.ITEM: said}
        turn = call.turn()
        out = read(turn, ((tracker.latest_message or {}).get("intent") or {}).get("name") or "")
        if out is None:
            return {}
        call.deliver(dispatcher, out)
        return {phase.ITEM: said}

    def validate_item_answer(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        """Filled (the form completes) once no question is open: the scale's last item was answered, or the
        questionnaire ended outside Rasa (a crisis before Rasa paused it)."""
        call = _call.get()
        open_ = assessments.in_progress(call.db, call.session)
        return {phase.ITEM: None if open_ is not None else (value or "done")}


def read(turn: Turn, intent: str) -> list[Reply] | None:
    """The replies to words said while the form is active; None for a digression the rules take over."""
    open_ = turn.open_questionnaire()
    if open_ is None:  # the store closed it outside Rasa: read as words outside a questionnaire
        return turn.scale_or_menu()
    a, scale = open_
    if option := turn.entities.get("option"):  # a button of the open item, whatever the intent
        return turn.answer_by_payload(a, scale, str(option))
    digression = intent in DIGRESSIONS or (intent == "request_scale" and turn.entities.get("scale"))
    if digression and not turn.sure_answer(scale):
        return None
    return turn.answer_in_words(a, scale, confirms=intent == "agree", lead=LEADS.get(intent))


class ActionAskItemAnswer(Action):
    """The form asks for `item_answer`: the open item, unless an action already replied to this turn (the answer
    reader leads the next item with what it understood; a digression repeats the item itself)."""

    def name(self) -> str:
        return "action_ask_item_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        call = begin(dispatcher, tracker)
        if call is None or call.answered or call.message_id is None:
            return []
        turn = call.turn()
        open_ = turn.open_questionnaire()
        if open_ is None:  # nothing to ask: the form ends
            return phase.events(call.db, call.session, tracker)
        a, scale = open_
        call.deliver(dispatcher, [replies.item(scale, a, turn.locale)])
        return []
