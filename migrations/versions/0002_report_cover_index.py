"""Covering index for HR reports (index-only scans over a million assessments on PostgreSQL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_assessment_report_cover", "assessment", ["scale_id", "status", "completed_on"],
                    postgresql_include=["org", "unit", "band", "score"])


def downgrade() -> None:
    op.drop_index("ix_assessment_report_cover", table_name="assessment")
