"""Report rollups: counts and score sums of completed assessments per (scale, org, unit, campaign, month or day,
band), kept exact by triggers on `assessment`; the campaign an assessment was made in; wider noise leaf keys.

The triggers run in the transaction that inserts, changes or deletes an assessment, whatever code path or tool does
it (the app's services, erasure, the retention purge, a demo or an operator's SQL), so the rollup never counts an
erased assessment. Empty strings stand for null in the key (a primary key cannot hold null). A later migration that
rebuilds `assessment` on SQLite (batch mode copies the table) drops these triggers and must create them again.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

KEY = "scale_id, grain, day, org, unit, campaign_id, band"
TRACKED = "status, scale_id, completed_on, org, unit, campaign_id, band, score"

PG_FUNCTIONS = f"""
CREATE FUNCTION report_rollup_bump(p_scale varchar, p_day date, p_org varchar, p_unit varchar, p_campaign varchar,
                                   p_band varchar, p_n integer, p_sum bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_rollup ({KEY}, n, score_sum)
  VALUES (p_scale, 'm', date_trunc('month', p_day)::date, coalesce(p_org, ''), coalesce(p_unit, ''),
          coalesce(p_campaign, ''), coalesce(p_band, ''), p_n, p_sum),
         (p_scale, 'd', p_day, coalesce(p_org, ''), coalesce(p_unit, ''), coalesce(p_campaign, ''),
          coalesce(p_band, ''), p_n, p_sum)
  ON CONFLICT ({KEY}) DO UPDATE
    SET n = report_rollup.n + EXCLUDED.n, score_sum = report_rollup.score_sum + EXCLUDED.score_sum
$$;
CREATE FUNCTION report_rollup_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'completed' AND OLD.completed_on IS NOT NULL THEN
    PERFORM report_rollup_bump(OLD.scale_id, OLD.completed_on, OLD.org, OLD.unit, OLD.campaign_id, OLD.band, -1,
                               -coalesce(OLD.score, 0));
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'completed' AND NEW.completed_on IS NOT NULL THEN
    PERFORM report_rollup_bump(NEW.scale_id, NEW.completed_on, NEW.org, NEW.unit, NEW.campaign_id, NEW.band, 1,
                               coalesce(NEW.score, 0));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER report_rollup_track AFTER INSERT OR DELETE OR UPDATE OF {TRACKED} ON assessment
  FOR EACH ROW EXECUTE FUNCTION report_rollup_track();
"""


def _sqlite_bump(row: str, sign: str) -> str:
    """Two upserts (the month row and the day row) of `row` (NEW or OLD) with `sign` (+ or -)."""
    out = []
    for grain, day in (("m", f"strftime('%Y-%m-01', {row}.completed_on)"), ("d", f"{row}.completed_on")):
        out.append(f"""
  INSERT INTO report_rollup ({KEY}, n, score_sum)
  VALUES ({row}.scale_id, '{grain}', {day}, coalesce({row}.org, ''), coalesce({row}.unit, ''),
          coalesce({row}.campaign_id, ''), coalesce({row}.band, ''), {sign}1, {sign}coalesce({row}.score, 0))
  ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n, score_sum = score_sum + excluded.score_sum;""")
    return "".join(out)


def _sqlite_triggers() -> list[str]:
    done = "{row}.status = 'completed' AND {row}.completed_on IS NOT NULL"
    return [
        f"CREATE TRIGGER report_rollup_insert AFTER INSERT ON assessment WHEN {done.format(row='NEW')} "
        f"BEGIN {_sqlite_bump('NEW', '+')} END",
        f"CREATE TRIGGER report_rollup_delete AFTER DELETE ON assessment WHEN {done.format(row='OLD')} "
        f"BEGIN {_sqlite_bump('OLD', '-')} END",
        f"CREATE TRIGGER report_rollup_update_old AFTER UPDATE OF {TRACKED} ON assessment "
        f"WHEN {done.format(row='OLD')} BEGIN {_sqlite_bump('OLD', '-')} END",
        f"CREATE TRIGGER report_rollup_update_new AFTER UPDATE OF {TRACKED} ON assessment "
        f"WHEN {done.format(row='NEW')} BEGIN {_sqlite_bump('NEW', '+')} END",
    ]


def _backfill(postgres: bool) -> str:
    month = "date_trunc('month', completed_on)::date" if postgres else "strftime('%Y-%m-01', completed_on)"
    parts = []
    for grain, day in (("m", month), ("d", "completed_on")):
        parts.append(f"""
  SELECT scale_id, '{grain}', {day}, coalesce(org, ''), coalesce(unit, ''), coalesce(campaign_id, ''),
         coalesce(band, ''), count(*), coalesce(sum(score), 0)
  FROM assessment WHERE status = 'completed' AND completed_on IS NOT NULL
  GROUP BY scale_id, {day}, coalesce(org, ''), coalesce(unit, ''), coalesce(campaign_id, ''), coalesce(band, '')""")
    return f"INSERT INTO report_rollup ({KEY}, n, score_sum) " + " UNION ALL ".join(parts)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("campaign_id", sa.String(length=32), nullable=True))
    # the campaign of assessments whose conversation is still there; erased and purged ones keep none
    op.execute("UPDATE assessment SET campaign_id = (SELECT s.campaign_id FROM employee_session s "
               "WHERE s.id = assessment.session_id) WHERE session_id IS NOT NULL")
    with op.batch_alter_table("report_noise") as batch:
        batch.alter_column("leaf", existing_type=sa.String(length=130), type_=sa.String(length=200),
                           existing_nullable=False)
    op.create_table(
        "report_rollup",
        sa.Column("scale_id", sa.String(length=32), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("org", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.Column("band", sa.String(length=32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scale_id", "grain", "day", "org", "unit", "campaign_id", "band"),
    )
    op.execute(_backfill(postgres))
    if postgres:
        op.execute(PG_FUNCTIONS)
    else:
        for ddl in _sqlite_triggers():
            op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER report_rollup_track ON assessment")
        op.execute("DROP FUNCTION report_rollup_track()")
        op.execute("DROP FUNCTION report_rollup_bump(varchar, date, varchar, varchar, varchar, varchar, integer, "
                   "bigint)")
    else:
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER report_rollup_{name}")
    op.drop_table("report_rollup")
    with op.batch_alter_table("report_noise") as batch:
        batch.alter_column("leaf", existing_type=sa.String(length=200), type_=sa.String(length=130),
                           existing_nullable=False)
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("campaign_id")
