"""Issue 25, item 3 in Chromium: the menu's buttons end at a word and say what each scale is, none cut off."""
from __future__ import annotations

import os
import re

import pytest

from tests.web.issue25 import IDS, LANGS, SIZES, Words, new_page, shots_at_sizes

pytestmark = pytest.mark.browser
TITLE = {"zh-CN": re.compile(r"^(DASS-21|GAD-7|PHQ-9|PSS-10) · [^，,]*[^，,、 ]（约\xa0\d+\xa0分钟）$"),
         "en": re.compile(r"^(DASS-21|GAD-7|PHQ-9|PSS-10) · [A-Z][a-z ,]+[a-z] \(\d+\xa0min\)$")}


@pytest.fixture(scope="module")
def app_url(browser: object, request: pytest.FixtureRequest) -> str:
    return os.environ.get("XINAN_TEST_APP_URL") or request.getfixturevalue("live_url")


@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_menu_buttons_are_whole_titles(browser: object, app_url: str, lang: Words) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, lang)
    page.goto(f"{app_url}/chat?org=acme&unit=menu{lang.query}")
    page.get_by_role("button", name=lang.agree, exact=True).click()
    chips = page.locator(".chip:not([disabled])")
    expect(chips).to_have_count(4)
    titles = chips.all_inner_texts()
    assert all(TITLE[lang.locale].match(t) for t in titles), titles
    assert not any(t.endswith(("How your mood", "了解最近两周的心情")) for t in titles)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        cut = page.evaluate("""() => [...document.querySelectorAll('.chip:not(:disabled)')].filter(c => {
            const r = c.getBoundingClientRect();
            return c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 4 || r.right > innerWidth;
          }).map(c => c.textContent)""")
        assert cut == [], (size, cut)
    shots_at_sizes(page, f"issue25-menu-{lang.locale}",
                   before=lambda p: p.locator(".chip:not([disabled])").last.scroll_into_view_if_needed())
    page.context.close()
