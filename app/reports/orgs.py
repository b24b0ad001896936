"""Orgs and units an admin defines, and the per-unit widget link and QR code employees open."""
from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from sqlmodel import Session, col, select

from app.reports.models import Org, Unit


class OrgError(ValueError):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def create_org(db: Session, org_id: str, name: str) -> Org:
    if db.get(Org, org_id) is not None:
        raise OrgError(409, f"org {org_id!r} already exists")
    org = Org(id=org_id, name=name)
    db.add(org)
    db.flush()
    return org


def list_orgs(db: Session) -> list[Org]:
    return list(db.exec(select(Org).order_by(col(Org.id))))


def get_org(db: Session, org_id: str) -> Org:
    org = db.get(Org, org_id)
    if org is None:
        raise OrgError(404, f"no org {org_id!r}")
    return org


def create_unit(db: Session, org_id: str, unit_id: str, name: str, parent: str | None,
                headcount: int | None) -> Unit:
    get_org(db, org_id)
    if db.get(Unit, unit_id) is not None:
        raise OrgError(409, f"unit {unit_id!r} already exists")
    if parent is not None:
        p = db.get(Unit, parent)
        if p is None or p.org_id != org_id:
            raise OrgError(422, f"parent unit {parent!r} is not a unit of org {org_id!r}")
    if headcount is not None and headcount < 0:
        raise OrgError(422, "headcount cannot be negative")
    unit = Unit(id=unit_id, org_id=org_id, parent_id=parent, name=name, headcount=headcount)
    db.add(unit)
    db.flush()
    return unit


def list_units(db: Session, org_id: str) -> list[Unit]:
    get_org(db, org_id)
    return list(db.exec(select(Unit).where(Unit.org_id == org_id).order_by(col(Unit.id))))


def get_unit(db: Session, org_id: str, unit_id: str) -> Unit:
    unit = db.get(Unit, unit_id)
    if unit is None or unit.org_id != org_id:
        raise OrgError(404, f"no unit {unit_id!r} in org {org_id!r}")
    return unit


def unit_link(base_url: str, unit: Unit) -> str:
    """The widget link printed as the unit's QR code; org and unit are the only things it carries."""
    return f"{base_url.rstrip('/')}/chat?{urlencode({'org': unit.org_id, 'unit': unit.id})}"


def qr_svg(link: str) -> str:
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="svg", scale=4, border=4, xmldecl=False, title=link)
    return buf.getvalue().decode("utf-8")
