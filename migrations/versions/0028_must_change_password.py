"""Staff accounts holding a one-time password must choose their own before they can sign in.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("must_change_password")
