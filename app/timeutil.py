"""Aware UTC timestamps everywhere (SQLModel's UTCDateTime refuses naive ones), serialised with a Z."""
from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


def iso(dt: datetime | None) -> str | None:
    """A naive value (a raw SQLite read) is UTC as stored, not the host's local time."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
