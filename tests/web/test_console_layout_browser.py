"""The console in Chromium at 1280×800 and 1440×900, zh-CN and en (issue 25): long org/unit names are shown by
name, truncated with a tooltip, and the row actions stay in the card; "view" on a low row brings the case into
view; the live chat's send button stays on one line; a closing note is listed as soon as the case is resolved."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.browser import SHOTS
from tests.web.console_pages import ORG_NAME, UNIT_NAME, ConsoleApp, sign_in

pytestmark = pytest.mark.browser
SIZES = {"1280": {"width": 1280, "height": 800}, "1440": {"width": 1440, "height": 900}}
COMBOS = [(size, lang) for size in SIZES for lang in ("zh-CN", "en")]
TEXT = {"zh-CN": {"view": "查看", "claim": "认领", "send": "发送", "resolve": "结案"},
        "en": {"view": "View", "claim": "Claim", "send": "Send", "resolve": "Resolve"}}


@pytest.fixture
def app(console25_app: ConsoleApp) -> ConsoleApp:
    return console25_app


def _shot(page: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"console25-{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


def _box(locator: object) -> dict[str, float]:
    box = locator.bounding_box()  # type: ignore[attr-defined]
    assert box is not None, "not rendered"
    return box


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (inner["x"] >= outer["x"] - 0.5 and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5)


def _lines(locator: object) -> int:
    """How many lines the element's text takes (one client rect per line box)."""
    return int(locator.evaluate(  # type: ignore[attr-defined]
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; }"))


@pytest.fixture(params=COMBOS, ids=[f"{s}-{lang}" for s, lang in COMBOS])
def page(request: pytest.FixtureRequest, browser: object, app: ConsoleApp) -> Iterator[object]:
    size, lang = request.param
    context = browser.new_context(viewport=SIZES[size], locale=lang)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, app, lang)
    page.xinan = (size, lang)  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, errors


def test_long_names_truncate_with_a_tooltip_and_actions_stay_in_the_card(page: object) -> None:
    from playwright.sync_api import expect

    size, lang = page.xinan  # type: ignore[attr-defined]
    rows = page.locator("#queue tbody tr")  # type: ignore[attr-defined]
    named = page.locator("#queue tbody tr", has_text=UNIT_NAME[:8])  # type: ignore[attr-defined]
    expect(named.first).to_be_visible()
    unit = named.first.locator("td.unit .trunc")
    assert unit.get_attribute("title") == f"{ORG_NAME} / {UNIT_NAME}"
    assert "sz-plant2" not in unit.inner_text(), "the name, not the id"
    assert unit.evaluate("el => el.scrollWidth > el.clientWidth"), "the long label is cut (ellipsis)"
    card = _box(page.locator(".queue"))  # type: ignore[attr-defined]
    width = SIZES[size]["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "no page-wide scrollbar"
    assert page.locator(".queue").evaluate("q => q.scrollWidth <= q.clientWidth"), "the table overflows its card"
    for i in range(rows.count()):
        row = rows.nth(i)
        for button in (row.locator("button.claim"), row.locator("button.view")):
            if button.count():
                box = _box(button)
                assert _inside(box, card) and box["x"] + box["width"] <= width, f"row {i}: action out of the card"
                assert _lines(button) == 1
        reason = _box(row.locator("td.reason"))
        assert reason["width"] >= 96, f"row {i}: the reason column shrank to {reason['width']} px"
    _shot(page, f"queue-{size}-{lang}")


def test_view_on_a_low_row_brings_the_case_into_view(page: object) -> None:
    from playwright.sync_api import expect

    size, lang = page.xinan  # type: ignore[attr-defined]
    last = page.locator("#queue tbody tr").last  # type: ignore[attr-defined]
    last.scroll_into_view_if_needed()
    assert page.evaluate("() => window.scrollY") > 0, "the low row needed a scroll (else this proves nothing)"  # type: ignore[attr-defined]
    last.get_by_role("button", name=TEXT[lang]["view"]).click()
    heading = page.locator("#detail-heading")  # type: ignore[attr-defined]
    expect(heading).to_be_focused()
    expect(page.locator("#detail-body")).to_have_attribute("data-id", last.get_attribute("data-id") or "")  # type: ignore[attr-defined]
    box = _box(heading)
    assert box["y"] >= 0 and box["y"] + box["height"] <= SIZES[size]["height"], f"heading out of view: {box}"
    _shot(page, f"view-low-row-{size}-{lang}")


def test_live_chat_has_room_and_the_closing_note_is_listed_at_once(page: object) -> None:
    from playwright.sync_api import expect

    size, lang = page.xinan  # type: ignore[attr-defined]
    row = page.locator("#queue tbody tr", has=page.locator("button.claim")).last  # type: ignore[attr-defined]
    row.scroll_into_view_if_needed()
    row.get_by_role("button", name=TEXT[lang]["claim"]).click()
    form = page.locator("#chat-form")  # type: ignore[attr-defined]
    expect(form).to_be_visible()
    send = form.get_by_role("button", name=TEXT[lang]["send"])
    assert _lines(send) == 1, "the send button's label wraps"
    assert _box(page.locator("#chat"))["width"] >= 360, "the chat is too narrow to read"  # type: ignore[attr-defined]
    text = "你好，我是咨询师。我在这里，愿意听你说说。" if lang == "zh-CN" else "Hello, I am a counsellor. I am here."
    form.locator("textarea").fill(text)
    send.click()
    expect(page.locator("#chat .from-counsellor", has_text=text)).to_have_count(1)  # type: ignore[attr-defined]
    _shot(page, f"chat-{size}-{lang}")

    closing = f"结案备注 {size} {lang}: 已约定下周回访"
    resolve = page.locator("#resolve-form")  # type: ignore[attr-defined]
    resolve.locator("select").select_option("contacted")
    resolve.locator("textarea").fill(closing)
    resolve.get_by_role("button", name=TEXT[lang]["resolve"]).click()
    expect(page.locator("#notes li", has_text=closing)).to_have_count(1, timeout=5000)  # type: ignore[attr-defined]
    page.locator("#notes").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    _shot(page, f"resolved-note-{size}-{lang}")
