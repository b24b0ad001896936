"""Helpers of the admin area's browser tests: a platform admin made through the CLI, and signing in as them."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

from app.config import ROOT, Settings
from scripts.devstack import Stack
from tests.conftest import free_port
from tests.web.console_pages import ConsoleApp, create_user, token

PASSWORD = "admin screens " + uuid.uuid4().hex[:8]


def admin_app(tmp: Path) -> Iterator[ConsoleApp]:
    """An app without Rasa and without cases (the admin area needs none): a platform admin (its token in
    `admin_auth`) and a counsellor of the root centre "city"; no org or unit yet (`org`, `unit` are empty)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(data_dir=tmp / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    stack = Stack(settings, app_port=port, rasa_port=free_port(), log_dir=ROOT / "test-output" / "logs")
    stack.start_app()
    try:
        stack.wait_ready(timeout=90, path="/healthz")
        counsellor, admin = f"c-{uuid.uuid4().hex[:6]}", f"a-{uuid.uuid4().hex[:6]}"
        create_user(settings.resolved_data_dir, counsellor, "counsellor", PASSWORD)
        create_user(settings.resolved_data_dir, admin, "admin", PASSWORD)
        yield ConsoleApp(url, settings.resolved_data_dir, counsellor, PASSWORD, token(url, admin, PASSWORD), "", "")
    finally:
        stack.stop()


def new_admin(app: ConsoleApp, *scope: str) -> str:
    """A fresh admin account: the platform admin without `scope`, a centre admin with ("--centre", ID)."""
    name = f"adm-{uuid.uuid4().hex[:6]}"
    create_user(app.data_dir, name, "admin", PASSWORD, *scope)
    return name


def sign_in_admin(page: object, app: ConsoleApp, username: str, lang: str) -> None:
    """Sign in and open the admin area (the header's "管理 / Admin" button, shown to admins only)."""
    from playwright.sync_api import expect

    zh = lang == "zh-CN"
    page.goto(f"{app.url}/console?lang={lang}")  # type: ignore[attr-defined]
    page.get_by_label("用户名" if zh else "Username").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("密码" if zh else "Password", exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录" if zh else "Sign in").click()  # type: ignore[attr-defined]
    expect(page.locator("#live.on")).to_be_visible(timeout=15000)  # type: ignore[attr-defined]
    if page.locator("#alert").is_visible():  # type: ignore[attr-defined]
        page.locator("#alert").evaluate("a => a.hidden = true")  # type: ignore[attr-defined]
    page.locator("#nav-admin").click()  # type: ignore[attr-defined]
    expect(page.locator("#admin-view")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("#staff-table tbody tr").first).to_be_attached()  # type: ignore[attr-defined]  # loaded


def error_checked_page(browser: object, **context: object) -> Iterator[object]:
    """A page in a fresh 1280×800 zh-CN context (`context` adds or overrides options) that fails the test if a
    script on it threw; for the admin tests' `page` fixtures."""
    ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN",  # type: ignore[attr-defined]
                                 **context})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    ctx.close()
    assert not errors, errors
