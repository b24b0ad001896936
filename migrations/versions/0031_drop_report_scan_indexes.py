"""Drop the two indexes HR reports scanned `assessment` with: every report reads `report_rollup` now (0030), no
query uses them, and each one is written on every answer's completion.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03
"""
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain DROP INDEX, no batch rebuild of the table: the rollup triggers on `assessment` stay in place
    op.drop_index("ix_assessment_report_cover", table_name="assessment")
    op.drop_index("ix_assessment_report", table_name="assessment")


def downgrade() -> None:
    op.create_index("ix_assessment_report", "assessment", ["scale_id", "status", "completed_on", "unit"])
    op.create_index("ix_assessment_report_cover", "assessment", ["scale_id", "status", "completed_on"],
                    postgresql_include=["org", "unit", "band", "score"])
