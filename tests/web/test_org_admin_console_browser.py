"""An org admin's console in Chromium (zh-CN, en): it opens straight on its own org's units and staff, with no queue,
live feed, centres or orgs, and can add only HR and org admins of that org; another org's units and staff stay unseen.
Screenshots in test-output/screenshots/org-admin-*.png."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from app.config import Settings
from tests.network.helpers import register_links
from tests.web.admin_pages import PASSWORD, error_checked_page
from tests.web.browser import shot
from tests.web.console_pages import ConsoleApp, create_user

pytestmark = pytest.mark.browser
VIEW = {"width": 1280, "height": 800}
TEXT = {
    "zh-CN": {"username": "用户名", "password": "密码", "sign_in": "登录", "tabs": ["部门", "工作人员"],
              "title": "心安 · 企业管理", "console": "心安 · 工作台", "account": "账号名", "role": "角色",
              "scope": "范围", "add": "添加账号", "roles": ["人力资源", "企业管理员"], "hr": "人力资源",
              "org": "企业："},
    "en": {"username": "Username", "password": "Password", "sign_in": "Sign in", "tabs": ["Units", "Staff"],
           "title": "Xin'an · Org admin", "console": "Xin'an · Staff console", "account": "Account name",
           "role": "Role", "scope": "Scope", "add": "Add account", "roles": ["HR", "Org admin"], "hr": "HR",
           "org": "Org: "},
}


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    yield from error_checked_page(browser, viewport=VIEW)


def _sign_in(page: object, app: ConsoleApp, username: str, lang: str) -> None:
    """The console's sign-in form; an org admin lands in the admin area itself (no 管理 / Admin button to press)."""
    from playwright.sync_api import expect

    words = TEXT[lang]
    page.goto(f"{app.url}/console?lang={lang}")  # type: ignore[attr-defined]
    page.get_by_label(words["username"]).fill(username)  # type: ignore[attr-defined]
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name=words["sign_in"]).click()  # type: ignore[attr-defined]
    expect(page.locator("#admin-view")).to_be_visible(timeout=15000)  # type: ignore[attr-defined]
    expect(page.locator("#staff-table tbody tr").first).to_be_attached()  # type: ignore[attr-defined]  # loaded


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_org_admin_sees_its_own_org_units_and_staff_only(page: object, admin_console_app: ConsoleApp,
                                                            lang: str) -> None:
    from playwright.sync_api import expect

    app, tag, words = admin_console_app, uuid.uuid4().hex[:4], TEXT[lang]
    org_a, org_b = f"oa-{tag}", f"ob-{tag}"
    settings = Settings(data_dir=app.data_dir)  # type: ignore[call-arg]
    register_links(settings, org_a, f"a-line-{tag}", f"a-store-{tag}")
    register_links(settings, org_b, f"b-line-{tag}")
    boss, other_hr, new_hr = f"boss-{tag}", f"bhr-{tag}", f"ahr-{tag}"
    create_user(app.data_dir, boss, "org_admin", PASSWORD, "--org", org_a)
    create_user(app.data_dir, other_hr, "hr", PASSWORD, "--org", org_b)
    _sign_in(page, app, boss, lang)

    # No queue, no live feed, no view switch: only the units and staff tabs
    for hidden in ("#console-view", "#live", "#nav", "#tab-centres", "#tab-orgs", "#panel-centres", "#panel-orgs"):
        expect(page.locator(hidden)).to_be_hidden()  # type: ignore[attr-defined]
    tabs = page.get_by_role("tab")  # type: ignore[attr-defined]
    expect(tabs).to_have_text(words["tabs"])
    expect(page.locator("#tab-units")).to_have_attribute("aria-selected", "true")  # type: ignore[attr-defined]
    expect(page.locator("#whoami")).to_have_text(boss)  # type: ignore[attr-defined]
    expect(page.locator("header h1")).to_have_text(words["title"])  # type: ignore[attr-defined]  # not "counsellor"

    # Units: org A is the only org to pick, and its units the only rows
    orgs = page.locator("#unit-org option")  # type: ignore[attr-defined]
    expect(orgs).to_have_count(1)
    assert orgs.get_attribute("value") == org_a
    rows = page.locator("#unit-table tbody tr")  # type: ignore[attr-defined]
    expect(rows).to_have_count(2)
    assert sorted(r.get_attribute("data-id") for r in rows.all()) == [f"a-line-{tag}", f"a-store-{tag}"]
    assert f"b-line-{tag}" not in page.locator("#panel-units").inner_text()  # type: ignore[attr-defined]
    shot(page, f"org-admin-units-{lang}")

    # Staff: the role choice is HR or org admin, the scope org A only; the new HR account belongs to org A
    page.locator("#tab-staff").click()  # type: ignore[attr-defined]
    form = page.locator("#staff-form")  # type: ignore[attr-defined]
    role = form.get_by_label(words["role"])
    offered = role.locator("option:not([disabled])")
    expect(offered).to_have_text(words["roles"])
    assert [o.get_attribute("value") for o in offered.all()] == ["hr", "org_admin"]
    expect(role).to_have_value("hr")
    scope = form.get_by_label(words["scope"])
    expect(scope.locator("option")).to_have_count(1)
    expect(scope).to_have_value(f"o:{org_a}")
    staff = page.locator("#staff-table tbody")  # type: ignore[attr-defined]
    expect(staff.locator(f"tr[data-username='{boss}']")).to_be_visible()
    expect(staff.locator(f"tr[data-username='{other_hr}']")).to_have_count(0)  # org B's HR stays unseen
    form.get_by_label(words["account"]).fill(new_hr)
    role.select_option("hr")
    form.get_by_role("button", name=words["add"]).click()
    expect(page.locator("#secret")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("#secret-value")).not_to_have_text("")  # type: ignore[attr-defined]
    shot(page, f"org-admin-staff-created-{lang}")
    page.locator("#secret-done").click()  # type: ignore[attr-defined]
    row = staff.locator(f"tr[data-username='{new_hr}']")
    expect(row).to_contain_text(words["hr"])
    expect(row).to_contain_text(f"{words['org']}{org_a.title()}")
    expect(staff.locator(f"tr[data-username='{other_hr}']")).to_have_count(0)
    assert org_b not in staff.inner_text() and org_b.title() not in staff.inner_text()
    expect(role).to_have_value("hr")  # the form's reset falls back to an offered role
    expect(page.locator("#toast.error")).to_be_hidden()  # type: ignore[attr-defined]  # nothing refused on the way
    shot(page, f"org-admin-staff-{lang}")

    page.locator("#lang").click()  # type: ignore[attr-defined]  # the header's title follows the language
    other = TEXT["en" if lang == "zh-CN" else "zh-CN"]
    expect(page.locator("header h1")).to_have_text(other["title"])  # type: ignore[attr-defined]
    expect(page).to_have_title(other["title"])  # type: ignore[attr-defined]  # the tab's title too
    page.locator("#logout").click()  # type: ignore[attr-defined]
    expect(page.locator("#login-form")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("header h1")).to_have_text(other["console"])  # type: ignore[attr-defined]

    made = httpx.get(f"{app.url}/api/v1/staff", headers=app.admin_auth).json()["staff"]
    assert [(u["role"], u["org"]) for u in made if u["username"] == new_hr] == [("hr", org_a)]
