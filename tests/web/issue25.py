"""Helpers of the issue-25 widget browser tests: the sizes to look at, per-locale words, a fresh context."""
from __future__ import annotations

from dataclasses import dataclass

from tests.web.browser import shot

SIZES = {"360x640": {"width": 360, "height": 640}, "390x844": {"width": 390, "height": 844},
         "1440x900": {"width": 1440, "height": 900}}
ZOOM_200 = {"width": 195, "height": 422}  # a 390×844 phone at 200 % zoom, drawn with device_scale_factor 2


@dataclass(frozen=True)
class Words:
    locale: str
    query: str
    agree: str
    input_label: str
    several: str
    nearly: str
    noted_several: str
    counsellor: str
    unread: str


ZH = Words("zh-CN", "", "同意", "输入消息", "好几天", "几乎每天", "记下了：好几天", "我想找咨询师聊聊", "未读")
EN = Words("en", "&locale=en", "I agree", "Type a message", "Several days", "Nearly every day",
           "Noted: Several days", "I want to talk to a counsellor", "New")
LANGS = [ZH, EN]
IDS = ["zh-CN", "en"]


def new_page(browser: object, lang: Words, viewport: dict[str, int] | None = None, scale: int = 1,
             axe: bool = False) -> object:
    """`axe`: the page's CSP is bypassed so the test can inject axe-core (test_axe_browser.py does the same)."""
    context = browser.new_context(viewport=viewport or SIZES["360x640"], locale=lang.locale,  # type: ignore[attr-defined]
                                  device_scale_factor=scale, bypass_csp=axe)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def shots_at_sizes(page: object, name: str, before: object = None) -> None:
    """One screenshot per size; `before(page)` runs after each resize (e.g. to scroll something into view)."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)  # type: ignore[attr-defined]
        page.wait_for_timeout(150)  # type: ignore[attr-defined]
        if before is not None:
            before(page)  # type: ignore[operator]
        shot(page, f"{name}-{size}")


def agree_and_open_gad7(page: object, lang: Words) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name=lang.agree, exact=True).click()  # type: ignore[attr-defined]
    gad = page.locator(".chip:not([disabled])", has_text="GAD-7")  # type: ignore[attr-defined]
    expect(gad).to_be_visible()
    gad.click()
    expect(page.locator("#progress-text")).to_have_text("0 / 7")  # type: ignore[attr-defined]
