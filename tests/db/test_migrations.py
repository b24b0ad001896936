"""Alembic is the only way the schema changes: upgrade and downgrade work on SQLite and on PostgreSQL, and the
migrated schema matches the models (no drift)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.db import downgrade, upgrade
from app.models import metadata

TABLES = {"employee_session", "message", "assessment", "answer", "escalation", "escalation_note", "staff_user",
          "staff_token", "audit_event", "org", "unit", "centre"}


def test_upgrade_downgrade_roundtrip(db_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    upgrade(settings, url=db_url)
    engine = create_engine(db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    downgrade(db_url, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(settings, url=db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()
