"""Helpers of the console's layout tests: their own app (no Rasa) with a long-named org and unit, staff made
through the CLI, and crisis messages that open urgent cases the way employees do."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.config import ROOT, Settings
from scripts.devstack import Stack
from tests.conftest import free_port
from tests.network.helpers import register_links

ORG_NAME = "华东区域智能制造集团有限公司第三事业部（含外包与派遣人员）· East China Smart Manufacturing Group"
UNIT_NAME = "苏州工业园区二号厂区总装车间夜班第四班组 · Suzhou Plant 2 Final Assembly Night Shift Team 4"
CASES = 12  # rows below the fold at 800 px high, and enough to claim one per layout and axe test


@dataclass
class ConsoleApp:
    url: str
    data_dir: Path
    counsellor: str
    password: str
    admin_auth: dict[str, str]
    org: str
    unit: str


def create_user(data_dir: Path, username: str, role: str, password: str, *scope: str) -> None:
    """`scope`: e.g. "--org", ORG; a counsellor without one belongs to the root centre "city" (made here), which
    sees the cases of orgs no centre serves, as all of these tests' are."""
    env = {**os.environ, "XINAN_DATA_DIR": str(data_dir)}
    if role == "counsellor" and not scope:
        subprocess.run([sys.executable, "-m", "app", "centres", "create", "--id", "city", "--name", "City"], cwd=ROOT,
                       env=env, text=True, capture_output=True, timeout=120)  # exit 1 when it exists: fine
        scope = ("--centre", "city")
    subprocess.run([sys.executable, "-m", "app", "users", "create", "--username", username, "--role", role, *scope],
                   cwd=ROOT, env=env, input=password + "\n", text=True, check=True, capture_output=True, timeout=120)


def token(url: str, username: str, password: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def crisis(url: str, org: str | None, unit: str | None, text: str = "我不想活了") -> None:
    """A fresh employee session that says a crisis phrase: the app's crisis decision opens an urgent case."""
    with httpx.Client(base_url=url, timeout=30) as http:
        r = http.post("/api/v1/sessions", json={"org": org, "unit": unit, "locale": "zh-CN"})
        assert r.status_code == 201, r.text
        sid, auth = r.json()["session_id"], {"Authorization": f"Bearer {r.json()['token']}"}
        http.post(f"/api/v1/sessions/{sid}/messages", json={"payload": "/agree"}, headers=auth)  # no Rasa here
        said = http.post(f"/api/v1/sessions/{sid}/messages", json={"text": text}, headers=auth)
        assert said.status_code == 200, said.text


def console_app(tmp: Path) -> Iterator[ConsoleApp]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(data_dir=tmp / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    stack = Stack(settings, app_port=port, rasa_port=free_port(), log_dir=ROOT / "test-output" / "logs",
                  extra_env={"XINAN_SESSIONS_PER_CLIENT_PER_MINUTE": "500"})
    stack.start_app()
    try:
        stack.wait_ready(timeout=60, path="/healthz")
        password = "console layout " + uuid.uuid4().hex[:8]
        counsellor, admin = f"c-{uuid.uuid4().hex[:6]}", f"a-{uuid.uuid4().hex[:6]}"
        create_user(settings.resolved_data_dir, counsellor, "counsellor", password)
        create_user(settings.resolved_data_dir, admin, "admin", password)
        admin_auth = token(url, admin, password)
        org, unit = "east-smart-mfg", "sz-plant2-assembly-night-4"
        r = httpx.post(f"{url}/api/v1/orgs", json={"id": org, "name": ORG_NAME}, headers=admin_auth)
        assert r.status_code == 201, r.text
        r = httpx.post(f"{url}/api/v1/orgs/{org}/units", json={"id": unit, "name": UNIT_NAME}, headers=admin_auth)
        assert r.status_code == 201, r.text
        register_links(settings, "acme", "axe", *(f"unit-{i}" for i in range(CASES)))  # "axe": test_axe_browser
        for i in range(CASES):
            crisis(url, *((org, unit) if i % 3 else ("acme", f"unit-{i}")))
        yield ConsoleApp(url, settings.resolved_data_dir, counsellor, password, admin_auth, org, unit)
    finally:
        stack.stop()


def sign_in(page: object, app: ConsoleApp, lang: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app.url}/console?lang={lang}")  # type: ignore[attr-defined]
    zh = lang == "zh-CN"
    page.get_by_label("用户名" if zh else "Username").fill(app.counsellor)  # type: ignore[attr-defined]
    page.get_by_label("密码" if zh else "Password", exact=True).fill(app.password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录" if zh else "Sign in").click()  # type: ignore[attr-defined]
    expect(page.locator("#live.on")).to_be_visible(timeout=15000)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    if page.locator("#alert").is_visible():  # type: ignore[attr-defined]
        page.locator("#alert").evaluate("a => a.hidden = true")  # type: ignore[attr-defined]
