"""Screening campaigns, their participation events, and the campaign a conversation was opened through.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scales_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("units_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_campaign_org_id", "campaign", ["org_id"])
    op.create_table(
        "campaign_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_campaign_event_campaign_day", "campaign_event", ["campaign_id", "day"])
    with op.batch_alter_table("employee_session") as batch:
        batch.add_column(sa.Column("campaign_id", sa.String(length=32), nullable=True))
        batch.create_index("ix_employee_session_campaign_id", ["campaign_id"])
        batch.create_foreign_key("fk_employee_session_campaign_id_campaign", "campaign", ["campaign_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("employee_session") as batch:
        batch.drop_constraint("fk_employee_session_campaign_id_campaign", type_="foreignkey")
        batch.drop_index("ix_employee_session_campaign_id")
        batch.drop_column("campaign_id")
    op.drop_index("ix_campaign_event_campaign_day", table_name="campaign_event")
    op.drop_table("campaign_event")
    op.drop_index("ix_campaign_org_id", table_name="campaign")
    op.drop_table("campaign")
