"""Sample activity for the demo network, made through the app's own services (sessions, assessments, escalations,
claims, notes), so every row is stored and encrypted exactly as a real conversation leaves it; only the timestamps
are moved back afterwards, so the HR dashboard has closed months to show and the queue has a history."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from app.assessments import service as assessments
from app.assessments.models import Answer, Assessment
from app.demo.campaigns import join, make_campaigns
from app.demo.network import SEED, Shape
from app.escalations import service as queue
from app.escalations.models import Escalation
from app.escalations.opening import open_escalation
from app.reports.models import Org, Unit
from app.runtime import Runtime
from app.sessions.models import EmployeeSession
from app.sessions.service import create_session
from app.sessions.tokens import new_id
from app.staff.models import StaffUser
from app.timeutil import utcnow

HR_SESSIONS_PER_MONTH = 16  # per HR demo org and month: above k, so the dashboard shows the org, not "suppressed"
MONTHS = 3  # closed months of history before the current one
RISK_SESSIONS = 130  # employees whose answers raise an escalation, spread over the network
TRIGGERS = ("最近压力特别大，晚上睡不着，想找人聊聊。", "工作上出了很多问题，感觉撑不下去了。",
            "和家里人关系很紧张，每天都很烦。", "I can't focus at work and I feel hopeless lately.")


def has_activity(db: Session, shape: Shape) -> bool:
    org_ids = [o.id for o in shape.orgs]
    return db.exec(select(Assessment.id).where(col(Assessment.org).in_(org_ids)).limit(1)).first() is not None


def _month_starts(today: date) -> list[date]:
    first = today.replace(day=1)
    starts = [first]
    for _ in range(MONTHS):
        starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
    return starts


def _when(rng: random.Random, start: date, now: datetime) -> datetime:
    """A working-hours moment in the month starting at `start`, never in the future."""
    end = (start + timedelta(days=32)).replace(day=1)
    day = start + timedelta(days=rng.randrange((end - start).days))
    at = datetime(day.year, day.month, day.day, rng.randint(8, 20), rng.randrange(60), tzinfo=UTC)
    return min(at, now - timedelta(minutes=rng.randint(5, 600)))


def _answers(rng: random.Random, n: int, severity: float, item9: int | None = None) -> list[int]:
    values = [max(0, min(3, round(severity + rng.gauss(0, 0.7)))) for _ in range(n)]
    if item9 is not None and n >= 9:
        values[8] = item9
    return values


def _take(db: Session, rt: Runtime, session: EmployeeSession, scale_id: str, values: list[int],
          at: datetime) -> Escalation | None:
    """One questionnaire through the assessment service, and the escalation a fired risk rule opens (as the dialogue
    does it, app/conversation/turn.py finish)."""
    scale = rt.scales.get(scale_id)
    assert scale is not None
    a = assessments.start(db, session, scale)
    # the answers as record_answer stores a tapped button (no free text, so nothing to encrypt), in one flush
    db.add_all(Answer(id=new_id(), assessment_id=a.id, item_index=i, value=v)
               for i, v in enumerate(values[:len(scale.items)]))
    a.current_item = len(scale.items)
    res = assessments.complete(db, session, a, scale)
    a.started_at, a.completed_at, a.completed_on = at - timedelta(minutes=4), at, at.date()
    db.add(a)
    if not res.fired:
        return None
    top = max(res.fired, key=lambda r: ("routine", "high", "urgent").index(r.level))
    esc, _ = open_escalation(db, rt.settings, session, source="risk_rule", priority=res.risk, reason=top.reason.en,
                             assessment_id=a.id, scale=scale.id, score=res.total)
    return esc


def _session(db: Session, rt: Runtime, rng: random.Random, org: str, units: list[Unit],
             at: datetime) -> EmployeeSession:
    unit = rng.choices(units, weights=[u.headcount or 1 for u in units])[0]
    session, _ = create_session(db, rt, org=org, unit=unit.id, locale="zh-CN" if rng.random() < 0.85 else "en")
    session.consent, session.created_at, session.last_active_at = "agreed", at, at + timedelta(minutes=8)
    db.add(session)
    return session


def _backdate(esc: Escalation, at: datetime, rt: Runtime) -> None:
    esc.created_at = at + timedelta(seconds=30)
    esc.due_at = esc.created_at + timedelta(minutes=rt.settings.due_minutes(esc.priority))


def make_activity(db: Session, rt: Runtime, shape: Shape) -> dict[str, int]:
    """HR orgs get a steady stream of PHQ-9 + GAD-7 screenings over the last months, many through a campaign's link
    (app/demo/campaigns.py); risky answers across the network raise escalations, older ones mostly claimed and
    resolved by the counsellor in scope, recent ones still open."""
    rng = random.Random(SEED + 1)
    links = random.Random(SEED + 2)  # campaign links draw apart, so the rest of the demo stays as it was
    now = utcnow()
    units: dict[str, list[Unit]] = {}
    for unit in shape.units:
        units.setdefault(unit.org_id, []).append(unit)
    escs: dict[str, Escalation] = {}  # a session's second screening may raise its open case, not a new one
    hr_orgs = [s[3] for s in shape.staff if s[1] == "hr" and s[3]]
    for org in hr_orgs:
        campaigns = make_campaigns(db, org, units[org], now.date())
        for start in _month_starts(now.date()):
            for _ in range(HR_SESSIONS_PER_MONTH):
                at = _when(rng, start, now)
                session = _session(db, rt, rng, org, units[org], at)
                severity = rng.random() ** 2 * 2.2
                for scale_id, n in (("phq9", 9), ("gad7", 7)):
                    esc = _take(db, rt, session, scale_id, _answers(rng, n, severity, 0 if rng.random() < 0.95
                                                                     else 1), at)
                    if esc is not None:
                        _backdate(esc, at, rt)
                        escs[esc.id] = esc
                join(db, links, campaigns, session, at)
    # half the cases come from the stations that have a demo counsellor, mostly in the last days, so each of
    # them logs in to a live queue; the rest are spread over the network and the last three weeks
    stations = {s[2] for s in shape.staff if s[1] == "counsellor" and s[2] and "-s" in s[2]}
    station_orgs = [o.id for o in shape.orgs if o.centre_id in stations]
    for i in range(RISK_SESSIONS):
        if i % 2 and station_orgs:
            org, at = rng.choice(station_orgs), now - timedelta(hours=rng.random() * 60)
        else:
            org, at = rng.choice(shape.orgs).id, now - timedelta(hours=rng.random() ** 2 * 24 * 20)
        session = _session(db, rt, rng, org, units[org], at)
        if rng.random() < 0.15:
            esc, _ = open_escalation(db, rt.settings, session, source="request", priority="routine",
                                     reason="employee asked to talk to a counsellor", trigger=rng.choice(TRIGGERS),
                                     keyring=rt.keyring)
        else:
            item9 = 1 if rng.random() < 0.12 else 0
            esc = _take(db, rt, session, "phq9", _answers(rng, 9, 1.2 + rng.random() * 1.6, item9), at)
        if esc is not None:
            _backdate(esc, at, rt)
            escs[esc.id] = esc
    db.flush()
    worked = _work_cases(db, rt, rng, list(escs.values()), now)
    return {"sessions": len(db.exec(select(EmployeeSession.id).where(
                col(EmployeeSession.org).in_([o.id for o in shape.orgs]))).all()),
            "assessments": len(db.exec(select(Assessment.id).where(
                col(Assessment.org).in_([o.id for o in shape.orgs]))).all()),
            "escalations": len(escs), **worked}


def _work_cases(db: Session, rt: Runtime, rng: random.Random, escs: list[Escalation], now: datetime) -> dict[str, int]:
    """Claim and resolve through the queue service, as the county counsellor of the case's org: most cases older than
    three days are closed, a few are held; recent ones stay open."""
    counsellors = {u.centre_id: u for u in db.exec(select(StaffUser).where(StaffUser.role == "counsellor"))}
    centre_of = {o.id: o.centre_id for o in db.exec(select(Org).where(
        col(Org.id).in_({e.org for e in escs if e.org})))}
    claimed = resolved = 0
    for esc in escs:
        age = now - esc.created_at
        roll = rng.random()
        if age < timedelta(days=1) or (age < timedelta(days=3) and roll < 0.6):
            continue
        county = (centre_of.get(esc.org or "") or "").split("-s")[0]
        user = counsellors.get(county)
        if user is None:
            continue
        queue.claim(db, esc.id, user)
        claimed += 1
        done = roll < 0.85 or age > timedelta(days=10)
        if done:
            queue.resolve(db, rt, user, esc.id, rng.choice(("contacted", "contacted", "self_help", "referred_medical",
                                                            "no_response")), "已电话联系，约定下周回访。")
            resolved += 1
        esc.claimed_at = min(now, esc.created_at + timedelta(minutes=rng.randint(3, 240)))
        if done:
            esc.resolved_at = min(now, esc.claimed_at + timedelta(hours=rng.randint(1, 72)))
        db.add(esc)
    db.flush()
    return {"claimed": claimed - resolved, "resolved": resolved}
