"""Rasa custom actions, served by the app through rasa_sdk's executor. Each is a thin entry into the conversation."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from app.dialogue import conversation
from app.dialogue.context import current_db
from app.runtime import get_runtime
from app.sessions.models import EmployeeSession


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
        replies = conversation.handle(db, get_runtime(), session, intent, latest.get("text"), entities, confidence)
        for reply in replies:
            extra = {k: v for k, v in (("progress", reply.progress), ("card", reply.card)) if v}
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None,
                                     json_message={"xinan": extra} if extra else None)
        return []


def _make(name: str) -> type[_ConversationAction]:
    return type(f"Action_{name}", (_ConversationAction,), {"action_name": name})


ACTION_NAMES = ("action_greet", "action_agree", "action_decline", "action_choose_scale", "action_show_menu",
                "action_answer", "action_back", "action_pause", "action_resume", "action_explain", "action_stop",
                "action_crisis", "action_counsellor", "action_resources", "action_chitchat")
ACTIONS = [_make(n) for n in ACTION_NAMES]
