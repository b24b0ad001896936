"""The crisis decision: message kinds (crisis, safety_question), a pending safety question per session, and the
words that triggered an escalation (encrypted, shown to the counsellor).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# Reasons stored before this revision named an internal lexicon key ("crisis screen: zh.want_to_die"); counsellors
# read words now (app/safety/decision.yaml), so old rows get the same words.
OLD_REASONS = {
    "wish_to_die": ("no_will_to_live", "life_not_worth_living", "want_to_die", "wish_to_be_dead", "no_reason_to_live"),
    "suicidal_intent": ("suicidal_thoughts", "kill_myself"),
    "method": ("method",), "self_harm": ("self_harm",), "plan_farewell": ("plan_goodbye",),
    "burden": ("better_off_without_me",), "distress": ("passive_distress",), "mention": ("mention",),
}
WORDS = {"wish_to_die": "expressed a wish to die", "suicidal_intent": "spoke of suicide or ending their life",
         "method": "mentioned a method or means", "self_harm": "spoke of hurting themselves",
         "plan_farewell": "mentioned a plan, preparation or a farewell",
         "burden": "felt a burden or that others would be better off without them",
         "distress": "expressed severe distress or feeling trapped", "mention": "mentioned suicide or self-harm"}


def _reword() -> None:
    esc = sa.table("escalation", sa.column("reason", sa.String))
    for key, ids in OLD_REASONS.items():
        old = [f"crisis screen: {lang}.{i}" for i in ids for lang in ("zh", "en")]
        op.execute(esc.update().where(esc.c.reason.in_(old)).values(reason=WORDS[key]))
    op.execute(esc.update().where(esc.c.reason == "crisis language recognised by the dialogue engine")
               .values(reason="the dialogue engine recognised crisis language"))


def upgrade() -> None:
    with op.batch_alter_table("message") as t:
        t.add_column(sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                               server_default="text"))
    with op.batch_alter_table("employee_session") as t:
        t.add_column(sa.Column("safety_state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    with op.batch_alter_table("escalation") as t:
        t.add_column(sa.Column("trigger_enc", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    _reword()


def downgrade() -> None:
    with op.batch_alter_table("escalation") as t:
        t.drop_column("trigger_enc")
    with op.batch_alter_table("employee_session") as t:
        t.drop_column("safety_state")
    with op.batch_alter_table("message") as t:
        t.drop_column("kind")
