"""Campaign routes: create, list and read an org's campaigns, their participation and its share links (hr, org_admin,
admin), what the widget shows of an open campaign and a share link's participation (public). Thin over
app/campaigns/service.py, participation.py and shares.py."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from sqlmodel import Session

from app.campaigns import participation, service, shares
from app.campaigns.models import Campaign, CampaignShare
from app.campaigns.report import NOTE, SAYS, Previous, campaign_report
from app.campaigns.schemas import (
    MAX_MESSAGE,
    CampaignIn,
    CampaignLink,
    CampaignOptions,
    CampaignOut,
    CampaignPublic,
    CampaignReportOut,
    CampaignUnit,
    Participation,
    ParticipationRow,
    PreviousShare,
    ShareCreated,
    ShareIn,
    ShareOut,
    UnitChoice,
)
from app.config import Settings
from app.db import session_scope
from app.deps import get_rt
from app.reports import orgs
from app.reports.noise import CONFIDENCE, Budget
from app.reports.router import budget_of
from app.reports.schemas import Cell, Privacy
from app.runtime import Runtime
from app.staff.deps import require_role
from app.staff.models import StaffUser
from app.timeutil import utcnow

RtDep = Annotated[Runtime, Depends(get_rt)]
Reader = Annotated[StaffUser, Depends(require_role("hr", "org_admin", "admin"))]
router = APIRouter(prefix="/api/v1/orgs/{org_id}/campaigns", tags=["hr"],
                   responses={404: {"description": "no such org or campaign in the caller's scope"}})
public_router = APIRouter(prefix="/api/v1/campaigns", tags=["employee"])


def _out(rt: Runtime, db: Session, c: Campaign) -> CampaignOut:
    units = service.unit_names(db, c)
    links = [CampaignLink(unit=u, name=units[u].name if u in units else u,
                          link=service.campaign_link(rt.settings.base_url, c, u),
                          poster=f"{orgs.poster_path(units[u])}&campaign={c.id}" if u in units else "")
             for u in service.units_of(c)]
    return CampaignOut(id=c.id, org=c.org_id, name=c.name, scales=service.scales_of(c), units=service.units_of(c),
                       opens_on=c.opens_on, closes_on=c.closes_on, message=c.message,
                       status=service.status(c, service.org_today(db, c.org_id)), links=links)


@router.post("", status_code=201, response_model=CampaignOut, responses={422: {"description": "bad input"}})
def create_campaign(org_id: str, body: CampaignIn, rt: RtDep, user: Reader) -> CampaignOut:
    """HR or an org admin of the org, or an admin whose scope holds it; scales must be loaded and units registered
    in the org."""
    with session_scope() as db:
        c = service.create_campaign(db, org_id, user, name=body.name, scales=body.scales, units=body.units,
                                    opens_on=body.opens_on, closes_on=body.closes_on, message=body.message,
                                    known_scales=rt.scales.ids())
        return _out(rt, db, c)


@router.get("")
def list_campaigns(org_id: str, rt: RtDep, user: Reader) -> dict[str, list[CampaignOut]]:
    with session_scope() as db:
        return {"campaigns": [_out(rt, db, c) for c in service.list_campaigns(db, org_id, user)]}


@router.get("/options", response_model=CampaignOptions)
def campaign_options(org_id: str, rt: RtDep, user: Reader) -> CampaignOptions:
    """What the create form offers: HR may not list units through the admin API, so the form reads them here."""
    with session_scope() as db:
        units = orgs.list_units(db, org_id, user)  # 404 outside the caller's scope
        today = service.org_today(db, org_id)
        return CampaignOptions(org=org_id, today=today, max_days=service.MAX_DAYS, max_message=MAX_MESSAGE,
                               scales=rt.scales.ids(),
                               units=[UnitChoice(id=u.id, name=u.name, parent=u.parent_id, headcount=u.headcount)
                                      for u in units])


@router.get("/{campaign_id}", response_model=CampaignOut)
def get_campaign(org_id: str, campaign_id: str, rt: RtDep, user: Reader) -> CampaignOut:
    with session_scope() as db:
        return _out(rt, db, service.get_campaign(db, org_id, campaign_id, user))


def _row(r: participation.Row) -> ParticipationRow:
    f = r.figures
    share = None
    if f["completed"] is not None and r.headcount:
        share = round(min(1.0, max(0, f["completed"].value) / r.headcount), 3)  # noise may pass either end
    return ParticipationRow(
        unit=r.unit, label=r.label, headcount=r.headcount, suppressed=r.suppressed,
        **{kind: (f[kind].value if f[kind] is not None else None) for kind in f},  # type: ignore[arg-type]
        **{f"{kind}_margin": (f[kind].margin if f[kind] is not None else None) for kind in f},
        completed_share=share)


def participation_budget_of(settings: Settings) -> Budget:
    """The reports' closed-month budget and participation's own for the running month (config.py says why)."""
    return Budget(settings.report_epsilon_month, settings.participation_epsilon_running, settings.report_mean_share)


def _participation(rt: Runtime, db: Session, c: Campaign) -> Participation:
    """The one participation release: HR's view and a share link's page read exactly this."""
    budget = participation_budget_of(rt.settings)
    k = rt.settings.report_min_cell
    rel = participation.release(db, c, k, budget, utcnow().date())
    privacy = Privacy(epsilon_month=budget.epsilon_month, epsilon_running=budget.epsilon_running,
                      confidence=CONFIDENCE, counted_through=rel.counted_through,
                      running_month=f"{rel.running[0]:04d}-{rel.running[1]:02d}" if rel.running else None)
    return Participation(campaign=c.id, org=c.org_id, name=c.name, opens_on=c.opens_on, closes_on=c.closes_on, k=k,
                         units=[_row(r) for r in rel.rows], total=_row(rel.total),
                         method=participation.METHOD.format(month=budget.epsilon_month,
                                                            running=budget.epsilon_running),
                         privacy=privacy)


@router.get("/{campaign_id}/participation", response_model=Participation)
def campaign_participation(org_id: str, campaign_id: str, rt: RtDep, user: Reader) -> Participation:
    """Per unit: conversations opened, consented and completed, noisy (±, 95 %) and suppressed below k, readable
    while the campaign runs (whole days up to yesterday)."""
    with session_scope() as db:
        return _participation(rt, db, service.get_campaign(db, org_id, campaign_id, user))


def _share(s: CampaignShare, today: date) -> ShareOut:
    return ShareOut(id=s.id, label=s.label, created_at=s.created_at, expires_on=s.expires_on, revoked_at=s.revoked_at,
                    active=shares.is_active(s, today))


@router.post("/{campaign_id}/shares", status_code=201, response_model=ShareCreated,
             responses={422: {"description": "bad input, the campaign closed too long ago, or too many live links"}})
def create_share(org_id: str, campaign_id: str, body: ShareIn, rt: RtDep, user: Reader) -> ShareCreated:
    """A read-only link to the campaign's participation for unit leaders without an account; its token is in this
    answer only."""
    with session_scope() as db:
        c = service.get_campaign(db, org_id, campaign_id, user)
        share, token = shares.create_share(db, rt.pepper, c, user, body.label)
        out = _share(share, service.org_today(db, c.org_id))
    return ShareCreated(**out.model_dump(), token=token, link=shares.share_link(rt.settings.base_url, token))


@router.get("/{campaign_id}/shares")
def list_shares(org_id: str, campaign_id: str, user: Reader) -> dict[str, list[ShareOut]]:
    """The campaign's share links, newest first, revoked and expired ones too (without their tokens)."""
    with session_scope() as db:
        c = service.get_campaign(db, org_id, campaign_id, user)
        today = service.org_today(db, c.org_id)
        return {"shares": [_share(s, today) for s in shares.list_shares(db, c)]}


