"""A campaign link in the widget (Debian Chromium): the header shows the campaign's name, closing day and message in
zh-CN and English, the conversation opened belongs to the campaign, nothing is fetched from another host, and
axe-core finds no serious or critical violation.
Screenshots: test-output/screenshots/campaign-widget-*.png."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.campaigns.models import Campaign
from app.db import session_scope
from app.sessions.models import EmployeeSession
from tests.campaigns.helpers import seed, today
from tests.conftest import make_settings
from tests.web.browser import PHONE, require_chromium, shot
from tests.web.served import app_in_thread
from tests.web.test_axe_browser import AXE, axe_problems

pytestmark = pytest.mark.browser
CID = "b" * 32


def _seed() -> None:
    seed()
    with session_scope() as db:
        db.add(Campaign(id=CID, org_id="acme", name="2026 年度职工心理健康普查", scales_json='["phq9", "gad7"]',
                        units_json='["plant-1"]', opens_on=today() - timedelta(days=2),
                        closes_on=today() + timedelta(days=12), message="完成约需 5 分钟，全程匿名。"))


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with app_in_thread(make_settings(tmp_path), monkeypatch, _seed) as url:
        yield url


def test_campaign_link_shows_the_campaign(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    require_chromium()
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/setup.sh installs it)")
    closes = today() + timedelta(days=12)
    problems: list[str] = []
    for locale, closing in (("zh-CN", f"开放至 {closes.year}年{closes.month}月{closes.day}日"),
                            ("en", f"Open until {closes.day} {closes:%B} {closes.year}")):
        # axe is injected by the test: this context bypasses the page's CSP (as tests/web/test_axe_browser.py)
        context = browser.new_context(viewport=PHONE, locale=locale, bypass_csp=True)
        try:
            page = context.new_page()
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("request", lambda req: None if req.url.startswith(served) or req.url.startswith("data:")
                    else problems.append(f"external request {req.url}"))
            page.goto(f"{served}/chat?org=acme&unit=plant-1&campaign={CID}&locale={locale}")
            page.wait_for_selector(".msg")  # the consent message: a conversation was opened
            bar = page.locator("#campaign-bar")
            assert bar.is_visible()
            text = bar.inner_text()
            assert "2026 年度职工心理健康普查" in text and closing in text and "全程匿名" in text, text
            box, title = bar.bounding_box(), page.locator(".titlebar").bounding_box()
            assert box is not None and title is not None and box["y"] >= title["y"] + title["height"] - 1
            shot(page, f"campaign-widget-{locale}")
            problems.extend(axe_problems(page))
        finally:
            context.close()
    assert not problems, problems
    with session_scope() as db:
        opened = list(db.exec(select(EmployeeSession.campaign_id)))
    assert opened == [CID, CID]  # one conversation per language visit, both of the campaign


def test_campaign_poster(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    """The unit's poster of the campaign link: the campaign's name and last day above the QR code, one A4 page."""
    require_chromium()
    import httpx

    from tests.campaigns.helpers import PASSWORD
    from tests.reports.test_poster_browser import pdf_pages

    context = browser.new_context(viewport={"width": 1000, "height": 1300})
    try:
        page = context.new_page()
        page.goto(f"{served}/hr/poster?org=acme&unit=plant-1&campaign={CID}")
        token = httpx.post(served + "/api/v1/auth/token", data={"username": "hr-acme", "password": PASSWORD})
        page.evaluate("t => sessionStorage.setItem('xinan-hr-token', t)", token.json()["access_token"])
        page.reload()
        page.wait_for_selector("#sheet:not([hidden])")
        closes = str(today() + timedelta(days=12))
        assert page.inner_text("#campaign") == f"2026 年度职工心理健康普查 · {closes} 截止 · until {closes}"
        assert page.inner_text("#link").endswith(f"/chat?org=acme&unit=plant-1&campaign={CID}")
        shot(page, "campaign-poster")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        assert pdf_pages(pdf) == 1  # the campaign line still fits the one A4 page
    finally:
        context.close()
