"""The /hr dashboard in Debian Chromium: sign in, charts drawn by the app-served ECharts, "fewer than k", both
locales, CSV download, and no CSP violation. Screenshots go to test-output/screenshots/."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import db as app_db
from app.assessments.models import Assessment
from app.reports.models import Org, Unit
from app.staff.service import create_user
from app.timeutil import utcnow
from app.web.dashboard.router import ECHARTS
from tests.conftest import OUTPUT, make_settings
from tests.web.served import app_in_thread

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # orgs and units that existed before every month a test reports on

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = OUTPUT / "screenshots"
pytestmark = pytest.mark.browser


def seed() -> None:
    """Three closed months: eng and sales are large, eng-fe is small (merged up), pilot is below k (suppressed)."""
    first = utcnow().date().replace(day=1)
    months = [(first - timedelta(days=1 + 31 * i)).replace(day=12) for i in range(3)]
    gad_bands = [("minimal", 2), ("mild", 7), ("moderate", 12), ("severe", 17)]
    with app_db.session_scope() as db:
        db.add(Org(id="acme", name="Acme 科技", created_at=LONG_AGO))
        db.flush()
        create_user(db, username="hr1", password="a long hr password", role="hr", org="acme")
        db.add(Unit(id="eng", org_id="acme", name="研发部 Engineering", headcount=80, created_at=LONG_AGO))
        db.add(Unit(id="sales", org_id="acme", name="销售部 Sales", headcount=50, created_at=LONG_AGO))
        db.add(Unit(id="pilot", org_id="acme", name="试点组 Pilot", headcount=30, created_at=LONG_AGO))
        db.flush()
        db.add(Unit(id="eng-fe", org_id="acme", parent_id="eng", name="前端组 Frontend", headcount=6,
                    created_at=LONG_AGO))
        n = 0
        for m, day in enumerate(months):
            for unit, size in (("eng", 30 + 5 * m), ("sales", 18 + 3 * m), ("eng-fe", 4), ("pilot", 3)):
                for i in range(size):
                    for scale, band_list in (("gad7", gad_bands), ("phq9", [("minimal", 2), ("mild", 7),
                                                                              ("moderate", 12), ("severe", 22)])):
                        band, score = band_list[(i * 7 + m) % 4 if i % 3 else 0]
                        n += 1
                        db.add(Assessment(id=f"a{n}", scale_id=scale, scale_version="1", status="completed",
                                          org="acme", unit=unit, completed_on=day, score=score, band=band))


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with app_in_thread(make_settings(tmp_path), monkeypatch, seed) as url:
        yield url


def test_dashboard_in_chromium(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    if not ECHARTS.is_file():
        pytest.skip("node_modules/echarts is missing (npm ci)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("request", lambda req: None if req.url.startswith(served) or req.url.startswith("blob:")
                else problems.append(f"external request {req.url}"))
        page.goto(served + "/hr?lang=en")
        page.fill("input[name=username]", "hr1")
        page.fill("input[name=password]", "wrong-password")
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#login-error:has-text('Wrong username')")
        page.fill("input[name=password]", "a long hr password")
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#units-table tbody tr:has-text('Total')")
        page.select_option("#scale", "gad7")
        page.click("#controls button[type=submit]")
        page.wait_for_selector("#units-table tbody tr:has-text('Minimal')")
        page.wait_for_selector("#chart-bands canvas")
        page.wait_for_selector("#chart-participation canvas")
        page.wait_for_timeout(800)  # let ECharts finish its entry animation before the screenshot
        table = page.inner_text("#units-table")
        assert "研发部 Engineering" in table and " ±" in table  # real noise: every figure with its margin
        assert "Pilot" in table and "(org level and merged small units)" in table
        period = page.inner_text("#period")
        assert "Period:" in period and "counts up to yesterday" in period  # `to` is this month by default
        assert page.locator("#method li").count() == 4 and "differential privacy" in page.inner_text("#method")
        assert page.locator("#empty").is_hidden()
        page.screenshot(path=str(SHOTS / "hr-dashboard-en.png"), full_page=True)
        with page.expect_download() as info:
            page.click("#csv")
        download = info.value
        assert download.suggested_filename.endswith(".csv")
        body = Path(download.path()).read_text(encoding="utf-8")
        assert body.startswith("scale,from,to,kind,group,label,n,n_margin") and "eng," in body
        page.click("#lang")
        page.wait_for_selector("#units-table tbody tr:has-text('合计')")
        page.wait_for_timeout(800)
        assert " ±" in page.inner_text("#units-table") and "差分隐私" in page.inner_text("#method")
        page.screenshot(path=str(SHOTS / "hr-dashboard-zh.png"), full_page=True)
    finally:
        context.close()
    assert [p for p in problems if "401" not in p] == []  # the wrong password answers 401 by design


def test_dashboard_says_when_there_is_not_enough_yet(served: str, browser, zero_noise: None) -> None:  # type: ignore[no-untyped-def]
    """A new org with three answers: a plain message instead of empty charts, in both languages."""
    if not CHROMIUM.exists() or not ECHARTS.is_file():
        pytest.skip("Debian chromium or node_modules/echarts is missing")
    with app_db.session_scope() as db:
        db.add(Org(id="newco", name="NewCo", created_at=utcnow() - timedelta(days=3)))
        db.flush()
        create_user(db, username="hr-new", password="a long hr password", role="hr", org="newco")
        for i in range(3):
            db.add(Assessment(id=f"new{i}", scale_id="gad7", scale_version="1", status="completed", org="newco",
                              unit=None, completed_on=utcnow().date() - timedelta(days=1), score=3, band="minimal"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(served + "/hr?lang=en")
        page.fill("input[name=username]", "hr-new")
        page.fill("input[name=password]", "a long hr password")
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#empty:has-text('Not enough answers yet')")
        assert "fewer than 10" in page.inner_text("#units-table")
        page.wait_for_timeout(800)
        page.screenshot(path=str(SHOTS / "hr-dashboard-empty-en.png"), full_page=True)
        page.click("#lang")
        page.wait_for_selector("#empty:has-text('答卷还不够')")
        page.wait_for_timeout(800)
        page.screenshot(path=str(SHOTS / "hr-dashboard-empty-zh.png"), full_page=True)
    finally:
        context.close()
