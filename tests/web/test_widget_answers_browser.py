"""Issue 25, item 1 in Chromium: a typed answer is echoed ("记下了：好几天") and the recorded option is marked in
the previous item's buttons, for typed and tapped answers alike, also after a reload (from `answered`)."""
from __future__ import annotations

import os

import pytest

from tests.web.issue25 import IDS, LANGS, Words, agree_and_open_gad7, new_page, shots_at_sizes
from tests.web.test_axe_browser import axe_problems

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(browser: object, request: pytest.FixtureRequest) -> str:
    return os.environ.get("XINAN_TEST_APP_URL") or request.getfixturevalue("live_url")


@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_typed_and_tapped_answers_are_confirmed(browser: object, app_url: str, lang: Words) -> None:
    from playwright.sync_api import expect

    page = new_page(browser, lang, axe=True)
    page.goto(f"{app_url}/chat?org=acme&unit=echo{lang.query}")
    agree_and_open_gad7(page, lang)
    page.get_by_label(lang.input_label).fill(lang.several.lower())
    page.keyboard.press("Enter")
    # the first typed words of a fresh app load the crisis classifier: more than the default 5 s on a busy machine
    expect(page.locator("#progress-text")).to_have_text("1 / 7", timeout=20000)
    bot = page.locator(".msg.bot")
    expect(bot.last.locator(".bubble")).to_contain_text(lang.noted_several)
    first_item = bot.nth(bot.count() - 2)  # the question the typed words answered
    chosen = first_item.locator(".chip.chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text(lang.several)
    assert first_item.locator(".chip").count() == 4

    page.locator(".chip:not([disabled])").get_by_text(lang.nearly, exact=True).click()
    expect(page.locator("#progress-text")).to_have_text("2 / 7")
    expect(bot.last.locator(".bubble")).to_contain_text(lang.nearly)
    second = bot.nth(bot.count() - 2).locator(".chip.chosen")
    expect(second).to_have_count(1)
    expect(second).to_contain_text(lang.nearly)
    shots_at_sizes(page, f"issue25-answer-echo-{lang.locale}",
                   before=lambda p: p.locator(".chip.chosen").first.scroll_into_view_if_needed())

    assert axe_problems(page) == []  # the marked chips keep their contrast and names
    page.reload()  # the marks come back from the stored `answered`
    expect(page.locator(".chip.chosen")).to_have_count(2)
    expect(page.locator(".chip.chosen").nth(0)).to_contain_text(lang.several)
    expect(page.locator(".chip.chosen").nth(1)).to_contain_text(lang.nearly)
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()
