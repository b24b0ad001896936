"""Claim windows and service hours of a centre: when a case held there falls due, and whether the centre is open.

The windows are wall-clock minutes for urgent and high cases and working days for routine ones (a working day is a
day with service hours; every day when the centre is open around the clock). Without any centre (a deployment
that has not set up a network) the settings' due_minutes_* apply, as before the network existed.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.config import Settings
from app.network.models import Centre
from app.reports.models import Org

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def open_days(centre: Centre) -> set[int]:
    """Weekday numbers (Monday 0) the centre serves on."""
    return {DAYS.index(d) for d in centre.open_days.split(",") if d in DAYS}


def _local(centre: Centre, at: datetime) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(ZoneInfo(centre.timezone))


def is_open(centre: Centre | None, at: datetime) -> bool:
    if centre is None or centre.always_open:
        return True
    local = _local(centre, at)
    now = local.strftime("%H:%M")
    return local.weekday() in open_days(centre) and centre.opens_at <= now < centre.closes_at


def window(centre: Centre | None, priority: str, settings: Settings) -> timedelta:
    """The claim window as a length of time (routine: calendar days; due_at() counts working days)."""
    if centre is None:
        return timedelta(minutes=settings.due_minutes(priority))
    if priority == "urgent":
        return timedelta(minutes=centre.claim_urgent_minutes)
    if priority == "high":
        return timedelta(minutes=centre.claim_high_minutes)
    return timedelta(days=centre.claim_routine_days)


def due_at(centre: Centre | None, priority: str, at: datetime, settings: Settings) -> datetime:
    """When a case of `priority` that reached `centre` at `at` falls due there."""
    if centre is None or priority != "routine" or centre.always_open:
        return at + window(centre, priority, settings)
    local, days = _local(centre, at), open_days(centre) or set(range(7))
    day, counted = local.date(), 0
    while counted < centre.claim_routine_days:
        day += timedelta(days=1)
        counted += day.weekday() in days
    same_time = datetime.combine(day, time(local.hour, local.minute, local.second), tzinfo=local.tzinfo)
    return same_time.astimezone(UTC)


def tree(db: Session) -> dict[str, Centre]:
    """Every centre by id: a city's tree is a hundred-odd rows, read once per decision or job pass."""
    return {c.id: c for c in db.exec(select(Centre))}


def first_root(centres: dict[str, Centre]) -> Centre | None:
    roots = sorted((c for c in centres.values() if c.parent_id is None), key=lambda c: (c.created_at, c.id))
    return roots[0] if roots else None


def home_centre(db: Session, centres: dict[str, Centre], org_id: str | None) -> Centre | None:
    """The centre serving the org; an unserved case goes to the oldest root (none: no network at all)."""
    if org_id:
        served = db.exec(select(Org.centre_id).where(col(Org.id) == org_id)).first()
        if served and served in centres:
            return centres[served]
    return first_root(centres)


def climb(centres: dict[str, Centre], start: Centre, at: datetime) -> list[Centre]:
    """`start`, then its ancestors up to the first one open at `at` (or the root): where a case raised or arriving
    at `start` out of hours ends up. A cycle in the tree ends the climb rather than looping."""
    path = [start]
    while not is_open(path[-1], at) and path[-1].parent_id in centres and len(path) <= len(centres):
        path.append(centres[path[-1].parent_id])  # type: ignore[index]
    return path
