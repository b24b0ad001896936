"""Throw-away databases for the benches: a fresh PostgreSQL database (dropped afterwards) or a SQLite file."""
from __future__ import annotations

import argparse
import contextlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def make_pg_db() -> str:
    name = f"xinan_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_db(url: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def db_options(ap: argparse.ArgumentParser) -> None:
    """--sqlite and --keep, for the benches that use throwaway_db()."""
    ap.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    ap.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")


@contextlib.contextmanager
def throwaway_db(prefix: str, args: argparse.Namespace) -> Iterator[tuple[Path, str]]:
    """A temporary folder and the URL of a fresh database for a bench: a SQLite file there (--sqlite), or a new
    PostgreSQL database dropped at the end unless --keep (then its URL is printed)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    url = f"sqlite:///{tmp / 'bench.db'}" if args.sqlite else make_pg_db()
    try:
        yield tmp, url
    finally:
        if args.keep:
            print(f"kept {url}")
        elif not args.sqlite:
            drop_pg_db(url)
