"""Tiered referral: claim windows and service hours on each centre, the centre holding each escalation now, and
the referral record (window passed, out of hours, transfer, re-alert at the root).

Existing centres get the defaults (urgent 10 min, high 4 h, routine 3 working days, open around the clock).
Existing escalations are held by their org's centre; unserved ones by the oldest root centre (null when there is
no centre at all).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

OPEN_WHERE = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("centre") as batch:
        batch.add_column(sa.Column("claim_urgent_minutes", sa.Integer(), nullable=False, server_default="10"))
        batch.add_column(sa.Column("claim_high_minutes", sa.Integer(), nullable=False, server_default="240"))
        batch.add_column(sa.Column("claim_routine_days", sa.Integer(), nullable=False, server_default="3"))
        batch.add_column(sa.Column("always_open", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=False,
                                   server_default="Asia/Shanghai"))
        batch.add_column(sa.Column("open_days", sa.String(length=32), nullable=False,
                                   server_default="mon,tue,wed,thu,fri"))
        batch.add_column(sa.Column("opens_at", sa.String(length=5), nullable=False, server_default="09:00"))
        batch.add_column(sa.Column("closes_at", sa.String(length=5), nullable=False, server_default="17:30"))
    with op.batch_alter_table("centre") as batch:  # the model has no server defaults: keep them out of the schema
        for name in ("claim_urgent_minutes", "claim_high_minutes", "claim_routine_days", "always_open", "timezone",
                     "open_days", "opens_at", "closes_at"):
            batch.alter_column(name, server_default=None)
    if op.get_bind().dialect.name == "sqlite":
        # a plain ADD COLUMN with its reference: a batch copy of the table would lose its partial indexes
        op.execute("ALTER TABLE escalation ADD COLUMN holding_centre_id VARCHAR(64) REFERENCES centre (id)")
    else:
        op.add_column("escalation", sa.Column("holding_centre_id", sa.String(length=64), nullable=True))
        op.create_foreign_key("fk_escalation_holding_centre_id_centre", "escalation", "centre",
                              ["holding_centre_id"], ["id"])
    op.create_index("ix_escalation_holding_centre_id", "escalation", ["holding_centre_id"])
    op.create_index("ix_escalation_referral_due", "escalation", ["holding_centre_id", "priority", "due_at"],
                    postgresql_where=OPEN_WHERE, sqlite_where=OPEN_WHERE)
    op.execute("UPDATE escalation SET holding_centre_id = COALESCE("
               "(SELECT org.centre_id FROM org WHERE org.id = escalation.org), "
               "(SELECT centre.id FROM centre WHERE centre.parent_id IS NULL "
               "ORDER BY centre.created_at, centre.id LIMIT 1))")
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.String(length=32), nullable=False),
        sa.Column("from_centre_id", sa.String(length=64), nullable=True),
        sa.Column("to_centre_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note_enc", sa.String(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_centre_id"], ["centre.id"]),
        sa.ForeignKeyConstraint(["to_centre_id"], ["centre.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_referral_escalation_id", "referral", ["escalation_id"])


def downgrade() -> None:
    op.drop_index("ix_referral_escalation_id", table_name="referral")
    op.drop_table("referral")
    op.drop_index("ix_escalation_referral_due", table_name="escalation")
    op.drop_index("ix_escalation_holding_centre_id", table_name="escalation")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("escalation") as batch:  # SQLite drops a referencing column only by a copy
            batch.drop_column("holding_centre_id")
    else:
        op.drop_constraint("fk_escalation_holding_centre_id_centre", "escalation", type_="foreignkey")
        op.drop_column("escalation", "holding_centre_id")
    with op.batch_alter_table("centre") as batch:
        for name in ("closes_at", "opens_at", "open_days", "timezone", "always_open", "claim_routine_days",
                     "claim_high_minutes", "claim_urgent_minutes"):
            batch.drop_column(name)
