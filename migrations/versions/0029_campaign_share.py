"""Read-only share links of a campaign's participation view (only the keyed hash of each token is stored).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_share",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("campaign_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_campaign_share_campaign_id", "campaign_share", ["campaign_id"])
    op.create_index("ix_campaign_share_token_hash", "campaign_share", ["token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_campaign_share_token_hash", table_name="campaign_share")
    op.drop_index("ix_campaign_share_campaign_id", table_name="campaign_share")
    op.drop_table("campaign_share")
