"""Message answered: the option a bot reply recorded for the previous item ({item, value, label}), so the widget can
mark the chosen button after a reload. An answer is health data: encrypted like the message text.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("message", sa.Column("answered_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    op.drop_column("message", "answered_enc")
