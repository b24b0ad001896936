"""PHQ-9 item 9's risk reason in the words the other rules use ("PHQ-9 item 9 ≥ 1 (…)"): escalations store the
English reason and the console finds its Chinese by it (app/escalations/reasons.py), so stored rows are reworded.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

OLD = "phq9 item 9 ≥ 1"
NEW = "PHQ-9 item 9 ≥ 1 (thoughts of being better off dead or of hurting themselves)"


def _reword(old: str, new: str) -> None:
    esc = sa.table("escalation", sa.column("reason", sa.String))
    op.execute(esc.update().where(esc.c.reason == old).values(reason=new))


def upgrade() -> None:
    _reword(OLD, NEW)


def downgrade() -> None:
    _reword(NEW, OLD)
