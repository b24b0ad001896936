"""Partial index for a centre's working queue: the active escalations of a few orgs, in the queue's order. A station
counsellor's list (7 orgs of 1,000, 100,000 escalations) reads 37 rows through it instead of walking all 6,000
active ones: 20–40 ms → under 1 ms of SQL on PostgreSQL (bench/queue_bench.py).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None
WHERE = "status IN ('open', 'claimed') OR (status = 'withdrawn' AND resolved_at IS NULL)"


def upgrade() -> None:
    op.create_index("ix_escalation_org_active_queue", "escalation", ["org", "priority_rank", "created_at", "id"],
                    postgresql_where=sa.text(WHERE), sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index("ix_escalation_org_active_queue", table_name="escalation")
