"""The service network: centres in a tree, the centre serving each org, and a scope (centre or org) per staff user.

Existing orgs and staff keep null (no centre, no scope): an admin without scope is the platform admin; other staff
without scope see nothing until given one (README "The service network").

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centre",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["centre.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_centre_parent_id", "centre", ["parent_id"])
    with op.batch_alter_table("org") as batch:
        batch.add_column(sa.Column("centre_id", sa.String(length=64), nullable=True))
        batch.create_index("ix_org_centre_id", ["centre_id"])
        batch.create_foreign_key("fk_org_centre_id_centre", "centre", ["centre_id"], ["id"])
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("centre_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("org_id", sa.String(length=64), nullable=True))
        batch.create_index("ix_staff_user_centre_id", ["centre_id"])
        batch.create_index("ix_staff_user_org_id", ["org_id"])
        batch.create_foreign_key("fk_staff_user_centre_id_centre", "centre", ["centre_id"], ["id"])
        batch.create_foreign_key("fk_staff_user_org_id_org", "org", ["org_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_constraint("fk_staff_user_org_id_org", type_="foreignkey")
        batch.drop_constraint("fk_staff_user_centre_id_centre", type_="foreignkey")
        batch.drop_index("ix_staff_user_org_id")
        batch.drop_index("ix_staff_user_centre_id")
        batch.drop_column("org_id")
        batch.drop_column("centre_id")
    with op.batch_alter_table("org") as batch:
        batch.drop_constraint("fk_org_centre_id_centre", type_="foreignkey")
        batch.drop_index("ix_org_centre_id")
        batch.drop_column("centre_id")
    op.drop_index("ix_centre_parent_id", table_name="centre")
    op.drop_table("centre")
