"""Demo screening campaigns: for each HR demo org a closed campaign last quarter and one open now, so the HR
dashboard's campaign tab has participation, a report and an earlier campaign to compare with."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.assessments.models import Assessment
from app.campaigns.models import Campaign, CampaignEvent
from app.reports.models import Unit
from app.sessions.models import EmployeeSession
from app.sessions.tokens import new_id

WINDOWS = ((100, 75), (12, -18))  # (opened, closes) in days before today: one closed, one open now
THROUGH_LINK = 0.8  # share of the screenings in a campaign's window that came through its link
LEFT_AFTER_OPENING, LEFT_AFTER_CONSENT = 0.3, 0.1  # per such screening, others who opened it and went no further


def make_campaigns(db: Session, org_id: str, units: list[Unit], today: date) -> list[Campaign]:
    """Stored as the campaign service stores them; made here directly because one of them is already closed."""
    out = []
    for opened, closes in WINDOWS:
        opens_on, closes_on = today - timedelta(days=opened), today - timedelta(days=closes)
        c = Campaign(id=new_id(), org_id=org_id, name=f"{opens_on.year}年{opens_on.month}月职工心理健康普查",
                     scales_json=json.dumps(["phq9", "gad7"]), units_json=json.dumps([u.id for u in units]),
                     opens_on=opens_on, closes_on=closes_on, message="匿名参与，只需几分钟。谢谢你照顾好自己。")
        db.add(c)
        out.append(c)
    db.flush()
    return out


def join(db: Session, rng: random.Random, campaigns: list[Campaign], session: EmployeeSession, at: datetime) -> None:
    """A completed screening inside a campaign's window mostly came through its link: the session and its assessments
    belong to it and its three participation events are dated as the session is (set after the answers, so none is
    dated today)."""
    day = at.date()
    c = next((c for c in campaigns if c.opens_on <= day <= c.closes_on), None)
    if c is None or session.unit is None or rng.random() >= THROUGH_LINK:
        return
    session.campaign_id = c.id
    db.add(session)
    for a in db.exec(select(Assessment).where(Assessment.session_id == session.id)):
        a.campaign_id = c.id  # made in the campaign, as the link would have recorded it
        db.add(a)
    kinds = ["opened", "consented", "completed"]
    if rng.random() < LEFT_AFTER_OPENING:
        kinds.append("opened")
    if rng.random() < LEFT_AFTER_CONSENT:
        kinds += ["opened", "consented"]
    db.add_all(CampaignEvent(campaign_id=c.id, unit=session.unit, kind=k, day=day) for k in kinds)
