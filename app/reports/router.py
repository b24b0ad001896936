"""HR reports (hr, org_admin, admin), units (admin, org_admin; orgs themselves: admin only), and the /hr dashboard
page. Every route applies org_scope, so an org admin's is its own org."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from app.campaigns import service as campaigns
from app.db import session_scope
from app.deps import get_rt
from app.network.scope import ORG_ROLES, org_scope
from app.reports import orgs
from app.reports.models import Unit
from app.reports.schemas import OrgIn, OrgOut, PosterOut, Summary, UnitIn, UnitOut, UnitPatch
from app.reports.service import ReportError, budget_of, summary, to_csv, to_summary
from app.runtime import Runtime
from app.staff.deps import require_role
from app.staff.models import StaffUser
from app.timeutil import utcnow
from app.web.dashboard.router import router as dashboard_router

RtDep = Annotated[Runtime, Depends(get_rt)]
reports_router = APIRouter(prefix="/api/v1/reports", tags=["hr"])
Reader = Annotated[StaffUser, Depends(require_role("hr", "org_admin", "admin"))]
Admin = Annotated[StaffUser, Depends(require_role("admin"))]
UnitAdmin = Annotated[StaffUser, Depends(require_role("admin", "org_admin"))]
orgs_router = APIRouter(prefix="/api/v1/orgs", tags=["admin"],
                        responses={404: {"description": "no such org or unit"},
                                   409: {"description": "the id is taken"}})


@reports_router.get("/summary", response_model=Summary,
                    responses={200: {"content": {"text/csv": {}}}, 422: {"description": "bad parameter"}})
def report_summary(rt: RtDep, user: Reader, scale: Annotated[str, Query(description="scale id, e.g. gad7")],
                   group_by: Literal["unit", "org", "month"] = "unit",
                   from_: Annotated[date | None, Query(alias="from")] = None, to: date | None = None,
                   format: Literal["json", "csv"] = "json") -> Response | Summary:
    """Anonymized aggregates with differential privacy: every figure is noisy, with its ± (95 %). Periods snap to
    whole months; the running month counts whole days up to yesterday (`to` defaults to today). An HR user's report
    covers their own org only (a centre admin's: the orgs its centres serve); HR without an org: 404."""
    scope = org_scope(user)
    if user.role in ORG_ROLES and user.org_id is None:
        raise HTTPException(status_code=404, detail="no report: this account belongs to no org")
    definition = rt.scales.get(scale)
    if definition is None:
        raise HTTPException(status_code=422, detail=f"unknown scale {scale!r}; known: {', '.join(rt.scales.ids())}")
    try:
        with session_scope() as db:
            report = summary(db, definition, rt.settings.report_min_cell, group_by, from_, to, utcnow().date(),
                             scope, budget_of(rt.settings))
    except ReportError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    if format == "csv":
        p = report.period
        name = f"xinan-{scale}-{group_by}-{p.start or p.requested_from}-{p.end or p.requested_to}.csv"
        return Response(to_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return to_summary(report)


def _unit_out(rt: Runtime, unit: Unit) -> UnitOut:
    """The link comes from the settings (XINAN_PUBLIC_BASE_URL), never from the request's Host header, which any
    client may set: a printed QR code must not send employees to a host an attacker named."""
    return UnitOut(id=unit.id, org=unit.org_id, name=unit.name, parent=unit.parent_id, headcount=unit.headcount,
                   link=orgs.unit_link(rt.settings.base_url, unit),
                   qr_svg=f"/api/v1/orgs/{unit.org_id}/units/{unit.id}/qr.svg", poster=orgs.poster_path(unit))


@orgs_router.post("", status_code=201, response_model=OrgOut)
def create_org(body: OrgIn, user: Admin) -> OrgOut:
    """A centre admin's org is served by its own centre, or one below it named in `centre`."""
    with session_scope() as db:
        org = orgs.create_org(db, body.id, body.name, body.centre, user)
    return OrgOut(id=org.id, name=org.name, centre=org.centre_id)


@orgs_router.get("")
def list_orgs(user: UnitAdmin) -> dict[str, list[OrgOut]]:
    """The orgs in the caller's scope (all of them for the platform admin, its own for an org admin)."""
    with session_scope() as db:
        return {"orgs": [OrgOut(id=o.id, name=o.name, centre=o.centre_id) for o in orgs.list_orgs(db, user)]}


@orgs_router.post("/{org_id}/units", status_code=201, response_model=UnitOut)
def create_unit(org_id: str, body: UnitIn, rt: RtDep, user: UnitAdmin) -> UnitOut:
    with session_scope() as db:
        unit = orgs.create_unit(db, org_id, body.id, body.name, body.parent, body.headcount, user)
    return _unit_out(rt, unit)


@orgs_router.get("/{org_id}/units")
def list_units(org_id: str, rt: RtDep, user: UnitAdmin) -> dict[str, list[UnitOut]]:
    with session_scope() as db:
        units = orgs.list_units(db, org_id, user)
    return {"units": [_unit_out(rt, u) for u in units]}


@orgs_router.patch("/{org_id}/units/{unit_id}", response_model=UnitOut,
                   responses={422: {"description": "nothing to change, or a bad value"}})
def update_unit(org_id: str, unit_id: str, body: UnitPatch, rt: RtDep, user: UnitAdmin) -> UnitOut:
    """Only the fields sent change; `"headcount": null` clears the headcount."""
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    if changes.get("name", "") is None:
        raise HTTPException(status_code=422, detail="name cannot be null")
    with session_scope() as db:
        unit = orgs.update_unit(db, org_id, unit_id, changes, user)
    return _unit_out(rt, unit)


@orgs_router.get("/{org_id}/units/{unit_id}/qr.svg", response_class=Response)
def unit_qr(org_id: str, unit_id: str, rt: RtDep, user: UnitAdmin) -> Response:
    with session_scope() as db:
        unit = orgs.get_unit(db, org_id, unit_id, user)
    return Response(orgs.qr_svg(orgs.unit_link(rt.settings.base_url, unit)), media_type="image/svg+xml")


@orgs_router.get("/{org_id}/units/{unit_id}/poster", response_model=PosterOut)
def unit_poster(org_id: str, unit_id: str, rt: RtDep, user: Reader, campaign: str | None = None) -> PosterOut:
    """What the unit's A4 QR poster prints: HR and org admins of the unit's org, and admins whose scope holds the org
    (404 for any other unit, as if it did not exist). With `campaign`, the unit's campaign link (404 unless the
    campaign is the org's and holds the unit)."""
    with session_scope() as db:
        unit = orgs.get_unit(db, org_id, unit_id, user)
        org = orgs.get_org(db, org_id, user)
        c = campaigns.get_campaign(db, org_id, campaign, user) if campaign is not None else None
    if c is not None and unit.id not in campaigns.units_of(c):
        raise HTTPException(status_code=404, detail=f"unit {unit.id!r} is not part of this campaign")
    link = orgs.unit_link(rt.settings.base_url, unit) if c is None else \
        campaigns.campaign_link(rt.settings.base_url, c, unit.id)
    return PosterOut(org=org.id, org_name=org.name, unit=unit.id, unit_name=unit.name, link=link,
                     qr=orgs.qr_data_uri(link), k=rt.settings.report_min_cell, campaign=c.id if c else None,
                     campaign_name=c.name if c else None, closes_on=c.closes_on if c else None)


routers = [reports_router, orgs_router, dashboard_router]
