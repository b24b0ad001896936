"""Rasa custom actions, served by the app through rasa_sdk's executor: one class per action in dialogs/domain.yml.

Rasa's rules choose the action from the intent; each action then does its one thing in the stage the employee is
in (before consent, a question open, no question open), from the facts in the app's store.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from app.assessments.models import Assessment
from app.conversation.consent_words import read_consent
from app.conversation.context import current_db
from app.conversation.reply import Reply
from app.conversation.turn import Turn
from app.runtime import get_runtime
from app.safety import crisis_flow
from app.safety.decision import RasaIntent
from app.scales.definitions import ScaleDefinition
from app.sessions import service as sessions
from app.sessions.models import EmployeeSession

MESSAGE_ID = "xinan_message_id"  # metadata key: the stored employee message a turn answers
REPLY_FIELDS = ("text", "buttons", "progress", "card", "kind", "answered")


class ConversationAction(Action):
    """What every action shares: the session, a retried message answered the same again, the replies stored in
    the same unit of work as the answers they report. Subclasses say what they do in each stage."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        db = current_db.get()
        latest = tracker.latest_message or {}
        recognised = latest.get("intent") or {}
        entities = {e["entity"]: e.get("value") for e in latest.get("entities") or [] if e.get("entity")}
        session = db.get(EmployeeSession, tracker.sender_id) if db is not None else None
        if session is None or session.erased_at is not None:
            dispatcher.utter_message(text="This conversation is not known to Xin'an. 此会话不存在。")
            return []
        rt = get_runtime()
        message_id, answered = _employee_message(db, session, latest.get("metadata"))
        if message_id is not None and answered:  # acted on before (a retry after a lost reply): say the same again
            done = [m for m in sessions.replies_to(db, message_id) if m.sender == "bot"]
            _utter(dispatcher, [Reply(**{k: v for k, v in sessions.message_out(rt, m).items() if k in REPLY_FIELDS})
                                for m in done], [sessions.stored_ref(m) for m in done])
            return []
        turn = Turn(db, rt, session, latest.get("text"), entities, float(recognised.get("confidence") or 0.0),
                    message_id)
        replies = self.respond(turn)
        if message_id is not None:  # stored in the same unit of work as the answers they report
            stored = sessions.append_messages(db, rt, session, replies, reply_to=message_id)
            _utter(dispatcher, replies, [sessions.stored_ref(m) for m in stored])
        else:
            _utter(dispatcher, replies)
        return []

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
    it does not, the words are read as an answer would be."""
    action_name = "action_crisis"

    def respond(self, turn: Turn) -> list[Reply]:
        # An option's own label typed to the open item is that answer: the crisis screen found nothing in it before
        # Rasa was asked, and a risk item's rule still reads the value.
        if turn.text and not turn.typed_an_option():
            said = crisis_flow.on_rasa_intent(turn.db, turn.rt, turn.session, turn.text,
                                              RasaIntent("crisis", turn.confidence))
            if said is not None:
                return said
        return ActionAnswer().respond(turn)


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


def _employee_message(db: Session, session: EmployeeSession, metadata: Any) -> tuple[str | None, bool]:
    """The employee message this turn answers, named by the app in the metadata it sends Rasa with the text, and
    whether the bot already answered it."""
    message_id = metadata.get(MESSAGE_ID) if isinstance(metadata, dict) else None
    if not isinstance(message_id, str):
        return None, False
    found = sessions.employee_message(db, session.id, message_id)
    return found if found is not None else (None, False)


def _utter(dispatcher: CollectingDispatcher, replies: list[Reply], stored: list[dict[str, Any]] | None = None) -> None:
    """`stored`: where each reply was stored (id, seq, ...), sent back with it in the custom payload so the app's
    turn can answer the employee without reading the replies back from the store."""
    for i, reply in enumerate(replies):
        extra = {k: v for k, v in (("progress", reply.progress), ("card", reply.card), ("answered", reply.answered))
                 if v}
        if reply.kind != "text":
            extra["kind"] = reply.kind
        if stored is not None:
            extra["message"] = stored[i]
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None,
                                 json_message={"xinan": extra} if extra else None)
