"""axe-core (from npm, injected from node_modules, never served by the app) finds no serious or critical
accessibility violation on the widget, the counsellor console, its admin area, the HR dashboard and a campaign's
share page, in both languages at 1280×800 and 1440×900; and no page asks for anything that is a 404 (the favicon was
one)."""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from app.config import ROOT
from tests.web.admin_pages import new_admin, sign_in_admin
from tests.web.browser import SHOTS
from tests.web.console_pages import ConsoleApp, create_user, sign_in, token

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"1280": {"width": 1280, "height": 800}, "1440": {"width": 1440, "height": 900}}
COMBOS = [(size, lang) for size in SIZES for lang in ("zh-CN", "en")]
IDS = [f"{s}-{lang}" for s, lang in COMBOS]


def axe_problems(page: object) -> list[str]:
    """Serious and critical violations, one line each (rule, impact, first offending elements)."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate("async () => await axe.run(document)")  # type: ignore[attr-defined]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {json.dumps([n['target'] for n in v['nodes'][:3]])}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def context(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/setup.sh installs it)")
    size, lang = request.param
    # The pages' CSP allows only their own scripts; axe is injected by the test, so this context bypasses it.
    ctx = browser.new_context(viewport=SIZES[size], locale=lang, bypass_csp=True)  # type: ignore[attr-defined]
    ctx.xinan = (size, lang)  # type: ignore[attr-defined]
    ctx.missing = []  # type: ignore[attr-defined]
    ctx.on("response", lambda r: r.status == 404 and ctx.missing.append(r.url))  # type: ignore[attr-defined]
    yield ctx
    ctx.close()
    assert not ctx.missing, f"404s: {ctx.missing}"  # type: ignore[attr-defined]


def _check(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"axe-{name}.png"))  # type: ignore[attr-defined]
    problems = axe_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("context", COMBOS, ids=IDS, indirect=True)
def test_widget(context: object, console25_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    size, lang = context.xinan  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{console25_app.url}/chat?org=acme&unit=axe&locale={lang}")
    expect(page.locator("#input")).to_be_visible()
    page.wait_for_timeout(500)
    _check(page, f"widget-{size}-{lang}")


@pytest.mark.parametrize("context", COMBOS, ids=IDS, indirect=True)
def test_console(context: object, console25_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    size, lang = context.xinan  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{console25_app.url}/console?lang={lang}")
    expect(page.locator("#login-form")).to_be_visible()
    _check(page, f"console-login-{size}-{lang}")
    sign_in(page, console25_app, lang)
    page.locator("#queue tbody tr button.view").first.click()
    expect(page.locator("#detail-body")).to_be_visible()
    page.wait_for_timeout(300)
    _check(page, f"console-case-{size}-{lang}")
    page.locator("#queue tbody tr button.claim").last.click()  # the live chat, notes and resolve forms
    expect(page.locator("#chat-form")).to_be_visible()
    _check(page, f"console-claimed-{size}-{lang}")


@pytest.mark.parametrize("context", COMBOS, ids=IDS, indirect=True)
def test_dashboard(context: object, console25_app: ConsoleApp) -> None:
    from playwright.sync_api import expect

    size, lang = context.xinan  # type: ignore[attr-defined]
    name, password = f"hr-{uuid.uuid4().hex[:6]}", "hr axe check " + uuid.uuid4().hex[:8]
    create_user(console25_app.data_dir, name, "hr", password, "--org", console25_app.org)
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{console25_app.url}/hr?lang={lang}")
    expect(page.locator("#login-form")).to_be_visible()
    _check(page, f"hr-login-{size}-{lang}")
    page.locator("#login-form input[name=username]").fill(name)
    page.locator("#login-form input[name=password]").fill(password)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#report-view")).to_be_visible(timeout=15000)
    page.wait_for_timeout(1000)  # charts render
    _check(page, f"hr-report-{size}-{lang}")
    _check_campaigns(page, console25_app, name, password, f"{size}-{lang}")


def _check_campaigns(page: object, app: ConsoleApp, name: str, password: str, combo: str) -> None:
    """The campaigns tab: its create form open, then one campaign's links, participation and report."""
    from playwright.sync_api import expect

    opens = date.today()
    body = {"name": "Axe 普查", "scales": ["gad7"], "units": [app.unit], "opens_on": str(opens),
            "closes_on": str(opens + timedelta(days=7))}
    made = httpx.post(f"{app.url}/api/v1/orgs/{app.org}/campaigns", headers=token(app.url, name, password), json=body)
    assert made.status_code == 201, made.text
    page.locator("#nav-campaigns").click()  # type: ignore[attr-defined]
    page.locator("#campaign-new").click()  # type: ignore[attr-defined]
    expect(page.locator("#campaign-units input").first).to_be_attached()  # type: ignore[attr-defined]
    _check(page, f"hr-campaign-form-{combo}")
    page.locator("#campaigns-table tbody tr button").first.click()  # type: ignore[attr-defined]
    expect(page.locator("#links-table tbody tr").first).to_be_attached()  # type: ignore[attr-defined]
    expect(page.locator("#report-table thead tr")).to_be_attached()  # type: ignore[attr-defined]  # report loaded
    expect(page.locator("#shares-empty")).to_be_visible()  # type: ignore[attr-defined]  # share links loaded
    _check(page, f"hr-campaign-{combo}")
    share = httpx.post(f"{app.url}/api/v1/orgs/{app.org}/campaigns/{made.json()['id']}/shares",
                       headers=token(app.url, name, password), json={"label": "axe"})
    assert share.status_code == 201, share.text
    page.goto(f"{app.url}/hr/shared/{share.json()['token']}")  # type: ignore[attr-defined]  # a unit leader's page
    expect(page.locator("#shared-view")).to_be_visible()  # type: ignore[attr-defined]
    _check(page, f"hr-campaign-shared-{combo}")


@pytest.mark.parametrize("context", COMBOS, ids=IDS, indirect=True)
def test_admin_area(context: object, admin_console_app: ConsoleApp) -> None:
    """Each tab of the admin area (issue 23), with a centre's hours editor open on the centres tab and the one-time
    password box open on the staff tab."""
    from playwright.sync_api import expect

    size, lang = context.xinan  # type: ignore[attr-defined]
    app, target = admin_console_app, f"axe-{uuid.uuid4().hex[:6]}"
    made = httpx.post(f"{app.url}/api/v1/staff", json={"username": target, "role": "counsellor", "centre": "city"},
                      headers=app.admin_auth)
    assert made.status_code == 201, made.text
    page = context.new_page()  # type: ignore[attr-defined]
    sign_in_admin(page, app, new_admin(app), lang)
    row = page.locator(f"#staff-table tbody tr[data-username='{target}']")
    for tab in ("centres", "orgs", "units", "staff"):
        page.locator(f"#tab-{tab}").click()
        expect(page.locator(f"#panel-{tab}")).to_be_visible()
        if tab == "centres":  # with a centre's claim windows and service hours open
            page.locator("#centre-tree button.node-name").first.click()
            expect(page.locator("#centre-hours-slot")).to_be_visible()
        if tab == "staff":
            row.locator("button.reset").click()
            expect(page.locator("#secret")).to_be_visible()
            row.locator("button.scope").click()
            expect(page.locator("#scope-form")).to_be_visible()
        _check(page, f"admin-{tab}-{size}-{lang}")
