"""Campaigns of an org: creation and reading in the caller's scope, the campaign link check, participation events.

Scope is the reports' (app/network/scope.py org_scope through app/reports/orgs.py get_org): HR of the org, a
centre admin whose centres serve it, the platform admin; anything else is 404 as if it did not exist. A campaign's
days are the dates of the centre serving its org (its service-hours timezone), Asia/Shanghai without one."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.assessments.models import Assessment
from app.campaigns.models import Campaign, CampaignEvent
from app.network.models import DEFAULT_TIMEZONE, Centre
from app.reports import orgs
from app.reports.models import Org, Unit
from app.sessions.models import EmployeeSession
from app.sessions.tokens import new_id
from app.staff.models import StaffUser
from app.timeutil import utcnow

MAX_DAYS = 366  # a campaign runs at most a year: its participation release has a bounded number of periods
CampaignError = orgs.OrgError  # a Refused: the API answers with its status (app/errors.py)


def _is_id(value: str) -> bool:
    """Campaign ids are new_id()'s 32 hex digits: anything else is no campaign, never a query."""
    return re.fullmatch(r"[0-9a-f]{32}", value) is not None


def _short(value: str) -> str:
    """A 422 echoes at most 100 characters of any value (README "Security model")."""
    return repr(value[:100])


def org_today(db: Session, org_id: str, now: datetime | None = None) -> date:
    """Today where the org is served: the serving centre's timezone, else the deployment default."""
    centre_id = db.exec(select(Org.centre_id).where(col(Org.id) == org_id)).first()
    centre = db.get(Centre, centre_id) if centre_id else None
    tz = ZoneInfo(centre.timezone if centre is not None else DEFAULT_TIMEZONE)
    return (now or utcnow()).astimezone(tz).date()


def status(c: Campaign, today: date) -> str:
    return "scheduled" if today < c.opens_on else "closed" if today > c.closes_on else "open"


def scales_of(c: Campaign) -> list[str]:
    return list(json.loads(c.scales_json))


def units_of(c: Campaign) -> list[str]:
    return list(json.loads(c.units_json))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def create_campaign(db: Session, org_id: str, user: StaffUser, *, name: str, scales: list[str], units: list[str],
                    opens_on: date, closes_on: date, message: str | None, known_scales: Iterable[str]) -> Campaign:
    """Validate against what exists now (loaded scales, the org's registered units) and store the campaign."""
    orgs.get_org(db, org_id, user)  # 404 outside the caller's scope
    known = set(known_scales)
    if bad := [s for s in scales if s not in known]:
        raise CampaignError(422, f"unknown scale {_short(bad[0])}; known: {', '.join(sorted(known))}")
    registered = set(db.exec(select(Unit.id).where(col(Unit.org_id) == org_id)))
    if bad := [u for u in units if u not in registered]:
        raise CampaignError(422, f"unit {_short(bad[0])} is not a registered unit of org {org_id!r}")
    if closes_on < opens_on:
        raise CampaignError(422, f"closes_on ({closes_on}) is before opens_on ({opens_on})")
    if (closes_on - opens_on).days + 1 > MAX_DAYS:
        raise CampaignError(422, f"a campaign runs at most {MAX_DAYS} days")
    if closes_on < org_today(db, org_id):
        raise CampaignError(422, f"closes_on ({closes_on}) is in the past")
    campaign = Campaign(id=new_id(), org_id=org_id, name=name.strip(), scales_json=json.dumps(_unique(scales)),
                        units_json=json.dumps(_unique(units)), opens_on=opens_on, closes_on=closes_on,
                        message=(message or "").strip() or None, created_by=user.id)
    db.add(campaign)
    db.flush()
    return campaign


def list_campaigns(db: Session, org_id: str, user: StaffUser) -> list[Campaign]:
    orgs.get_org(db, org_id, user)
    stmt = select(Campaign).where(col(Campaign.org_id) == org_id)
    return list(db.exec(stmt.order_by(col(Campaign.opens_on).desc(), col(Campaign.created_at).desc())))


def get_campaign(db: Session, org_id: str, campaign_id: str, user: StaffUser) -> Campaign:
    orgs.get_org(db, org_id, user)
    campaign = db.get(Campaign, campaign_id) if _is_id(campaign_id) else None
    if campaign is None or campaign.org_id != org_id:
        raise CampaignError(404, f"no campaign {_short(campaign_id)} in org {org_id!r}")
    return campaign


def unit_names(db: Session, c: Campaign) -> dict[str, Unit]:
    return {u.id: u for u in db.exec(select(Unit).where(col(Unit.id).in_(units_of(c))))}


def campaign_link(base_url: str, c: Campaign, unit: str) -> str:
    """The unit link plus the campaign: org, unit and campaign are all it carries."""
    return f"{base_url.rstrip('/')}/chat?{urlencode({'org': c.org_id, 'unit': unit, 'campaign': c.id})}"


def link_problem(db: Session, campaign_id: str, org_id: str | None, unit_id: str | None) -> str | None:
    """Why a campaign link cannot open a conversation today, or None (the org/unit link is checked before)."""
    c = db.get(Campaign, campaign_id) if _is_id(campaign_id) else None
    if c is None or org_id is None or c.org_id != org_id:
        return f"no campaign {_short(campaign_id)} for this org"
    if unit_id is None or unit_id not in units_of(c):
        return "this unit is not part of the campaign"
    state = status(c, org_today(db, c.org_id))
    if state == "scheduled":
        return f"the campaign opens on {c.opens_on}"
    if state == "closed":
        return f"the campaign closed on {c.closes_on}"
    return None


def public_campaign(db: Session, campaign_id: str) -> Campaign | None:
    """The campaign the widget may show: only while it is open."""
    c = db.get(Campaign, campaign_id) if _is_id(campaign_id) else None
    return c if c is not None and status(c, org_today(db, c.org_id)) == "open" else None


def header(db: Session, campaign_id: str | None) -> dict[str, object] | None:
    """What the widget's header shows of the campaign a conversation was opened in."""
    c = public_campaign(db, campaign_id) if campaign_id else None
    return None if c is None else {"name": c.name, "closes_on": c.closes_on, "message": c.message}


def record(db: Session, session: EmployeeSession, kind: str) -> None:
    """One participation event of a conversation opened through a campaign link (nothing for any other)."""
    if session.campaign_id is None or session.unit is None:
        return
    db.add(CampaignEvent(campaign_id=session.campaign_id, unit=session.unit, kind=kind, day=utcnow().date()))
    db.flush()


def record_completion(db: Session, session: EmployeeSession, assessment: Assessment) -> None:
    """`completed` once per conversation: its first assessment of one of the campaign's scales."""
    if session.campaign_id is None:
        return
    campaign = db.get(Campaign, session.campaign_id)
    if campaign is None or assessment.scale_id not in scales_of(campaign):
        return
    earlier = exists().where(col(Assessment.session_id) == session.id, col(Assessment.status) == "completed",
                             col(Assessment.id) != assessment.id, col(Assessment.scale_id).in_(scales_of(campaign)))
    if not db.scalar(sa_select(earlier)):
        record(db, session, "completed")


def grace_end(c: Campaign) -> date:
    """Events are counted up to a month after closing (a conversation opened on the last day may finish later)."""
    return c.closes_on + timedelta(days=31)
