"""The widget when things go wrong and for people who need more: Rasa down (503 with hotlines), the network gone
(retry reuses client_msg_id), 200 % text at 360×640, and keyboard-only use. The app runs without Rasa here, which
is exactly the "assistant unavailable" condition."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.web.browser import PHONE, Requests, digits, shot
from tests.web.conftest import PlainApp

pytestmark = pytest.mark.browser


def test_unavailable_and_offline_are_shown_kindly_and_retried(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    requests = Requests(context)
    page = context.new_page()
    posts: list[dict] = []
    page.on("request", lambda r: posts.append(json.loads(r.post_data or "{}"))
            if r.method == "POST" and r.url.endswith("/messages") else None)
    page.goto(f"{plain_app.url}/chat?org=acme")
    page.get_by_role("button", name="同意", exact=True).click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("助手暂时连不上")
    system = page.locator(".msg.system")
    expect(system).to_have_count(1)
    expect(system.locator(".sender-name")).to_have_text("系统提示")
    calls = system.locator("a.call")
    expect(calls.first).to_be_visible()  # the 503 body's resources card: tap-to-call links
    first = calls.first
    assert digits(first.get_attribute("href") or "") in digits(first.inner_text())
    assert "☎" not in system.locator(".bubble").inner_text()  # the hotlines are not listed twice
    shot(page, "widget-unavailable")

    context.set_offline(True)
    alert.get_by_role("button", name="重试").click()
    expect(page.get_by_role("alert")).to_contain_text("网络好像不太稳定")
    shot(page, "widget-offline")
    context.set_offline(False)
    page.get_by_role("alert").get_by_role("button", name="重试").click()
    expect(system).to_have_count(2)
    expect(page.get_by_role("alert")).to_contain_text("助手暂时连不上")
    expect(page.locator(".msg.mine")).to_have_count(1)  # the employee's message is shown once

    assert len(posts) >= 3 and all(p == posts[0] for p in posts), posts
    assert posts[0]["payload"] == "/agree" and len(posts[0]["client_msg_id"]) == 36
    requests.assert_only(urlsplit(plain_app.url).netloc)
    context.close()


def test_large_text_at_360_does_not_clip(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale="en")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{plain_app.url}/chat?locale=en")
    expect(page.get_by_role("button", name="I agree", exact=True)).to_be_visible()
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")  # a large-text setting
    page.wait_for_timeout(200)
    shot(page, "widget-large-text")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    clipped = page.evaluate("""() => [...document.querySelectorAll('.chip, .bubble, .send-btn, .title, .lang-switch')]
        .filter(e => e.scrollHeight > e.clientHeight + 4 || e.scrollWidth > e.clientWidth + 1)  // 4 px: glyph ascent
        .map(e => e.className + ': ' + e.textContent.slice(0, 30))""")
    assert clipped == []
    for sel in ("#input", "#send", "#help-btn"):
        box = page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (sel, box)
        assert box["y"] + box["height"] <= PHONE["height"] + 0.5, (sel, box)
    page.get_by_role("button", name="Crisis lines and privacy").click()
    expect(page.get_by_role("dialog").locator("a.call").first).to_be_visible()
    shot(page, "widget-large-text-help")
    context.close()


def test_keyboard_only(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{plain_app.url}/chat")
    expect(page.get_by_role("button", name="不同意")).to_be_enabled()
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => { const e = document.activeElement;"
                                   " return e.id || e.getAttribute('role') || e.textContent.trim(); }"))
    assert order == ["lang-switch", "help-btn", "log", "同意", "不同意", "input", "send"], order
    # Every control has a name a screen reader can read.
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button, a, textarea')]
        .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length))
        .map(e => e.outerHTML.slice(0, 60))""")
    assert unnamed == []

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#help-btn")).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#help-close")).to_be_focused()
    expect(dialog.locator("a.call").first).to_be_visible()
    for _ in range(20):  # focus stays inside the open dialog
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.getElementById('help-panel').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#help-btn")).to_be_focused()
    context.close()


def test_polling_pauses_while_the_page_is_hidden(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.method == "GET" and "after_seq=" in r.url else None)
    page.goto(f"{plain_app.url}/chat")
    expect(page.get_by_role("button", name="不同意")).to_be_visible()
    page.wait_for_timeout(9000)
    assert len(polls) >= 2, polls  # a poll every few seconds while visible
    page.evaluate("() => Object.defineProperty(document, 'hidden', { configurable: true, get: () => true })")
    seen = len(polls)
    page.wait_for_timeout(9000)
    assert len(polls) == seen  # none while hidden
    page.evaluate("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });"
                  " document.dispatchEvent(new Event('visibilitychange')); }")
    page.wait_for_timeout(500)
    assert seen + 1 <= len(polls) <= seen + 2  # at once when shown again (an interval tick may join it)
    context.close()
