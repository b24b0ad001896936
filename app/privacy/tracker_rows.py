"""Direct access to Rasa's tracker-store table (`events`) for erasure, retention and key rotation: Rasa's HTTP API
can only append to a tracker, never delete its stored rows."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect
from sqlalchemy.engine import Connection, Engine

from app.config import Settings

events = Table("events", MetaData(), Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
               Column("type_name", String(255)), Column("timestamp", Float), Column("intent_name", String(255)),
               Column("action_name", String(255)), Column("data", Text))


def tracker_url(settings: Settings) -> str:
    """Rasa's tracker store: set explicitly, else the app's PostgreSQL database, else a SQLite file in the data dir."""
    if settings.rasa_tracker_url:
        return settings.rasa_tracker_url
    if settings.database_url and settings.database_url.startswith("postgresql"):
        return settings.database_url
    return f"sqlite:///{settings.resolved_data_dir / 'rasa_tracker.db'}"


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    return create_engine(url, connect_args={"timeout": 15} if url.startswith("sqlite") else {}, hide_parameters=True)


@contextmanager
def tracker_db(settings: Settings) -> Iterator[Connection | None]:
    """A transaction on Rasa's store, or None when Rasa has not created its table yet."""
    engine = _engine(tracker_url(settings))
    with engine.begin() as conn:
        yield conn if inspect(conn).has_table("events") else None
