"""The unit's A4 QR poster in Debian Chromium: reached from the HR dashboard's units table, bilingual, the QR code
at least 8 cm wide, no buttons on paper, and exactly one A4 page when printed to PDF. Screenshots (screen and print)
go to test-output/screenshots/, the PDF next to them."""
from __future__ import annotations

import re

import httpx
import pytest

from app.web.dashboard.router import ECHARTS
from tests.conftest import OUTPUT
from tests.reports.test_dashboard_browser import CHROMIUM, served  # noqa: F401  (the served app fixture)

SHOTS = OUTPUT / "screenshots"
PX_PER_MM = 96 / 25.4
pytestmark = pytest.mark.browser


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF (/Type /Page, not the /Pages tree nodes): no PDF library needed."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def test_poster_prints_on_one_a4_page(served: str, browser) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1000, "height": 1300})
    try:
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("request", lambda req: None if req.url.startswith(served) or req.url.startswith("data:")
                else problems.append(f"external request {req.url}"))
        page.goto(served + "/hr/poster?org=acme&unit=eng")
        page.wait_for_selector("#status.error")
        assert "Sign in on the HR dashboard" in page.inner_text("#status")  # no sign-in in this tab yet
        login = httpx.post(served + "/api/v1/auth/token", data={"username": "hr1", "password": "a long hr password"})
        page.evaluate("t => sessionStorage.setItem('xinan-hr-token', t)", login.json()["access_token"])
        if ECHARTS.is_file():  # the dashboard draws its charts first: without ECharts its table never comes
            page.goto(served + "/hr?lang=zh-CN")
            page.click("#units-table tr:has-text('研发部 Engineering') a.poster-link")
        else:
            page.reload()
        page.wait_for_selector("#sheet:not([hidden])")
        assert page.url.endswith("/hr/poster?org=acme&unit=eng")
        sheet = page.inner_text("#sheet")
        for text in ("Acme 科技", "研发部 Engineering", "不少于 10 人", "at least 10 people", "不需要姓名",
                     "no sign-up or login", "/chat?org=acme&unit=eng"):
            assert text in sheet, text
        qr = page.locator("#qr")
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
        box = qr.bounding_box()
        assert box is not None and box["width"] >= 80 * PX_PER_MM and box["height"] >= 80 * PX_PER_MM  # >= 8 cm
        page.screenshot(path=str(SHOTS / "poster-screen.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator(".toolbar").is_visible()
        assert page.locator("#qr").bounding_box()["width"] >= 80 * PX_PER_MM  # type: ignore[index]
        page.screenshot(path=str(SHOTS / "poster-print.png"), full_page=True)
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (SHOTS / "poster.pdf").write_bytes(pdf)
        assert pdf_pages(pdf) == 1
        page.emulate_media(media="screen")
        page.goto(served + "/hr/poster?org=acme&unit=nope")
        page.wait_for_selector("#status.error")
        assert "No such unit" in page.inner_text("#status") and page.locator("#sheet").is_hidden()
    finally:
        context.close()
    assert [p for p in problems if "404" not in p] == []  # the unknown unit answers 404 by design


def test_page_count_reads_page_objects_not_the_tree() -> None:
    two = b"<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >> << /Type/Page /Parent 2 0 R >>"
    assert pdf_pages(two) == 2 and pdf_pages(b"<< /Type /Pages >>") == 0
