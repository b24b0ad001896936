"""The console's admin area in Chromium at 1280×800 (issue 23): a platform admin adds a centre under a new top
centre, an org served by it, a unit with a headcount it then edits, and a counsellor whose one-time password works;
disables them (their login fails) and resets their password (the new one works), then moves them. Everything goes
by keyboard-reachable controls at least 44 px high; a counsellor sees no admin area; a centre admin sees its
subtree only. Screenshots in test-output/screenshots/admin-*.png."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.web.admin_pages import error_checked_page, new_admin, sign_in_admin
from tests.web.browser import shot
from tests.web.console_pages import ConsoleApp, sign_in

pytestmark = pytest.mark.browser
VIEW = {"width": 1280, "height": 800}


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    yield from error_checked_page(browser, viewport=VIEW)


def _login_status(app: ConsoleApp, username: str, password: str) -> int:
    """403: the right one-time password, which must be changed before it signs in; 401: a wrong one."""
    return httpx.post(f"{app.url}/api/v1/auth/token", data={"username": username, "password": password}).status_code


def _small_targets(page: object) -> list[str]:
    """Visible buttons, inputs and selects of the admin area lower than 44 px."""
    return page.locator("#admin-view").evaluate(  # type: ignore[attr-defined]
        "v => [...v.querySelectorAll('button, input, select')].filter(e => e.offsetParent !== null)"
        ".filter(e => e.getBoundingClientRect().height < 43.5).map(e => e.outerHTML.slice(0, 80))")


def test_admin_walks_centres_orgs_units_and_staff(page: object, admin_console_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    app, tag = admin_console_app, uuid.uuid4().hex[:4]
    top, centre, org, unit, user = f"top-{tag}", f"east-{tag}", f"acme-{tag}", f"plant-{tag}", f"wang-{tag}"
    sign_in_admin(page, app, new_admin(app), "zh-CN")
    expect(page.locator("header h1")).to_have_text("心安 · 平台管理")  # type: ignore[attr-defined]  # the role's view
    expect(page).to_have_title("心安 · 平台管理")  # type: ignore[attr-defined]

    # Centres: a top centre, then a child under it (the parent is chosen by keyboard-reachable select)
    form = page.locator("#centre-form")  # type: ignore[attr-defined]
    form.get_by_label("上级中心").select_option("")
    form.get_by_label("编号").fill(top)
    form.get_by_label("名称").fill(f"市心理服务中心 {tag}")
    form.get_by_role("button", name="添加中心").click()
    expect(page.locator("#toast")).to_contain_text(f"市心理服务中心 {tag}")  # type: ignore[attr-defined]
    form.get_by_label("上级中心").select_option(top)
    form.get_by_label("编号").fill(centre)
    form.get_by_label("名称").fill(f"东区分中心 {tag}")
    form.get_by_role("button", name="添加中心").press("Enter")
    child = page.locator("#centre-tree li", has_text=f"市心理服务中心 {tag}").locator("ul li")  # type: ignore[attr-defined]
    expect(child).to_contain_text(f"东区分中心 {tag}")
    assert not page.locator("#centre-hours-slot").is_visible()  # type: ignore[attr-defined]  # until one is chosen
    assert _small_targets(page) == []
    shot(page, "admin-centres-zh-CN")

    # Orgs: one served by the new child centre; the tabs move with the arrow keys
    page.locator("#tab-centres").focus()  # type: ignore[attr-defined]
    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    expect(page.locator("#tab-orgs")).to_have_attribute("aria-selected", "true")  # type: ignore[attr-defined]
    expect(page.locator("#panel-orgs")).to_be_visible()  # type: ignore[attr-defined]
    form = page.locator("#org-form")  # type: ignore[attr-defined]
    form.get_by_label("服务中心").select_option(centre)
    form.get_by_label("编号").fill(org)
    form.get_by_label("名称").fill(f"华东机械有限公司 {tag}")
    form.get_by_role("button", name="添加企业").click()
    row = page.locator("#org-table tbody tr", has_text=f"华东机械有限公司 {tag}")  # type: ignore[attr-defined]
    expect(row).to_contain_text(f"东区分中心 {tag}")
    assert _small_targets(page) == []
    shot(page, "admin-orgs-zh-CN")

    # Units: add one with a headcount, then edit the headcount in its row
    page.locator("#tab-units").click()  # type: ignore[attr-defined]
    page.locator("#unit-org").select_option(org)  # type: ignore[attr-defined]
    expect(page.locator("#units-empty")).to_be_visible()  # type: ignore[attr-defined]
    form = page.locator("#unit-form")  # type: ignore[attr-defined]
    form.get_by_label("编号").fill(unit)
    form.get_by_label("名称").fill("总装车间")
    form.get_by_label("人数").fill("120")
    form.get_by_role("button", name="添加部门").click()
    headcount = page.get_by_label("总装车间 的人数")  # type: ignore[attr-defined]
    expect(headcount).to_have_value("120")
    headcount.fill("150")
    headcount.press("Enter")
    expect(page.locator("#toast")).to_contain_text("已保存")  # type: ignore[attr-defined]
    units = httpx.get(f"{app.url}/api/v1/orgs/{org}/units", headers=app.admin_auth).json()["units"]
    assert [(u["id"], u["headcount"]) for u in units] == [(unit, 150)]
    assert _small_targets(page) == []
    shot(page, "admin-units-zh-CN")

    # Staff: a counsellor of the child centre with a one-time password, shown once
    page.locator("#tab-staff").click()  # type: ignore[attr-defined]
    form = page.locator("#staff-form")  # type: ignore[attr-defined]
    form.get_by_label("账号名").fill(user)
    form.get_by_label("角色").select_option("counsellor")
    expect(form.get_by_label("范围")).not_to_have_value("")  # never "no scope" by default
    form.get_by_label("范围").select_option(f"c:{centre}")
    form.get_by_role("button", name="添加账号").click()
    expect(page.locator("#secret")).to_be_visible()  # type: ignore[attr-defined]
    once = page.locator("#secret-value").inner_text()  # type: ignore[attr-defined]
    assert _login_status(app, user, once) == 403
    shot(page, "admin-staff-created-zh-CN")
    page.locator("#secret-done").click()  # type: ignore[attr-defined]
    expect(page.locator("#secret")).to_be_hidden()  # type: ignore[attr-defined]
    assert page.locator("#secret-value").inner_text() == ""  # type: ignore[attr-defined]  # gone from the page

    row = page.locator(f"#staff-table tbody tr[data-username='{user}']")  # type: ignore[attr-defined]
    expect(row).to_contain_text(f"东区分中心 {tag}")
    expect(row.locator(".badge.must-set")).to_have_text("待本人设置密码")  # one-time password still pending
    row.get_by_role("button", name=f"停用：{user}").click()
    expect(row).to_contain_text("已停用")
    assert _login_status(app, user, once) == 401
    row.get_by_role("button", name=f"启用：{user}").click()
    expect(row).to_contain_text("启用")
    row.get_by_role("button", name=f"重置密码：{user}").click()
    expect(page.locator("#secret")).to_be_visible()  # type: ignore[attr-defined]
    fresh = page.locator("#secret-value").inner_text()  # type: ignore[attr-defined]
    assert fresh != once and _login_status(app, user, fresh) == 403 and _login_status(app, user, once) == 401
    shot(page, "admin-staff-reset-zh-CN")
    page.locator("#secret-done").click()  # type: ignore[attr-defined]

    row.get_by_role("button", name=f"更改范围：{user}").click()
    scope = page.locator("#scope-form select[name=scope]")  # type: ignore[attr-defined]
    expect(scope).to_be_focused()
    scope.select_option(f"c:{top}")
    page.locator("#scope-form button[type=submit]").click()  # type: ignore[attr-defined]
    expect(row).to_contain_text(f"市心理服务中心 {tag}")
    assert _small_targets(page) == []
    row.get_by_role("button", name=f"停用：{user}").click()
    expect(row).to_contain_text("已停用")
    shot(page, "admin-staff-zh-CN")
    assert _login_status(app, user, fresh) == 401

    # The same screens in English
    page.locator("#lang").click()  # type: ignore[attr-defined]
    expect(page.locator("#tab-staff")).to_have_text("Staff")  # type: ignore[attr-defined]
    expect(row).to_contain_text("Disabled")
    shot(page, "admin-staff-en")
    page.locator("#tab-centres").click()  # type: ignore[attr-defined]
    expect(page.locator("#centre-form")).to_contain_text("Parent centre")  # type: ignore[attr-defined]
    shot(page, "admin-centres-en")


def test_a_centre_admin_sees_its_subtree_and_a_counsellor_no_admin_area(page: object,
                                                                         admin_console_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    app, tag = admin_console_app, uuid.uuid4().hex[:4]
    for body in ({"id": f"r-{tag}", "name": f"Root {tag}"},
                 {"id": f"a-{tag}", "name": f"A {tag}", "parent": f"r-{tag}"},
                 {"id": f"b-{tag}", "name": f"B {tag}", "parent": f"r-{tag}"}):
        assert httpx.post(f"{app.url}/api/v1/centres", json=body, headers=app.admin_auth).status_code == 201
    sign_in_admin(page, app, new_admin(app, "--centre", f"a-{tag}"), "en")
    expect(page.locator("header h1")).to_have_text("Xin'an · Centre admin")  # type: ignore[attr-defined]
    tree = page.locator("#centre-tree")  # type: ignore[attr-defined]
    expect(tree).to_contain_text(f"A {tag}")
    assert f"B {tag}" not in tree.inner_text() and f"Root {tag}" not in tree.inner_text()
    options = page.locator("#centre-form select[name=parent] option").all_inner_texts()  # type: ignore[attr-defined]
    assert options == [f"A {tag} (a-{tag})"]  # no top level, nothing outside its subtree
    shot(page, "admin-centre-admin-en")
    page.locator("#logout").click()  # type: ignore[attr-defined]
    # signed out, the page names no role: admins, org admins and counsellors all sign in here
    expect(page.locator("#login-form h2")).to_have_text("Staff sign-in")  # type: ignore[attr-defined]
    expect(page.locator("header h1")).to_have_text("Xin'an · Staff console")  # type: ignore[attr-defined]
    expect(page).to_have_title("Xin'an · Staff console")  # type: ignore[attr-defined]
    sign_in(page, app, "en")  # the counsellor of the layout tests
    expect(page.locator("header h1")).to_have_text("Xin'an · Counsellor console")  # type: ignore[attr-defined]
    expect(page).to_have_title("Xin'an · Counsellor console")  # type: ignore[attr-defined]
    assert not page.locator("#nav").is_visible()  # type: ignore[attr-defined]
    assert not page.locator("#admin-view").is_visible()  # type: ignore[attr-defined]
