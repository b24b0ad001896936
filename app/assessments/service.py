"""Taking a questionnaire: each answer persisted as it is given, scored on the last item by the pure engine."""
from __future__ import annotations

import json

from sqlmodel import Session, col, delete, select

from app.assessments.models import Answer, Assessment
from app.campaigns import service as campaigns
from app.runtime import Runtime
from app.scales.definitions import ScaleDefinition
from app.scales.scoring import ScoreResult, score
from app.sessions.models import EmployeeSession
from app.sessions.tokens import new_id
from app.timeutil import utcnow


def active(db: Session, session: EmployeeSession) -> Assessment | None:
    if not session.active_assessment_id:
        return None
    a = db.get(Assessment, session.active_assessment_id)
    return a if a is not None and a.status in ("in_progress", "paused") else None


def in_progress(db: Session, session: EmployeeSession) -> Assessment | None:
    """The questionnaire whose question is open now (a paused one waits for "continue")."""
    a = active(db, session)
    return a if a is not None and a.status == "in_progress" else None


def start(db: Session, session: EmployeeSession, scale: ScaleDefinition) -> Assessment:
    current = in_progress(db, session)
    if current is not None:
        current.status = "paused"
        db.add(current)
    a = Assessment(id=new_id(), session_id=session.id, scale_id=scale.id, scale_version=scale.version,
                   org=session.org, unit=session.unit, campaign_id=session.campaign_id)
    db.add(a)
    session.active_assessment_id = a.id
    session.pending_json = None
    db.add(session)
    db.flush()
    return a


def answers_of(db: Session, assessment_id: str) -> dict[int, int]:
    rows = db.exec(select(Answer).where(Answer.assessment_id == assessment_id))
    return {r.item_index + 1: r.value for r in rows}


def record_answer(db: Session, rt: Runtime, assessment: Assessment, value: int, free_text: str | None) -> None:
    """Store (or replace, after "back") the answer to the current item and move on."""
    idx = assessment.current_item
    existing = db.exec(select(Answer).where(Answer.assessment_id == assessment.id, Answer.item_index == idx)).first()
    enc = rt.keyring.encrypt(free_text, aad=assessment.id) if free_text else None
    if existing is None:
        db.add(Answer(id=new_id(), assessment_id=assessment.id, item_index=idx, value=value, free_text_enc=enc))
    else:
        existing.value, existing.free_text_enc, existing.answered_at = value, enc, utcnow()
        db.add(existing)
    assessment.current_item = idx + 1
    db.add(assessment)
    db.flush()


def go_back(db: Session, assessment: Assessment) -> bool:
    if assessment.current_item == 0:
        return False
    assessment.current_item -= 1
    db.add(assessment)
    return True


def complete(db: Session, session: EmployeeSession, assessment: Assessment, scale: ScaleDefinition) -> ScoreResult:
    result = score(scale, answers_of(db, assessment.id))
    now = utcnow()
    assessment.status, assessment.completed_at, assessment.completed_on = "completed", now, now.date()
    assessment.score, assessment.max_score = result.total, result.max_total
    assessment.band, assessment.risk = result.band.id, result.risk
    assessment.subscales_json = json.dumps(result.subscales) if result.subscales else None
    session.active_assessment_id = None
    db.add(assessment)
    db.add(session)
    db.flush()
    campaigns.record_completion(db, session, assessment)
    return result


def stop(db: Session, session: EmployeeSession, assessment: Assessment) -> None:
    """End without scoring and keep nothing of the unfinished answers."""
    db.exec(delete(Answer).where(col(Answer.assessment_id) == assessment.id))
    assessment.status = "stopped"
    session.active_assessment_id = None
    session.pending_json = None
    db.add(assessment)
    db.add(session)


def completed_results(db: Session, session_id: str) -> list[Assessment]:
    stmt = (select(Assessment).where(Assessment.session_id == session_id, Assessment.status == "completed")
            .order_by(col(Assessment.completed_at)))
    return list(db.exec(stmt))
