"""Network set-up for tests: the root centre for counsellors made through the CLI, and registered widget links."""
from __future__ import annotations

import subprocess
import sys

from app import db as app_db
from app.config import ROOT, Settings
from app.reports import orgs
from app.reports.models import Org, Unit


def root_centre_args(env: dict[str, str]) -> list[str]:
    """Make the root centre "city" with the CLI (exit 1 when it exists already) and return the `users create`
    arguments that put an account in it."""
    subprocess.run([sys.executable, "-m", "app", "centres", "create", "--id", "city", "--name", "City"], cwd=ROOT,
                   env=env, capture_output=True, text=True, timeout=120)
    return ["--centre", "city"]


def register_links(settings: Settings | None, org: str, *units: str) -> None:
    """Register `org` and its `units` (idempotent) so widget links for them open conversations; `settings` None is
    the in-process app's store, otherwise the store of an app running as its own process (migrated already)."""
    engine = app_db.get_engine() if settings is None else app_db.make_engine(settings.sqlalchemy_url)
    with app_db.session_scope(engine) as db:
        if db.get(Org, org) is None:
            orgs.create_org(db, org, org.title())
        for unit in units:
            if db.get(Unit, unit) is None:
                orgs.create_unit(db, org, unit, unit, None, None)
    if settings is not None:
        engine.dispose()


WORLD_LINK = ("acme", "plant-1")  # the org and unit most tests open conversations on (registered, served by no centre)
LIVE_UNITS = ("plant-1", "echo", "targets", "targets-zoom", "lang", "legacy", "menu")  # fixed units of live tests
