"""Escalation burst: urgent cases opened from one client within a short window share a burst id, so the console
shows them as one alert with a count. The id is random: it links those cases, never an address.

Revision ID: 0021
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("escalation", sa.Column("burst_id", sa.String(length=32), nullable=True))
    op.create_index("ix_escalation_burst_id", "escalation", ["burst_id"])


def downgrade() -> None:
    op.drop_index("ix_escalation_burst_id", table_name="escalation")
    op.drop_column("escalation", "burst_id")
