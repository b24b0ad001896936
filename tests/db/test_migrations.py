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


def test_0032_rewords_stored_phq9_item9_reasons_both_ways(db_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    """Escalations store the English reason and the console finds its Chinese by it: old rows must read the new one."""
    from sqlmodel import Session, select

    from app.escalations.models import Escalation

    old, new = "phq9 item 9 ≥ 1", "PHQ-9 item 9 ≥ 1 (thoughts of being better off dead or of hurting themselves)"
    asked = "employee asked to talk to a counsellor"
    upgrade(settings, url=db_url)
    downgrade(db_url, "0031")
    engine = create_engine(db_url)
    with Session(engine) as db:
        db.add(Escalation(id="e1", source="risk_rule", priority="urgent", reason=old))
        db.add(Escalation(id="e2", source="request", priority="routine", reason=asked))
        db.commit()
    upgrade(settings, url=db_url)
    with Session(engine) as db:
        assert dict(db.exec(select(Escalation.id, Escalation.reason)).all()) == {
            "e1": new, "e2": asked}
    downgrade(db_url, "0031")
    with Session(engine) as db:
        assert db.get(Escalation, "e1").reason == old  # type: ignore[union-attr]
    engine.dispose()
