"""The console's case timeline in Chromium: a case raised at a station, referred to its county when the station's
claim window passed, then transferred by the county counsellor with the Transfer control (centre + reason) to a
sibling county. Screenshots in English and Chinese (test-output/screenshots/console-referral-timeline-*.png)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from app.network.jobs import refer_once
from app.runtime import get_runtime
from app.timeutil import utcnow
from tests.conftest import make_settings
from tests.network.referral_world import PASSWORD, build, moves, raise_case
from tests.web.browser import shot
from tests.web.served import app_in_thread

pytestmark = pytest.mark.browser
REASON = "The employee moved to the west site"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app in this process (no Rasa: the console does not need it), its own referral pass off."""
    with app_in_thread(make_settings(tmp_path, referral_interval_seconds=0), monkeypatch, build) as url:
        yield url


def test_the_case_timeline_and_the_transfer_control(served: str, browser: object) -> None:
    from playwright.sync_api import expect

    now = utcnow()
    with httpx.Client(base_url=served, timeout=30) as http:
        eid = raise_case(http, "urgent", now - timedelta(minutes=40))  # type: ignore[arg-type]
    refer_once(get_runtime().settings, now - timedelta(minutes=29))  # the station's 10 minutes passed
    assert moves(eid) == [("station", "county", "unclaimed")]

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en")  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served}/console?lang=en")
    page.get_by_label("Username").fill("c_county")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#live.on")).to_be_visible(timeout=15000)
    if page.locator("#alert").is_visible():
        page.locator("#alert-dismiss").click()
    page.locator("#queue tbody tr").first.get_by_role("button", name="View").click()
    timeline = page.locator("#timeline li")
    expect(timeline).to_have_count(2, timeout=10000)
    expect(timeline.nth(0)).to_contain_text("Raised at Station centre")
    expect(timeline.nth(1)).to_contain_text("Referred to County centre: unclaimed past Station centre's claim window")

    form = page.locator("#refer-form")
    expect(form).to_be_visible()
    assert "County centre" not in form.locator("select").inner_text()  # not to where it already is
    form.get_by_label("Transfer to centre").select_option(label="West centre")
    form.get_by_label("Reason").fill(REASON)
    form.get_by_role("button", name="Transfer case").click()
    expect(page.locator("#toast")).to_have_text("Transferred to West centre", timeout=10000)
    expect(timeline).to_have_count(3, timeout=10000)
    expect(timeline.nth(2)).to_contain_text("Transferred to West centre by c_county")
    expect(timeline.nth(2).locator("q")).to_have_text(f"Reason: {REASON}")
    expect(page.locator("#case-summary")).to_contain_text("Now with West centre")
    assert moves(eid)[-1] == ("county", "west", "transfer")
    page.locator("#timeline").scroll_into_view_if_needed()
    shot(page, "console-referral-timeline-en")

    page.locator("#lang").click()
    expect(timeline.nth(2)).to_contain_text("由 c_county 转交至West centre", timeout=10000)
    expect(timeline.nth(1)).to_contain_text("转至County centre：Station centre认领时限已过仍无人认领")
    page.locator("#timeline").scroll_into_view_if_needed()
    shot(page, "console-referral-timeline-zh")
    assert not errors, errors
    context.close()
