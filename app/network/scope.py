"""What a staff user may see, as SQL conditions that go into the query itself (never a filter applied afterwards).

A centre's subtree is a recursive CTE over `centre.parent_id`, computed in the same statement as the query it guards:
the tree is small (a city's hundred-odd centres), the CTE is always current after a centre is added, and both
SQLite and PostgreSQL run it, so no closure table has to be kept in step with the tree.

Who sees which escalations:
- the platform admin (role admin, no scope): all of them;
- a counsellor or centre admin (centre C): those whose org is served by C or a centre below C; those held now by C
  or a centre below C (referred up to it, or transferred to it from anywhere — app/network/referrals.py); and when
  C is a root of the tree (no parent), also the unserved ones — no org, an org nobody registered, or an org with
  no centre — so nothing raised anywhere is left without a queue. A case referred or transferred away stays
  visible to the centres serving its org;
- anyone else (HR, org admins, staff without a scope): none.

Org data (reports, campaigns, units, posters, org staff accounts) follows org_scope: HR and org admins their own
org, a centre admin the orgs its subtree serves.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, exists, false, or_, select, true
from sqlmodel import Session, col

from app.escalations.models import Escalation
from app.network.models import Centre
from app.reports.models import Org
from app.staff.models import StaffUser

CENTRE_ROLES = ("counsellor", "admin")  # roles that may belong to a centre
ORG_ROLES = ("hr", "org_admin")  # roles that may belong to an org


def is_platform_admin(user: StaffUser) -> bool:
    return user.role == "admin" and user.centre_id is None and user.org_id is None


def subtree(centre_id: str) -> Select[tuple[str]]:
    """The ids of a centre and every centre below it (UNION, not UNION ALL: a cycle could not loop forever)."""
    tree = select(Centre.id).where(col(Centre.id) == centre_id).cte("scope_centres", recursive=True)
    tree = tree.union(select(Centre.id).where(col(Centre.parent_id) == tree.c.id))
    return select(tree.c.id)


def served_orgs(centre_id: str, tree: Select[tuple[str]] | None = None) -> Select[tuple[str]]:
    """Ids of the orgs served by a centre or any centre below it (`tree`: its subtree, when already built)."""
    return select(Org.id).where(col(Org.centre_id).in_(tree if tree is not None else subtree(centre_id)))


def _unserved() -> ColumnElement[bool]:
    """An escalation no centre serves: no org, an org nobody registered, or an org without a centre."""
    served = select(Org.id).where(col(Org.centre_id).is_not(None))
    return or_(col(Escalation.org).is_(None), col(Escalation.org).not_in(served))


def escalation_scope(user: StaffUser) -> ColumnElement[bool]:
    """The WHERE condition for escalations `user` may see (module docstring)."""
    if is_platform_admin(user):
        return true()
    if user.role not in CENTRE_ROLES or user.centre_id is None:
        return false()
    is_root = exists().where(col(Centre.id) == user.centre_id, col(Centre.parent_id).is_(None))
    tree = subtree(user.centre_id)  # one CTE, used by both conditions
    return or_(col(Escalation.org).in_(served_orgs(user.centre_id, tree)),
               col(Escalation.holding_centre_id).in_(tree), is_root & _unserved())


def queue_scope(db: Session, user: StaffUser) -> ColumnElement[bool]:
    """The same rows as escalation_scope, for the queue list: below the root, the served orgs and the subtree's
    centres are read first (small queries in the same unit of work), so the list's WHERE names them and PostgreSQL
    reads their active cases through an index; with the subqueries it cannot tell 7 orgs from 500 (the recursive
    CTE's estimate) and walks the whole active queue. A root centre and everyone else keep escalation_scope."""
    if is_platform_admin(user) or user.role not in CENTRE_ROLES or user.centre_id is None:
        return escalation_scope(user)
    centre = db.get(Centre, user.centre_id)
    if centre is None or centre.parent_id is None:  # a root also holds the unserved cases: no short list
        return escalation_scope(user)
    centres = list(db.scalars(subtree(user.centre_id)))  # the cases held here (referred up or transferred in)
    return or_(col(Escalation.org).in_(list(db.scalars(served_orgs(user.centre_id)))),
               col(Escalation.holding_centre_id).in_(centres))


def org_scope(user: StaffUser) -> Select[tuple[str]] | None:
    """The orgs whose data (reports, org admin) `user` may see: None means every org (the platform admin); an empty
    selection means none (staff without a scope)."""
    if is_platform_admin(user):
        return None
    if user.role in ORG_ROLES and user.org_id is not None:
        return select(Org.id).where(col(Org.id) == user.org_id)
    if user.role == "admin" and user.centre_id is not None:
        return served_orgs(user.centre_id)
    return select(Org.id).where(false())


def centre_scope(user: StaffUser) -> Select[tuple[str]] | None:
    """Centres `user` may see: None means all (the platform admin); a centre-scoped user sees their subtree."""
    if is_platform_admin(user):
        return None
    if user.centre_id is not None:
        return subtree(user.centre_id)
    return select(Centre.id).where(false())
