"""Rasa custom actions, served by the app through rasa_sdk's executor. Each is a thin entry into the conversation."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from app.conversation import conversation
from app.conversation.context import current_db
from app.conversation.reply import Reply
from app.runtime import get_runtime
from app.sessions import service as sessions
from app.sessions.models import EmployeeSession

MESSAGE_ID = "xinan_message_id"  # metadata key: the stored employee message a turn answers


class _ConversationAction(Action):
    action_name = ""
    intent: str | None = None  # force an intent (e.g. the fallback) instead of the recognised one

    def name(self) -> str:
        return self.action_name

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        db = current_db.get()
        latest = tracker.latest_message or {}
        recognised = latest.get("intent") or {}
        intent = self.intent or recognised.get("name") or "nlu_fallback"
        confidence = float(recognised.get("confidence") or 0.0)
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
        replies = conversation.handle(db, rt, session, intent, latest.get("text"), entities, confidence, message_id)
        if message_id is not None:  # stored in the same unit of work as the answers they report
            stored = sessions.append_messages(db, rt, session, replies, reply_to=message_id)
            _utter(dispatcher, replies, [sessions.stored_ref(m) for m in stored])
        else:
            _utter(dispatcher, replies)
        return []


REPLY_FIELDS = ("text", "buttons", "progress", "card", "kind", "answered")


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


def _make(name: str) -> type[_ConversationAction]:
    return type(f"Action_{name}", (_ConversationAction,), {"action_name": name})


ACTION_NAMES = ("action_greet", "action_agree", "action_decline", "action_choose_scale", "action_show_menu",
                "action_answer", "action_back", "action_pause", "action_resume", "action_explain", "action_stop",
                "action_crisis", "action_counsellor", "action_resources", "action_chitchat")
ACTIONS = [_make(n) for n in ACTION_NAMES]
