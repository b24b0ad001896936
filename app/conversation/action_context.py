"""What every action call starts from (the session, the stored employee message it answers, whether that message
was answered before) and how replies leave: stored with the answers they report, then uttered once per turn."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from app.conversation.context import current_db
from app.conversation.reply import Reply
from app.conversation.turn import Turn
from app.runtime import Runtime, get_runtime
from app.sessions import service as sessions
from app.sessions.models import EmployeeSession

MESSAGE_ID = "xinan_message_id"  # metadata key: the stored employee message a turn answers
REPLY_FIELDS = ("text", "buttons", "progress", "card", "kind", "answered")


@dataclass
class Call:
    """One action call: `answered` means the bot already replied to this employee message (a retry after a lost
    reply, or an earlier action of the same turn)."""
    db: Session
    rt: Runtime
    session: EmployeeSession
    tracker: Tracker
    message_id: str | None
    answered: bool

    @property
    def first_of_turn(self) -> bool:
        """No other action ran since the employee's message (the tracker's events of this turn say so): only then
        is a message answered before a retry, rather than answered by an earlier action of this turn."""
        for event in reversed(self.tracker.events or []):
            if event.get("event") == "user":
                return True
            if event.get("event") == "action" and event.get("name") not in ("action_listen", None):
                return False
        return True

    def turn(self) -> Turn:
        latest = self.tracker.latest_message or {}
        recognised = latest.get("intent") or {}
        entities = {e["entity"]: e.get("value") for e in latest.get("entities") or [] if e.get("entity")}
        return Turn(self.db, self.rt, self.session, latest.get("text"), entities,
                    float(recognised.get("confidence") or 0.0), self.message_id)

    def say_again(self, dispatcher: CollectingDispatcher) -> None:
        """A retried message is answered with the replies stored the first time."""
        done = [m for m in sessions.replies_to(self.db, self.message_id or "") if m.sender == "bot"]
        utter(dispatcher, [Reply(**{k: v for k, v in sessions.message_out(self.rt, m).items() if k in REPLY_FIELDS})
                           for m in done], [sessions.stored_ref(m) for m in done])

    def deliver(self, dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
        """Stored in the same unit of work as the answers they report, then uttered."""
        if self.message_id is None:
            utter(dispatcher, replies)
            return
        stored = sessions.append_messages(self.db, self.rt, self.session, replies, reply_to=self.message_id)
        utter(dispatcher, replies, [sessions.stored_ref(m) for m in stored])
        self.answered = self.answered or bool(replies)


def begin(dispatcher: CollectingDispatcher, tracker: Tracker) -> Call | None:
    db = current_db.get()
    session = db.get(EmployeeSession, tracker.sender_id) if db is not None else None
    if db is None or session is None or session.erased_at is not None:
        dispatcher.utter_message(text="This conversation is not known to Xin'an. 此会话不存在。")
        return None
    message_id, answered = _employee_message(db, session, (tracker.latest_message or {}).get("metadata"))
    return Call(db, get_runtime(), session, tracker, message_id, answered)


def _employee_message(db: Session, session: EmployeeSession, metadata: Any) -> tuple[str | None, bool]:
    """The employee message this turn answers, named by the app in the metadata it sends Rasa with the text, and
    whether the bot already answered it."""
    message_id = metadata.get(MESSAGE_ID) if isinstance(metadata, dict) else None
    if not isinstance(message_id, str):
        return None, False
    found = sessions.employee_message(db, session.id, message_id)
    return found if found is not None else (None, False)


def utter(dispatcher: CollectingDispatcher, replies: list[Reply], stored: list[dict[str, Any]] | None = None) -> None:
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
