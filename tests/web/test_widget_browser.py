"""The widget in Debian's Chromium at 360×640 against the running service (real Rasa): a GAD-7 with buttons,
typed answers and the keyboard, progress, the result card, reload, the help panel, clearing (also by typing "clear
my data"), and nothing fetched from another host. XINAN_TEST_APP_URL points these at an already running stack
instead of starting one."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from tests.web.browser import PHONE, SHOTS, Requests, digits, shot

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Lang:
    locale: str
    query: str
    agree: str
    help: str
    clear: str
    clear_yes: str
    cleared: str
    typed: dict[int, str]
    buttons: dict[int, str]
    score_label: str
    band: str


ZH = Lang("zh-CN", "", "同意", "求助热线与隐私", "清除我的数据", "确定清除", "你的数据已清除",
          {1: "好几天", 3: "差不多天天都这样"}, {0: "完全不会", 2: "一半以上的日子", 4: "几乎每天", 5: "完全不会",
                                          6: "好几天"}, "得分 10 / 21", "中度")
EN = Lang("en", "&locale=en", "I agree", "Crisis lines and privacy", "Clear my data", "Erase",
          "Your data has been erased", {1: "several days", 3: "nearly every day"},
          {0: "Not at all", 2: "More than half the days", 4: "Nearly every day", 5: "Not at all", 6: "Several days"},
          "Score 10 of 21", "Moderate")
KEYBOARD_ITEM = 4  # answered by Shift+Tab from the input to the last chip, then Enter


@pytest.fixture(scope="module")
def app_url(browser: object, request: pytest.FixtureRequest) -> str:
    return os.environ.get("XINAN_TEST_APP_URL") or request.getfixturevalue("live_url")


def _stored_session(page: object) -> dict:
    raw = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.startsWith('xinan.session'))")  # type: ignore[attr-defined]
    assert len(raw) == 1, raw
    return json.loads(raw[0][1])


@pytest.mark.parametrize("lang", [ZH, EN], ids=["zh-CN", "en"])
def test_gad7_conversation_on_a_phone(browser: object, app_url: str, lang: Lang) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale=lang.locale, device_scale_factor=1)  # type: ignore[attr-defined]
    requests = Requests(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{app_url}/chat?org=acme&unit=plant-1{lang.query}")
    expect(page.locator("html")).to_have_attribute("lang", lang.locale)
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")

    page.get_by_role("button", name=lang.agree, exact=True).click()
    page.locator(".chip:not([disabled])", has_text="GAD-7").click()
    progress = page.locator("#progress-text")
    for i in range(7):
        expect(progress).to_have_text(f"{i} / 7")
        expect(page.get_by_role("progressbar")).to_be_visible()
        if i in lang.typed:
            page.get_by_label(re.compile("输入消息|Type a message")).fill(lang.typed[i])
            page.keyboard.press("Enter")
        elif i == KEYBOARD_ITEM:
            page.locator("#input").focus()
            page.keyboard.press("Shift+Tab")
            expect(page.locator(":focus")).to_have_text(lang.buttons[i])
            page.keyboard.press("Enter")
        else:
            page.locator(".chip:not([disabled])").get_by_text(lang.buttons[i], exact=True).click()
        if i == 3:
            shot(page, f"widget-{lang.locale}-questionnaire")
    card = page.locator(".card-result")
    expect(card).to_be_visible(timeout=15000)
    expect(card.get_by_role("img")).to_have_attribute("aria-label", lang.score_label)
    expect(card.locator(".band")).to_contain_text(lang.band)
    expect(card.locator("li").first).to_be_visible()  # self-help suggestions
    page.wait_for_timeout(300)
    shot(page, f"widget-{lang.locale}-result")
    card.screenshot(path=str(SHOTS / f"widget-{lang.locale}-result-card.png"))
    page.wait_for_timeout(5000)  # one poll: the employee's own echoes must merge, not duplicate
    mine = page.locator(".msg.mine")
    expect(mine).to_have_count(9)  # agree, GAD-7, seven answers
    rows = page.locator(".msg").count()

    page.reload()
    expect(page.locator(".card-result")).to_be_visible()
    expect(page.locator(".msg.mine")).to_have_count(9)
    expect(page.locator(".msg")).to_have_count(rows)
    expect(page.locator(".msg.mine").nth(3)).to_contain_text(lang.typed[1])

    page.get_by_role("button", name=lang.help).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    calls = dialog.locator("a.call")
    expect(calls.first).to_be_visible()
    api = httpx.get(f"{app_url}/api/v1/resources", params={"locale": lang.locale}).json()["resources"]
    assert calls.count() == len(api)
    for i, res in enumerate(api):
        link = calls.nth(i)
        href = link.get_attribute("href") or ""
        assert href.startswith("tel:") and digits(href) == digits(res["number"]), (href, res)
        assert res["number"] in link.inner_text()
    shot(page, f"widget-{lang.locale}-help")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator(":focus")).to_have_id("help-btn")

    old = _stored_session(page)
    page.get_by_role("button", name=lang.help).click()
    dialog.get_by_role("button", name=lang.clear).click()
    dialog.get_by_role("button", name=lang.clear_yes, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=lang.cleared)).to_be_visible()
    expect(page.get_by_role("button", name=lang.agree, exact=True)).to_be_enabled()
    expect(page.locator(".card-result")).to_have_count(0)
    expect(page.locator("#progress")).to_be_hidden()
    new = _stored_session(page)
    assert new["sessionId"] != old["sessionId"]
    gone = httpx.get(f"{app_url}/api/v1/sessions/{old['sessionId']}/messages",
                     headers={"Authorization": f"Bearer {old['token']}"})
    assert gone.status_code == 410
    shot(page, f"widget-{lang.locale}-cleared")

    requests.assert_only(urlsplit(app_url).netloc)
    assert not errors, errors
    context.close()


# Typing "clear my data": the bot asks first; "erase" does what the "?" panel does and a new conversation
# starts, "keep" goes on with nothing erased.
@dataclass(frozen=True)
class EraseLang:
    locale: str
    query: str
    agree: str
    typed: str
    erase: str
    keep: str
    cleared: str


ERASE_ZH = EraseLang("zh-CN", "", "同意", "清除我的数据", "确定清除", "不清除，继续", "你的数据已清除")
ERASE_EN = EraseLang("en", "&locale=en", "I agree", "please clear my data", "Yes, erase", "No, keep going",
                     "Your data has been erased")


def _type(page: object, text: str) -> None:
    page.locator("#input").fill(text)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", [ERASE_ZH, ERASE_EN], ids=["zh-CN", "en"])
def test_typed_clear_my_data_confirms_then_erases(browser: object, app_url: str, lang: EraseLang) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale=lang.locale)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{app_url}/chat?org=acme&unit=plant-1{lang.query}")
    page.get_by_role("button", name=lang.agree, exact=True).click()
    expect(page.locator(".chip:not([disabled])", has_text="GAD-7")).to_be_visible()

    _type(page, lang.typed)  # first "keep": nothing is erased and the conversation goes on
    keep = page.locator(".chip:not([disabled])").get_by_text(lang.keep, exact=True)
    expect(keep).to_be_visible()
    shot(page, f"widget-{lang.locale}-erase-offer")
    before = _stored_session(page)
    keep.click()
    expect(page.locator(".chip:not([disabled])", has_text="GAD-7")).to_be_visible()
    assert _stored_session(page) == before

    _type(page, lang.typed)  # then "erase": the session is gone and a new one asks for consent again
    page.locator(".chip:not([disabled])").get_by_text(lang.erase, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=lang.cleared)).to_be_visible()
    expect(page.get_by_role("button", name=lang.agree, exact=True)).to_be_enabled()
    after = _stored_session(page)
    assert after["sessionId"] != before["sessionId"]
    gone = httpx.get(f"{app_url}/api/v1/sessions/{before['sessionId']}/messages",
                     headers={"Authorization": f"Bearer {before['token']}"})
    assert gone.status_code == 410
    shot(page, f"widget-{lang.locale}-erased-by-typing")
    context.close()
