"""The dialogue's phase as Rasa's slots and loop hold it, computed in one place from the app's store after an
action's work: the store stays the truth and the tracker mirrors it, so a Rasa restart or expired session heals on
the next action."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlmodel import Session

from app.assessments import service as assessments
from app.sessions.models import EmployeeSession

FORM = "questionnaire_form"
ITEM = "item_answer"  # the form's one requested slot: None while items remain (app/conversation/questionnaire.py)
STAGE = "stage"


def stage(db: Session, session: EmployeeSession) -> str:
    if session.consent != "agreed":
        return "consent"
    return "questionnaire" if assessments.in_progress(db, session) is not None else "menu"


def events(db: Session, session: EmployeeSession, tracker: Tracker) -> list[dict[str, Any]]:
    """The slot events, and the loop's (de)activation when the store opened or closed a questionnaire."""
    now = stage(db, session)
    out = [SlotSet(STAGE, now)]
    loop_on = (tracker.active_loop or {}).get("name") == FORM
    if now == "questionnaire" and not loop_on:
        out += [SlotSet(ITEM, None), ActiveLoop(FORM)]
    elif now != "questionnaire" and loop_on:
        out.append(ActiveLoop(None))
    return out
