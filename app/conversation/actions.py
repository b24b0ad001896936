"""Rasa custom actions, served by the app through rasa_sdk's executor: one class per action in dialogs/domain.yml.

Rasa's rules choose the action from the intent (and, inside the questionnaire form, from the form's rejection);
each action does its one thing in the stage the app's store holds, then mirrors that stage into Rasa's slots and
loop (phase.py), so a tracker that lost the form (restart, expiry) is put right by the next action.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from app.assessments.models import Assessment
from app.conversation import phase
from app.conversation.action_context import begin
from app.conversation.consent_words import read_consent
from app.conversation.reply import Reply
from app.conversation.turn import Turn
from app.safety import crisis_flow
from app.safety.decision import RasaIntent
from app.scales.definitions import ScaleDefinition


class ConversationAction(Action):
    """What every action shares: the session, a retried message answered the same again, the replies stored in
    the same unit of work as the answers they report. Subclasses say what they do in each stage."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        call = begin(dispatcher, tracker)
        if call is None:
            return []
        if call.answered:  # acted on before (a retry after a lost reply): say the same again
            call.say_again(dispatcher)
        else:
            call.deliver(dispatcher, self.respond(call.turn()))
        return phase.events(call.db, call.session, tracker)

    def respond(self, turn: Turn) -> list[Reply]:
        if turn.session.consent != "agreed":
            said = read_consent(turn.text)  # explicit words decide, whatever the model read
            if said == "agree":
                return turn.agree(confidence=1.0)
            if said == "decline":
                return turn.decline()
            return self.before_consent(turn)
        if (open_ := turn.open_questionnaire()) is not None:
            a, scale = open_
            if option := turn.entities.get("option"):  # a button of the open item, whatever the intent
                return turn.answer_by_payload(a, scale, str(option))
            return self.during_questionnaire(turn, a, scale)
        return self.outside_questionnaire(turn)

    def before_consent(self, turn: Turn) -> list[Reply]:
        return turn.consent_again()

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.answer_in_words(a, scale)

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.menu()


class CommandAction(ConversationAction):
    """A command while a question is open, unless the words are a sure answer and Rasa was unsure of the command."""

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        if turn.sure_answer(scale):
            return turn.answer_in_words(a, scale)
        return self.command(turn, a, scale)

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        raise NotImplementedError


class ActionGreet(ConversationAction):
    action_name = "action_greet"

    def before_consent(self, turn: Turn) -> list[Reply]:
        return turn.consent()

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.answer_in_words(a, scale, lead="welcome_back")

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.menu(lead="welcome_back")


class ActionAgree(ConversationAction):
    action_name = "action_agree"

    def before_consent(self, turn: Turn) -> list[Reply]:
        return turn.agree(turn.confidence)

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.answer_in_words(a, scale, confirms=True)


class ActionDecline(ConversationAction):
    action_name = "action_decline"

    def before_consent(self, turn: Turn) -> list[Reply]:
        return turn.decline()


class ActionChooseScale(ConversationAction):
    action_name = "action_choose_scale"

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        if chosen := turn.entities.get("scale"):  # a menu button: the new scale replaces the open one
            return turn.start_scale(str(chosen))
        return turn.answer_in_words(a, scale)

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.choose_scale()


class ActionShowMenu(CommandAction):
    action_name = "action_show_menu"

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.menu_pausing(a)


class ActionAnswer(ConversationAction):
    """An answer, or words Rasa could not place: read as an answer to the open item, else as a scale's name."""
    action_name = "action_answer"

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.scale_or_menu()


class ActionBack(CommandAction):
    action_name = "action_back"

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.go_back(a, scale)


class ActionPause(CommandAction):
    action_name = "action_pause"

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.pause(a, scale)


class ActionResume(CommandAction):
    action_name = "action_resume"

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.repeat_item(a, scale)

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.resume()


class ActionExplain(CommandAction):
    action_name = "action_explain"

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.explain(a, scale)

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.say("why_none")


class ActionStop(CommandAction):
    action_name = "action_stop"

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.stop(a)


class ActionCounsellor(CommandAction):
    action_name = "action_counsellor"

    def before_consent(self, turn: Turn) -> list[Reply]:
        return turn.request_counsellor()

    def command(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.counsellor_then_item(a, scale)

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.request_counsellor()


class ActionResources(ConversationAction):
    """Help lines in any stage, consent or not."""
    action_name = "action_resources"

    def respond(self, turn: Turn) -> list[Reply]:
        return turn.resources()


class ActionCrisis(ConversationAction):
    """Rasa's crisis intent, added to the app's own crisis decision: that decision ran before Rasa (lexicon,
    classifier, context) and was none, or Rasa would not have been asked, so only Rasa's signal can raise it; when
    it does not, the words are read as an answer would be (as action_answer reads them)."""
    action_name = "action_crisis"

    def respond(self, turn: Turn) -> list[Reply]:
        # An option's own label typed to the open item is that answer: the crisis screen found nothing in it before
        # Rasa was asked, and a risk item's rule still reads the value.
        if turn.text and not turn.typed_an_option():
            said = crisis_flow.on_rasa_intent(turn.db, turn.rt, turn.session, turn.text,
                                              RasaIntent("crisis", turn.confidence))
            if said is not None:
                return said
        return super().respond(turn)

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.scale_or_menu()


class ActionChitchat(ConversationAction):
    action_name = "action_chitchat"

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.answer_in_words(a, scale, lead="chitchat")

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.scale_or_menu(lead="chitchat")


class ActionShareFeelings(ConversationAction):
    """Feelings, work stress, news about others: heard, then back to the item or on to a scale."""
    action_name = "action_share_feelings"

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.answer_in_words(a, scale, lead="feelings_heard")

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.scale_or_menu(lead="feelings")


class ActionThanks(ConversationAction):
    action_name = "action_thanks"

    def during_questionnaire(self, turn: Turn, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        return turn.answer_in_words(a, scale, lead="thanks")

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.say("thanks")


class ActionGoodbye(ConversationAction):
    action_name = "action_goodbye"

    def outside_questionnaire(self, turn: Turn) -> list[Reply]:
        return turn.say("goodbye")


ACTIONS: list[type[ConversationAction]] = [
    ActionGreet, ActionAgree, ActionDecline, ActionChooseScale, ActionShowMenu, ActionAnswer, ActionBack,
    ActionPause, ActionResume, ActionExplain, ActionStop, ActionCrisis, ActionCounsellor, ActionResources,
    ActionChitchat, ActionShareFeelings, ActionThanks, ActionGoodbye]
