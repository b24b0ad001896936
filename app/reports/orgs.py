"""Orgs and units an admin defines, and the per-unit widget link and QR code employees open."""
from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from sqlmodel import Session, col, select

from app.errors import Refused
from app.network.scope import is_platform_admin, org_scope
from app.network.service import visible_centre
from app.reports.models import Org, Unit
from app.staff.models import StaffUser


class OrgError(Refused, ValueError):
    """Answered by the API with its status (app/errors.py)."""


def create_org(db: Session, org_id: str, name: str, centre: str | None = None,
               user: StaffUser | None = None) -> Org:
    """`user` None is the CLI (platform level). A centre admin's org is served by its own centre unless it names
    one below it; a centre outside the caller's scope is answered like an unknown one."""
    if user is not None and not is_platform_admin(user):
        centre = centre or user.centre_id
        if centre is None:
            raise OrgError(422, "give the centre that serves this org")
    if centre is not None and visible_centre(db, user, centre) is None:
        raise OrgError(422, f"no centre {centre!r}")
    if db.get(Org, org_id) is not None:
        raise OrgError(409, f"org {org_id!r} already exists")
    org = Org(id=org_id, name=name, centre_id=centre)
    db.add(org)
    db.flush()
    return org


def _scoped(stmt, user: StaffUser | None):  # type: ignore[no-untyped-def]
    scope = org_scope(user) if user is not None else None
    return stmt if scope is None else stmt.where(col(Org.id).in_(scope))


def list_orgs(db: Session, user: StaffUser | None = None) -> list[Org]:
    return list(db.exec(_scoped(select(Org), user).order_by(col(Org.id))))


def get_org(db: Session, org_id: str, user: StaffUser | None = None) -> Org:
    """404 alike for an unknown org and one outside the caller's scope."""
    org = db.exec(_scoped(select(Org).where(col(Org.id) == org_id), user)).first()
    if org is None:
        raise OrgError(404, f"no org {org_id!r}")
    return org


def create_unit(db: Session, org_id: str, unit_id: str, name: str, parent: str | None,
                headcount: int | None, user: StaffUser | None = None) -> Unit:
    get_org(db, org_id, user)
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


def list_units(db: Session, org_id: str, user: StaffUser | None = None) -> list[Unit]:
    get_org(db, org_id, user)
    return list(db.exec(select(Unit).where(Unit.org_id == org_id).order_by(col(Unit.id))))


def get_unit(db: Session, org_id: str, unit_id: str, user: StaffUser | None = None) -> Unit:
    stmt = select(Unit).where(col(Unit.id) == unit_id, col(Unit.org_id) == org_id)
    scope = org_scope(user) if user is not None else None
    if scope is not None:
        stmt = stmt.where(col(Unit.org_id).in_(scope))
    unit = db.exec(stmt).first()
    if unit is None:
        raise OrgError(404, f"no unit {unit_id!r} in org {org_id!r}")
    return unit


def link_problem(db: Session, org_id: str | None, unit_id: str | None) -> str | None:
    """Why a widget link cannot open a conversation, or None when it can: a named org must be registered and a named
    unit must be a unit of that org, so nobody can open (or pad) conversations for a unit that does not exist. A
    link that names neither is the service's general link."""
    if org_id is None:
        return None if unit_id is None else "a unit needs its org"
    if db.get(Org, org_id) is None:
        return f"no org {org_id!r}"
    if unit_id is not None:
        unit = db.get(Unit, unit_id)
        if unit is None or unit.org_id != org_id:
            return f"no unit {unit_id!r} in org {org_id!r}"
    return None


def update_unit(db: Session, org_id: str, unit_id: str, changes: dict[str, object],
                user: StaffUser | None = None) -> Unit:
    """Change a unit's name or headcount (the denominator of its reports); nothing else of it moves."""
    unit = get_unit(db, org_id, unit_id, user)
    if not changes:
        raise OrgError(422, "give a name or a headcount to change")
    if "name" in changes:
        if not changes["name"]:
            raise OrgError(422, "name cannot be empty")
        unit.name = str(changes["name"])
    if "headcount" in changes:
        headcount = changes["headcount"]
        if isinstance(headcount, int) and headcount < 0:
            raise OrgError(422, "headcount cannot be negative")
        unit.headcount = headcount if isinstance(headcount, int) else None
    db.add(unit)
    db.flush()
    return unit


def unit_link(base_url: str, unit: Unit) -> str:
    """The widget link printed as the unit's QR code; org and unit are the only things it carries."""
    return f"{base_url.rstrip('/')}/chat?{urlencode({'org': unit.org_id, 'unit': unit.id})}"


def qr_svg(link: str) -> str:
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="svg", scale=4, border=4, xmldecl=False, title=link)
    return buf.getvalue().decode("utf-8")


def poster_path(unit: Unit) -> str:
    """The printable A4 poster page of a unit (app/web/dashboard/static/poster.html)."""
    return f"/hr/poster?{urlencode({'org': unit.org_id, 'unit': unit.id})}"


def qr_data_uri(link: str) -> str:
    """The QR code as an SVG data URI the poster page shows without a second (authenticated) request; a 2-module
    quiet zone, since the poster leaves white paper around it."""
    return segno.make(link, error="m").svg_data_uri(border=2, title=link)
