"""One limit across replicas: with Redis configured, two app processes on one PostgreSQL count rate
limits and failed logins together (the `limits` library's Redis storage). Before, each replica counted alone: every
limit doubled, and a login throttle reset by asking the other replica. No Rasa is needed for these routes."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from app.config import ROOT, Settings
from scripts.devstack import Stack
from tests.conftest import OUTPUT, PG, free_port, fresh_pg_database
from tests.network.helpers import root_centre_args
from tests.scaleout.test_two_replicas import REDIS_URL, _redis_up

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG, reason="PostgreSQL does not answer on 127.0.0.1:5432"),
    pytest.mark.skipif(not _redis_up(), reason="Redis does not answer on 127.0.0.1:6379"),
]
NEW_SESSIONS, LOGINS = 4, 3
PASSWORD = "shared limit watcher 42"


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Stack]]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    with fresh_pg_database("xinan_limits") as (url, _):
        settings = Settings(data_dir=Path(tmp_path_factory.mktemp("limits")) / "var",  # type: ignore[call-arg]
                            rasa_models_dir=ROOT / "var" / "models", redis_url=REDIS_URL, database_url=url)
        env = {"XINAN_SESSIONS_PER_CLIENT_PER_MINUTE": str(NEW_SESSIONS),
               "XINAN_LOGIN_ATTEMPTS_PER_MINUTE": str(LOGINS)}
        a, b = (Stack(settings, app_port=free_port(), rasa_port=free_port(), extra_env=env,
                      log_dir=OUTPUT / "logs" / f"limits-{n}") for n in "ab")
        try:
            a.start_app()
            a.wait_ready(120, path="/healthz")  # the first replica migrates the shared database
            b.start_app()
            b.wait_ready(120, path="/healthz")
            env = {**os.environ, "XINAN_DATA_DIR": str(settings.resolved_data_dir), "XINAN_DATABASE_URL": url}
            created = subprocess.run(
                [sys.executable, "-m", "app", "users", "create", "--username", "shared", "--role", "counsellor",
                 *root_centre_args(env)], cwd=ROOT, input=PASSWORD + "\n", text=True, capture_output=True,
                timeout=120, env=env)
            assert created.returncode == 0, created.stdout + created.stderr
            yield a, b
        finally:
            a.stop()
            b.stop()


def test_new_sessions_count_once_across_replicas(two_apps: tuple[Stack, Stack]) -> None:
    urls = [s.app_url for s in two_apps]
    codes = [httpx.post(f"{urls[i % 2]}/api/v1/sessions", json={}, timeout=30).status_code
             for i in range(NEW_SESSIONS + 2)]
    assert codes == [201] * NEW_SESSIONS + [429, 429]


def test_a_login_throttle_is_not_reset_by_the_other_replica(two_apps: tuple[Stack, Stack]) -> None:
    a, b = (s.app_url for s in two_apps)

    def login(url: str, password: str) -> int:
        return httpx.post(f"{url}/api/v1/auth/token", data={"username": "shared", "password": password},
                          timeout=30).status_code

    assert [login(a if i % 2 else b, "wrong-password") for i in range(LOGINS)] == [401] * LOGINS
    assert login(a, "wrong-password") == 429 and login(b, "wrong-password") == 429
    assert login(b, PASSWORD) == 429  # this client waits on every replica
