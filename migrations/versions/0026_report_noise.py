"""Noise of released HR report cells (differential privacy): drawn once by OpenDP, reused by every later report.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_noise",
        sa.Column("scale_id", sa.String(length=32), nullable=False),
        sa.Column("leaf", sa.String(length=130), nullable=False),
        sa.Column("period", sa.String(length=24), nullable=False),
        sa.Column("cell", sa.String(length=32), nullable=False),
        sa.Column("noise", sa.Integer(), nullable=False),
        sa.Column("scale", sa.Float(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scale_id", "leaf", "period", "cell"),
    )


def downgrade() -> None:
    op.drop_table("report_noise")