@router.delete("/{campaign_id}/shares/{share_id}", status_code=204)
def revoke_share(org_id: str, campaign_id: str, share_id: str, user: Reader) -> Response:
    """The link stops working at once (its page says it is no longer available)."""
    with session_scope() as db:
        shares.revoke_share(db, service.get_campaign(db, org_id, campaign_id, user), share_id, user)
    return Response(status_code=204)


def _unit(cell: Cell, before: Previous | None) -> CampaignUnit:
    if before is None:
        return CampaignUnit(**cell.model_dump())
    b = before.cell
    previous = PreviousShare(
        campaign=before.campaign.id, name=before.campaign.name, opens_on=before.campaign.opens_on,
        closes_on=before.campaign.closes_on, share_moderate_plus=b.share_moderate_plus if b else None,
        share_moderate_plus_margin=b.share_moderate_plus_margin if b else None, change=before.change,
        says=SAYS[before.change] if before.change else None)
    return CampaignUnit(**cell.model_dump(), previous=previous)


@router.get("/{campaign_id}/report", response_model=CampaignReportOut,
            responses={422: {"description": "not one of the campaign's scales"}})
def campaign_results(org_id: str, campaign_id: str, rt: RtDep, user: Reader,
                     scale: str | None = None) -> CampaignReportOut:
    """The HR unit report of one of the campaign's scales (default: its first) over the campaign's whole months, of
    the answers made in the campaign and kept to its units, each with the previous campaign's share: the campaign's
    own stored noisy cells, which /reports/summary sums with the units' others, so it spends no budget of its own."""
    with session_scope() as db:
        c = service.get_campaign(db, org_id, campaign_id, user)
        scale_id = scale if scale is not None else service.scales_of(c)[0]
        definition = rt.scales.get(scale_id)
        if definition is None:
            raise HTTPException(status_code=422, detail=f"unknown scale {scale_id[:100]!r}")
        rep = campaign_report(db, c, definition, rt.settings.report_min_cell, budget_of(rt.settings),
                              utcnow().date())
        state = service.status(c, service.org_today(db, c.org_id))
    s = rep.summary
    return CampaignReportOut(campaign=c.id, org=c.org_id, name=c.name, status=state, scale=scale_id,
                             scales=service.scales_of(c), k=rt.settings.report_min_cell,
                             from_=s.from_ if s else None, to=s.to if s else None, bands=s.bands if s else [],
                             units=[_unit(cell, rep.previous.get(cell.group)) for cell in rep.units], note=NOTE,
                             method=s.method if s else None,
                             privacy=s.privacy if s else None)


@public_router.get("/{campaign_id}", response_model=CampaignPublic,
                   responses={404: {"description": "no such campaign, or it is not open today"}})
def public_campaign(campaign_id: str) -> CampaignPublic:
    """What the widget's header shows (no login): the name, the closing day and the message, while it is open."""
    with session_scope() as db:
        c = service.public_campaign(db, campaign_id)
        if c is None:
            raise HTTPException(status_code=404, detail="no open campaign with this id")
        return CampaignPublic(id=c.id, name=c.name, closes_on=c.closes_on, message=c.message)


@public_router.get("/shared/{token}/participation", response_model=Participation,
                   responses={404: {"description": "no such link, or it was revoked or has expired"}})
def shared_participation(token: str, rt: RtDep) -> Participation:
    """A share link's figures (no login): exactly the participation HR reads, nothing more."""
    with session_scope() as db:
        c = shares.shared_campaign(db, rt.pepper, token)
        if c is None:
            raise HTTPException(status_code=404, detail="this link is not valid: revoked, expired or never made")
        return _participation(rt, db, c)


routers = [router, public_router]
