"""Issue 25, item 5 in Chromium: a counsellor writes while the page is closed; coming back to the link shows those
messages marked unread ("未读" / "New"), scrolled to the first of them, once (the last seen seq is remembered)."""
from __future__ import annotations

import uuid

import httpx
import pytest

from scripts.devstack import Stack
from tests.network.helpers import register_links
from tests.web.browser import in_log, shot
from tests.web.issue25 import IDS, LANGS, SIZES, Words, new_page
from tests.web.test_axe_browser import axe_problems
from tests.web.test_counsellor_browser import _counsellor_token

pytestmark = pytest.mark.browser


def _in_view(page: object, selector: str) -> bool:
    box = in_log(page, selector)
    return box["top"] >= -1 and box["bottom"] <= box["height"] + 1


@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_unread_counsellor_messages_are_marked_on_return(browser: object, live_stack: Stack, lang: Words) -> None:
    from playwright.sync_api import expect

    url, unit = live_stack.app_url, f"unread-{uuid.uuid4().hex[:8]}"
    register_links(live_stack.settings, "acme", unit)
    page = new_page(browser, lang, axe=True)
    page.goto(f"{url}/chat?org=acme&unit={unit}{lang.query}")
    page.get_by_role("button", name=lang.agree, exact=True).click()
    expect(page.locator(".chip:not([disabled])", has_text="GAD-7")).to_be_visible()
    page.get_by_label(lang.input_label).fill(lang.counsellor)
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot")).to_have_count(4)  # greeting, consent, menu, "a counsellor will write"
    page.wait_for_timeout(500)
    context = page.context
    page.close()  # the employee leaves

    auth = {"Authorization": f"Bearer {_counsellor_token(live_stack)}"}
    found = httpx.get(f"{url}/api/v1/escalations", params={"status": "open"}, headers=auth).json()["escalations"]
    esc = next(e["id"] for e in found if e.get("unit") == unit)
    assert httpx.post(f"{url}/api/v1/escalations/{esc}/claim", headers=auth).status_code == 200
    for text in ("你好，我是咨询师小林。" if lang.locale == "zh-CN" else "Hello, I'm Lin, a counsellor.",
                 "方便的时候回我就好。" if lang.locale == "zh-CN" else "Reply whenever suits you."):
        r = httpx.post(f"{url}/api/v1/escalations/{esc}/messages", json={"text": text}, headers=auth)
        assert r.status_code == 201, r.text

    seen = None
    for size, viewport in SIZES.items():
        back = context.new_page()
        back.set_viewport_size(viewport)
        if seen is not None:  # show the same return at each size: forget that it was seen
            back.goto(f"{url}/healthz")
            back.evaluate("""(seen) => {
                for (const k of Object.keys(localStorage)) if (k.startsWith('xinan.seen')) {
                  const v = JSON.parse(localStorage.getItem(k));
                  v.seq = seen;
                  localStorage.setItem(k, JSON.stringify(v));
                }
              }""", seen)
        back.goto(f"{url}/chat?org=acme&unit={unit}{lang.query}")
        marker = back.locator(".unread-marker")
        expect(marker).to_be_visible()
        expect(marker).to_contain_text(lang.unread)
        expect(marker).to_contain_text("2")
        unread = back.locator(".msg.counsellor.unread")
        expect(unread).to_have_count(2)
        expect(unread.first.locator(".unread-badge")).to_have_text(lang.unread)
        assert back.evaluate("() => document.querySelector('.unread-marker').nextElementSibling"
                             ".classList.contains('unread')")
        assert _in_view(back, ".unread-marker") and _in_view(back, ".msg.counsellor.unread")
        shot(back, f"issue25-unread-{lang.locale}-{size}")
        assert axe_problems(back) == [], size  # the marker and badges: contrast, roles
        stored = back.evaluate("""() => JSON.parse(Object.entries(localStorage)
            .find(([k]) => k.startsWith('xinan.seen'))[1]).seq""")
        assert stored >= int(unread.last.get_attribute("data-seq") or 0)
        if seen is None:
            seen = int(back.locator(".msg.mine").last.get_attribute("data-seq") or 0)
            back.reload()  # seen now: no marker the next time
            expect(back.locator(".msg.counsellor")).to_have_count(2)
            expect(back.locator(".unread-marker")).to_have_count(0)
        back.close()
    context.close()
