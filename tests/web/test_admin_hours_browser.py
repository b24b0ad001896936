"""A centre's claim windows and service hours in the console's admin area (issue 23), in Chromium at 1280×800: a
centre admin of a top centre picks a child centre in the tree, changes a window and the hours, saves, reloads and sees
them; a bad value gets the API's 422 message under its field (in zh-CN and in English) and saves nothing; axe finds
no serious problem with the editor open. Screenshots in test-output/screenshots/admin-hours-*.png."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.web.admin_pages import PASSWORD, error_checked_page, new_admin, sign_in_admin
from tests.web.browser import shot
from tests.web.console_pages import ConsoleApp, token
from tests.web.test_axe_browser import AXE, axe_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    # bypass_csp: the test injects axe-core from node_modules, which the console's CSP would refuse
    yield from error_checked_page(browser, bypass_csp=True)


def _network(app: ConsoleApp, tag: str) -> tuple[str, str, str]:
    """A top centre with two children; returns their ids."""
    top, child, other = f"r-{tag}", f"a-{tag}", f"b-{tag}"
    for body in ({"id": top, "name": f"市中心 {tag}"}, {"id": child, "name": f"东区 {tag}", "parent": top},
                 {"id": other, "name": f"西区 {tag}", "parent": top}):
        assert httpx.post(f"{app.url}/api/v1/centres", json=body, headers=app.admin_auth).status_code == 201
    return top, child, other


def _policy(app: ConsoleApp, centre: str) -> dict:
    r = httpx.get(f"{app.url}/api/v1/centres/{centre}/policy", headers=app.admin_auth)
    assert r.status_code == 200, r.text
    return r.json()


def _open_editor(page: object, name: str) -> object:
    from playwright.sync_api import expect

    page.locator("#centre-tree button.node-name", has_text=name).click()  # type: ignore[attr-defined]
    editor = page.locator("#centre-hours-slot")  # type: ignore[attr-defined]
    expect(editor).to_be_visible()
    expect(page.locator("#hours-heading")).to_contain_text(name)  # type: ignore[attr-defined]
    expect(page.locator("#hours-heading")).to_be_focused()  # type: ignore[attr-defined]
    return editor


def test_centre_admin_edits_windows_and_hours(page: object, admin_console_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/setup.sh installs it)")
    app, tag = admin_console_app, uuid.uuid4().hex[:4]
    top, child, _ = _network(app, tag)
    before = _policy(app, child)
    assert before["claim_windows"]["urgent_minutes"] != 25 and before["service_hours"]["always_open"]
    assert before["service_hours"]["days"] == ["mon", "tue", "wed", "thu", "fri"]
    admin = new_admin(app, "--centre", top)
    sign_in_admin(page, app, admin, "zh-CN")
    assert not page.locator("#centre-hours-slot").is_visible()  # type: ignore[attr-defined]  # nothing chosen yet

    editor = _open_editor(page, f"东区 {tag}")
    expect(editor.get_by_label("紧急（分钟）")).to_have_value(str(before["claim_windows"]["urgent_minutes"]))
    expect(editor.get_by_label("高（分钟）")).to_have_value(str(before["claim_windows"]["high_minutes"]))
    expect(editor.get_by_label("常规（工作日）")).to_have_value(str(before["claim_windows"]["routine_days"]))
    expect(page.locator(f"#centre-tree button[data-id='{child}']")).to_have_attribute(  # type: ignore[attr-defined]
        "aria-pressed", "true")

    # Edit: a window, office hours Monday to Thursday and Saturday
    editor.get_by_label("紧急（分钟）").fill("25")
    editor.get_by_label("常规（工作日）").fill("5")
    editor.get_by_label("全天候服务（下方时间保留备用）").uncheck()
    editor.get_by_label("周六").check()
    editor.get_by_label("周五").focus()
    page.keyboard.press(" ")  # type: ignore[attr-defined]  # toggled off by the keyboard
    expect(editor.get_by_label("周五")).not_to_be_checked()
    editor.get_by_label("开始时间").fill("08:30")
    editor.get_by_label("结束时间").fill("17:30")
    editor.get_by_label("结束时间").press("Enter")  # Enter in a field submits the form
    expect(page.locator("#toast")).to_contain_text(f"已保存 东区 {tag} 的认领时限和服务时间")  # type: ignore[attr-defined]
    saved = _policy(app, child)
    assert saved["claim_windows"] == {**before["claim_windows"], "urgent_minutes": 25, "routine_days": 5}
    assert saved["service_hours"] == {"always_open": False, "timezone": "Asia/Shanghai",
                                      "days": ["mon", "tue", "wed", "thu", "sat"], "opens_at": "08:30",
                                      "closes_at": "17:30"}
    assert _policy(app, top)["claim_windows"] == before["claim_windows"]  # the parent is untouched

    # Reload: the saved values come back from the server
    page.reload()  # type: ignore[attr-defined]
    expect(page.locator("#live.on")).to_be_visible(timeout=15000)  # type: ignore[attr-defined]  # still signed in
    page.locator("#nav-admin").click()  # type: ignore[attr-defined]
    editor = _open_editor(page, f"东区 {tag}")
    expect(editor.get_by_label("紧急（分钟）")).to_have_value("25")
    expect(editor.get_by_label("常规（工作日）")).to_have_value("5")
    expect(editor.get_by_label("全天候服务（下方时间保留备用）")).not_to_be_checked()
    expect(editor.get_by_label("周四")).to_be_checked()
    expect(editor.get_by_label("周五")).not_to_be_checked()
    expect(editor.get_by_label("周六")).to_be_checked()
    expect(editor.get_by_label("周日")).not_to_be_checked()
    expect(editor.get_by_label("开始时间")).to_have_value("08:30")
    expect(editor.get_by_label("结束时间")).to_have_value("17:30")
    small = page.locator("#centre-hours-slot").evaluate(  # type: ignore[attr-defined]
        "v => [...v.querySelectorAll('button, input:not([type=checkbox]), select')].filter(e => e.offsetParent)"
        ".filter(e => e.getBoundingClientRect().height < 43.5).map(e => e.outerHTML.slice(0, 80))")
    assert small == []
    editor.scroll_into_view_if_needed()
    shot(page, "admin-hours-saved-zh-CN")

    # A bad value: the API's 422 stands under the field, focus goes there, nothing is saved
    urgent = editor.locator("input[name=urgent_minutes]")  # the same field in either language
    expect(urgent).to_have_accessible_name("紧急（分钟）")
    urgent.fill("2000")
    editor.get_by_label("结束时间").fill("07:00")  # before it opens
    page.locator("#hours-save").click()  # type: ignore[attr-defined]
    expect(page.locator("#hours-err-urgent_minutes")).to_have_text("不能超过 1440")  # type: ignore[attr-defined]
    expect(urgent).to_have_attribute("aria-invalid", "true")
    expect(urgent).to_have_attribute("aria-describedby", "hours-err-urgent_minutes")
    expect(urgent).to_be_focused()
    after = _policy(app, child)
    assert (after["claim_windows"], after["service_hours"]) == (saved["claim_windows"], saved["service_hours"])
    shot(page, "admin-hours-422-zh-CN")
    assert not axe_problems(page)

    # The same messages in English after switching language; then the time order is the only problem left
    page.locator("#lang").click()  # type: ignore[attr-defined]
    expect(page.locator("#hours-err-urgent_minutes")).to_have_text("At most 1440")  # type: ignore[attr-defined]
    expect(editor.get_by_label("Urgent (minutes)")).to_have_value("2000")  # what was typed stays
    urgent.fill("30")
    page.locator("#hours-save").click()  # type: ignore[attr-defined]
    closes = page.locator("#hours-err-closes_at")  # type: ignore[attr-defined]
    expect(closes).to_have_text("Closing time must be after opening time (no overnight hours)")
    expect(page.locator("#hours-err-urgent_minutes")).to_be_hidden()  # type: ignore[attr-defined]
    expect(editor.get_by_label("Closes at")).to_be_focused()
    shot(page, "admin-hours-422-en")
    assert not axe_problems(page)
    assert _policy(app, child)["claim_windows"]["urgent_minutes"] == 25


def test_out_of_scope_centres_are_neither_shown_nor_editable(page: object, admin_console_app: ConsoleApp) -> None:
    """The editor shows only centres the admin's scope covers; the API refuses the others as missing (404)."""
    from playwright.sync_api import expect

    app, tag = admin_console_app, uuid.uuid4().hex[:4]
    top, child, other = _network(app, tag)
    admin = new_admin(app, "--centre", child)
    sign_in_admin(page, app, admin, "en")
    _open_editor(page, f"东区 {tag}")
    expect(page.locator("#hours-save")).to_be_visible()  # type: ignore[attr-defined]
    tree = page.locator("#centre-tree").inner_text()  # type: ignore[attr-defined]
    assert f"西区 {tag}" not in tree and f"市中心 {tag}" not in tree
    shot(page, "admin-hours-centre-admin-en")
    own = token(app.url, admin, PASSWORD)
    body = {k: v for k, v in _policy(app, child).items() if k in ("claim_windows", "service_hours")}
    for centre in (top, other):
        assert httpx.get(f"{app.url}/api/v1/centres/{centre}/policy", headers=own).status_code == 404
        assert httpx.put(f"{app.url}/api/v1/centres/{centre}/policy", json=body, headers=own).status_code == 404
    assert httpx.put(f"{app.url}/api/v1/centres/{child}/policy", json=body, headers=own).status_code == 200
