"""The embed snippet in Debian's Chromium: a plain host page on another origin gets a floating button that opens
and closes the chat in an iframe; a host page whose origin is not allowed gets no chat (CSP frame-ancestors).
Opening the chat and its consent question involve no Rasa, so the app runs here without one."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.web.browser import PHONE, Requests, shot
from tests.web.conftest import PlainApp

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_embed_opens_and_closes_the_chat(browser: object, plain_app: PlainApp, viewport: dict) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
    requests = Requests(context)
    page = context.new_page()
    page.goto(plain_app.allowed_host.url)
    button = page.get_by_role("button", name="打开心安聊天")
    expect(button).to_be_visible()
    name = f"embed-{viewport['width']}"
    shot(page, f"{name}-closed")
    button.click()
    frame = page.frame_locator("#xinan-embed-frame")
    expect(frame.get_by_role("button", name="同意", exact=True)).to_be_visible()
    expect(page.locator("#xinan-embed-frame")).to_have_attribute("title", "心安聊天")
    shot(page, f"{name}-open")
    frame.get_by_role("button", name="关闭聊天").click()
    expect(page.locator("#xinan-embed-frame")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    button.click()  # reopening shows the same conversation, not a new one
    expect(frame.locator(".msg")).to_have_count(2)
    if viewport["width"] > 480:
        page.get_by_role("button", name="关闭心安聊天").click()
        expect(page.locator("#xinan-embed-frame")).to_be_hidden()
    requests.assert_only(urlsplit(plain_app.url).netloc, urlsplit(plain_app.allowed_host.url).netloc)
    context.close()


def test_embed_is_refused_on_a_host_that_is_not_allowed(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(plain_app.other_host.url)
    page.get_by_role("button", name="打开心安聊天").click()
    expect(page.locator("#xinan-embed-frame")).to_be_visible()
    page.wait_for_timeout(1500)
    expect(page.frame_locator("#xinan-embed-frame").locator("#log")).to_have_count(0)
    context.close()
