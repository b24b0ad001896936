"""A QR code or link nobody registered: the page says so kindly, offers the general link and the hotlines; a widget
already open on a link that stops being valid says so instead of offering a retry that cannot work."""
from __future__ import annotations

import pytest

from tests.web.browser import PHONE, shot
from tests.web.conftest import PlainApp

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "title", "start"), [
    ("zh-CN", "这个链接无法使用", "开始匿名自评"), ("en", "This link cannot be used", "Start an anonymous self-check")])
def test_a_bad_link_page_explains_and_offers_help(browser: object, plain_app: PlainApp, lang: str, title: str,
                                                  start: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale=lang)  # type: ignore[attr-defined]
    page = context.new_page()
    response = page.goto(f"{plain_app.url}/chat?org=ghost-co&unit=night-shift&locale={lang}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    calls = page.locator(".resources a[href^='tel:']")
    expect(calls.first).to_be_visible()
    box = calls.first.bounding_box()
    assert box and box["height"] >= 44
    shot(page, f"widget-bad-link-{lang}")
    page.get_by_role("link", name=start).click()  # the general link: a conversation with no workplace
    expect(page.locator(".msg.bot").first).to_be_visible(timeout=15000)
    assert "org=" not in page.url
    context.close()


def test_a_widget_whose_link_is_refused_says_why_without_a_retry(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    # the page was served while the link was valid; by the time the widget opens a conversation it is not
    page.route("**/api/v1/sessions", lambda route: route.fulfill(
        status=422, content_type="application/json", body='{"detail": "this link is not valid: no unit"}')
        if route.request.method == "POST" else route.continue_())
    page.goto(f"{plain_app.url}/chat?org=acme&unit=plant-1")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("没有登记")
    expect(notice.get_by_role("button")).to_have_count(0)
    shot(page, "widget-link-refused")
    context.close()
