"""Erasure and retention: what the employee or time removes, and what stays (never with a link to a person).

What a counsellor's case record keeps when the employee erases their data (the rule we follow): PIPL art. 47 has
a handler delete personal information on request, except where a law or administrative regulation sets a retention
period not yet over, and then stop all processing but storage and security. Counselling records fall under such a
duty to keep case records (the profession's ethics codes require counsellors to keep them, confidentially). So:
- erased: everything that is the employee's own: messages, answers, results, Rasa's tracker, and on every
  escalation of the session the reason (it may quote their words), scale, score, org, unit and burst;
- kept, with no link to the session: the counsellor's record that a case existed: priority, source, times,
  who handled it, the outcome, and the counsellor's own notes (encrypted, readable only by their author and
  admins, every view audited), until XINAN_CASE_RECORD_RETENTION_DAYS after it was closed;
- kept: results already counted in a published month of the HR reports, as anonymous rows (see erase_session).
The widget tells the employee exactly this (app/web/chat/i18n: clear_confirm, cleared).
"""
from __future__ import annotations

import logging
import subprocess
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from app.assessments.models import Answer, Assessment
from app.config import Settings
from app.escalations.models import Escalation
from app.rasa import tracker_store
from app.sessions.models import EmployeeSession, Message
from app.timeutil import utcnow

log = logging.getLogger("xinan.erasure")

OPEN = ("open", "claimed")
WITHDRAWN_REASON = "withdrawn: the employee erased their data"
ERASED_REASON = "erased: the employee erased their data; the counsellor's record is kept"
# Everything on an escalation that is the employee's own rather than the counsellor's record.
EMPLOYEE_FIELDS = {"scale": None, "score": None, "assessment_id": None, "org": None, "unit": None, "burst_id": None,
                   "trigger_enc": None}  # trigger_enc: the employee's own words


def erase_session(db: Session, session: EmployeeSession) -> list[str]:
    """The employee's erase: messages, answers and results go; an open escalation stays withdrawn with no content.

    A result already counted in a published month of the HR reports (months that have ended) is kept as an
    anonymous aggregate row with no link to the session, like the retention purge does: deleting it would change a
    published figure by exactly one person, and comparing the report before and after would reveal that person's band.
    Returns the ids of escalations that changed, for the console's live feed.
    """
    ids = list(db.execute(select(Assessment.id).where(col(Assessment.session_id) == session.id)).scalars())
    if ids:
        published = utcnow().date().replace(day=1)
        db.execute(delete(Answer).where(col(Answer.assessment_id).in_(ids)))
        db.execute(update(Assessment).where(col(Assessment.id).in_(ids), col(Assessment.status) == "completed",
                                            col(Assessment.completed_on) < published).values(session_id=None))
        db.execute(delete(Assessment).where(col(Assessment.id).in_(ids), col(Assessment.session_id).is_not(None)))
    db.execute(delete(Message).where(col(Message.session_id) == session.id))
    changed = list(db.execute(select(Escalation.id).where(col(Escalation.session_id) == session.id)).scalars())
    db.execute(update(Escalation).where(col(Escalation.session_id) == session.id,
                                        col(Escalation.status).in_(OPEN))
               .values(status="withdrawn", reason=WITHDRAWN_REASON, **EMPLOYEE_FIELDS))
    db.execute(update(Escalation).where(col(Escalation.session_id) == session.id,
                                        col(Escalation.status).not_in(OPEN))  # closed: the counsellor's record
               .values(reason=ERASED_REASON, **EMPLOYEE_FIELDS))
    db.execute(update(Escalation).where(col(Escalation.session_id) == session.id)
               .values(session_id=None))
    session.erased_at, session.active_assessment_id, session.pending_json, session.handoff = utcnow(), None, None, False
    session.campaign_id = None  # its campaign's participation events never named the session (app/campaigns)
    db.add(session)
    return [str(i) for i in changed]


def erase_tracker(settings: Settings, sender_id: str) -> int:
    """Rasa's copy of the conversation; should this fail, the retention job deletes the events of every erased
    session on its next run (purge_expired), so the erasure still completes."""
    try:
        return tracker_store.delete(settings, [sender_id])
    except (tracker_store.TrackerStoreError, OSError, subprocess.TimeoutExpired):
        log.warning("erasing Rasa's tracker failed; the retention job will delete it")
        return 0


def purge_expired(db: Session, settings: Settings) -> dict[str, int]:
    """Delete transcripts and Rasa trackers older than the retention period unless an escalation is still open.

    Completed assessments stay for the aggregates but lose their link to the session (session_id NULL).
    """
    cutoff = utcnow() - timedelta(days=settings.retention_days)
    open_sessions = select(Escalation.session_id).where(col(Escalation.status).in_(OPEN),
                                                        col(Escalation.session_id).is_not(None))
    expired = list(db.execute(select(EmployeeSession.id).where(
        col(EmployeeSession.last_active_at) < cutoff, col(EmployeeSession.id).not_in(open_sessions))).scalars())
    counts = {"sessions": len(expired), "messages": 0, "answers": 0, "tracker_events": 0}
    for sid in expired:
        unfinished = select(Assessment.id).where(col(Assessment.session_id) == sid,
                                                 col(Assessment.status) != "completed")
        counts["answers"] += db.execute(delete(Answer).where(
            col(Answer.assessment_id).in_(select(Assessment.id).where(col(Assessment.session_id) == sid)))).rowcount
        db.execute(delete(Assessment).where(col(Assessment.id).in_(unfinished)))
        db.execute(update(Assessment).where(col(Assessment.session_id) == sid)
                .values(session_id=None))
        counts["messages"] += db.execute(delete(Message).where(
            col(Message.session_id) == sid)).rowcount
        db.execute(update(Escalation).where(col(Escalation.session_id) == sid)
                .values(session_id=None))
        db.execute(delete(EmployeeSession).where(col(EmployeeSession.id) == sid))
    record_cutoff = utcnow() - timedelta(days=settings.case_record_retention_days)
    counts["case_records"] = db.execute(delete(Escalation).where(  # notes go with them (ON DELETE CASCADE)
        col(Escalation.status).not_in(OPEN), col(Escalation.resolved_at) < record_cutoff)).rowcount or 0
    keep = set(db.execute(open_sessions).scalars())
    counts["tracker_events"], senders = tracker_store.purge(settings, cutoff.timestamp(), keep)
    erased = [s for s in senders if s not in keep
              and ((row := db.get(EmployeeSession, s)) is None or row.erased_at is not None)]
    counts["tracker_events"] += tracker_store.delete(settings, erased, present=True)
    return counts
