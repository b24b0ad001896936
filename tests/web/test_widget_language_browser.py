"""Issue 25, item 2 in Chromium: the language link keeps the conversation. The stored session survives the switch,
the server switches the session's locale and asks the open item again in the new language; no new consent."""
from __future__ import annotations

import json
import os

import pytest

from tests.web.issue25 import EN, IDS, LANGS, ZH, Words, agree_and_open_gad7, new_page, shots_at_sizes

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(browser: object, request: pytest.FixtureRequest) -> str:
    return os.environ.get("XINAN_TEST_APP_URL") or request.getfixturevalue("live_url")


def _stored(page: object) -> list[tuple[str, dict]]:
    raw = page.evaluate(  # type: ignore[attr-defined]
        "() => Object.entries(localStorage).filter(([k]) => k.startsWith('xinan.session'))")
    return [(k, json.loads(v)) for k, v in raw]


@pytest.mark.parametrize("lang", LANGS, ids=IDS)
def test_switching_language_keeps_the_conversation(browser: object, app_url: str, lang: Words) -> None:
    from playwright.sync_api import expect

    other = EN if lang is ZH else ZH
    page = new_page(browser, lang)
    page.goto(f"{app_url}/chat?org=acme&unit=lang{lang.query}")
    agree_and_open_gad7(page, lang)
    page.locator(".chip:not([disabled])").get_by_text(lang.several, exact=True).click()
    expect(page.locator("#progress-text")).to_have_text("1 / 7")
    before = _stored(page)
    assert len(before) == 1
    patches: list[str] = []
    page.on("request", lambda r: patches.append(r.post_data or "") if r.method == "PATCH" else None)

    page.locator("#lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", other.locale)
    assert patches == [json.dumps({"locale": other.locale}, separators=(",", ":"))]
    expect(page.locator("#progress-text")).to_have_text("1 / 7")  # same questionnaire, same place
    last = page.locator(".msg.bot").last
    expect(last.locator(".bubble")).to_contain_text("Question 2 of 7" if other is EN else "第 2/7 题")
    expect(last.locator(".chip:not([disabled])").first).to_have_text("Not at all" if other is EN else "完全不会")
    expect(page.get_by_role("button", name=other.agree, exact=True)).to_have_count(0)  # no consent again
    after = _stored(page)
    assert [(k, v["sessionId"], v["token"]) for k, v in after] == [(k, v["sessionId"], v["token"]) for k, v in before]
    shots_at_sizes(page, f"issue25-language-{lang.locale}-to-{other.locale}")

    page.get_by_label(other.input_label).fill(other.nearly.lower())
    page.keyboard.press("Enter")
    expect(page.locator("#progress-text")).to_have_text("2 / 7", timeout=20000)
    expect(page.locator(".msg.bot").last.locator(".bubble")).to_contain_text(other.nearly)
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_a_session_stored_under_the_old_per_language_key_is_kept(browser: object, app_url: str) -> None:
    """Before this change the key ended in the locale: such a session is restored, not replaced."""
    from playwright.sync_api import expect

    page = new_page(browser, ZH)
    page.goto(f"{app_url}/chat?org=acme&unit=legacy")
    expect(page.get_by_role("button", name=ZH.agree, exact=True)).to_be_visible()
    (key, value), = _stored(page)
    page.evaluate("([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }",
                  [key.rsplit("|", 1)[0] + "|zh-CN", json.dumps({"sessionId": value["sessionId"],
                                                                   "token": value["token"]})])
    page.goto(f"{app_url}/chat?org=acme&unit=legacy&locale=en")
    expect(page.locator(".msg.bot").first).to_be_visible()
    (_, restored), = _stored(page)
    assert restored["sessionId"] == value["sessionId"]
    page.context.close()
