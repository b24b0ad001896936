"""The triggers that keep report_rollup equal to a recount of completed assessments, for schemas built from the
models (SQLModel.metadata.create_all, as some tests do); migration 0030 creates the same triggers in migrated
databases. They fire in the transaction that changes `assessment`, whichever code or tool changes it."""
from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

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


def statements(dialect: str) -> list[str]:
    """The DDL that creates the triggers (and PostgreSQL's functions) on `dialect`."""
    return [PG_FUNCTIONS] if dialect == "postgresql" else _sqlite_triggers()


def install_triggers(target: MetaData, connection: Connection, **_: object) -> None:
    """After create_all: the triggers, once both tables exist."""
    if {"assessment", "report_rollup"} <= set(target.tables):
        for ddl in statements(connection.dialect.name):
            connection.exec_driver_sql(ddl)
