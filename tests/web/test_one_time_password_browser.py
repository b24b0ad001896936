"""A staff member given a one-time password chooses their own before the first sign-in, in the console (zh-CN) and
in the HR dashboard (en): refused repeats and weak choices are explained, the new password then signs them in."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.web.admin_pages import error_checked_page
from tests.web.browser import shot
from tests.web.console_pages import ConsoleApp

MINE = "a quiet walk along the river " + uuid.uuid4().hex[:4]


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    yield from error_checked_page(browser)


def _one_time(app: ConsoleApp, body: dict[str, str]) -> tuple[str, str]:
    username = f"ot-{uuid.uuid4().hex[:6]}"
    r = httpx.post(f"{app.url}/api/v1/staff", json={"username": username, **body}, headers=app.admin_auth)
    assert r.status_code == 201 and r.json()["user"]["must_change_password"], r.text
    return username, r.json()["password"]


ZH = ("新密码", "再输入一次", "保存并登录")
EN = ("New password", "Type it again", "Save and sign in")


def _choose(form: object, labels: tuple[str, str, str], new: str, again: str | None = None) -> None:
    """Types the new password and its repeat into the password form and submits it."""
    form.get_by_label(labels[0]).fill(new)  # type: ignore[attr-defined]
    form.get_by_label(labels[1]).fill(new if again is None else again)  # type: ignore[attr-defined]
    form.get_by_role("button", name=labels[2]).click()  # type: ignore[attr-defined]


def _login_status(app: ConsoleApp, username: str, password: str) -> int:
    return httpx.post(f"{app.url}/api/v1/auth/token", data={"username": username, "password": password}).status_code


def test_the_console_asks_for_a_new_password_then_signs_in(page: object, admin_console_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    app = admin_console_app
    username, once = _one_time(app, {"role": "counsellor", "centre": "city"})
    page.goto(f"{app.url}/console?lang=zh-CN")  # type: ignore[attr-defined]
    page.get_by_label("用户名").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("密码", exact=True).fill(once)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    form = page.locator("#password-form")  # type: ignore[attr-defined]
    expect(form).to_be_visible()
    expect(form.get_by_role("heading", name="设置你自己的密码")).to_be_visible()
    expect(form.get_by_label("新密码")).to_be_focused()
    expect(page.locator("#login-form")).to_be_hidden()  # type: ignore[attr-defined]
    shot(page, "one-time-password-console-zh-CN")
    _choose(form, ZH, MINE, MINE + "x")
    expect(page.locator("#password-error")).to_have_text("两次输入的密码不一致")  # type: ignore[attr-defined]
    _choose(form, ZH, once)
    expect(page.locator("#password-error")).to_contain_text("太容易猜到")  # type: ignore[attr-defined]
    shot(page, "one-time-password-refused-zh-CN")
    _choose(form, ZH, MINE)
    expect(page.locator("#live.on")).to_be_visible(timeout=15000)  # type: ignore[attr-defined]  # signed in
    assert _login_status(app, username, once) == 401 and _login_status(app, username, MINE) == 200
    page.locator("#logout").click()  # type: ignore[attr-defined]
    expect(page.locator("#login-form")).to_be_visible()  # type: ignore[attr-defined]
    expect(form).to_be_hidden()


def test_the_hr_dashboard_asks_for_a_new_password_then_signs_in(page: object,
                                                                admin_console_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    app = admin_console_app
    org = f"org-{uuid.uuid4().hex[:6]}"
    made = httpx.post(f"{app.url}/api/v1/orgs", json={"id": org, "name": "One-time Co", "centre": "city"},
                      headers=app.admin_auth)
    assert made.status_code == 201, made.text
    username, once = _one_time(app, {"role": "hr", "org": org})
    page.goto(f"{app.url}/hr?lang=en")  # type: ignore[attr-defined]
    page.fill("#login-form input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("#login-form input[name=password]", once)  # type: ignore[attr-defined]
    page.click("#login-form button[type=submit]")  # type: ignore[attr-defined]
    form = page.locator("#password-form")  # type: ignore[attr-defined]
    expect(form.get_by_role("heading", name="Choose your own password")).to_be_visible()
    expect(page.locator("#login-form")).to_be_hidden()  # type: ignore[attr-defined]
    _choose(form, EN, "password12")
    expect(page.locator("#password-error")).to_contain_text("too easy to guess")  # type: ignore[attr-defined]
    shot(page, "one-time-password-hr-en")
    _choose(form, EN, MINE)
    expect(page.locator("#report-view")).to_be_visible(timeout=15000)  # type: ignore[attr-defined]
    assert _login_status(app, username, MINE) == 200
