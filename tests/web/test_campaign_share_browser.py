"""A campaign's read-only share link in Debian Chromium, in zh-CN and English: HR creates it on the campaign's page
(shown once, copied), a unit leader with no account opens it and sees the participation table exactly as HR does,
HR revokes it and the page then says the link is no longer available (404).
Screenshots: test-output/screenshots/campaign-share-*.png."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from app.campaigns.models import Campaign, CampaignEvent
from app.db import session_scope
from app.reports import noise
from app.reports.models import Org, Unit
from tests.campaigns.helpers import PASSWORD, seed, today
from tests.conftest import make_settings
from tests.web.browser import require_chromium, shot
from tests.web.served import app_in_thread

pytestmark = pytest.mark.browser
CID = "e" * 32
NAME = "2026 年度职工心理健康普查"


def _seed() -> None:
    """Acme's campaign since last month over plant-1 (300 opened, 250 consented, 200 completed of 400 employees)
    and plant-2 (3 of each: not shown)."""
    seed()
    day = (date.today().replace(day=1) - timedelta(days=1)).replace(day=10)
    with session_scope() as db:
        for row in [*db.exec(select(Org)), *db.exec(select(Unit))]:
            row.created_at = datetime(2000, 1, 1, tzinfo=UTC)
            db.add(row)
        db.add(Campaign(id=CID, org_id="acme", name=NAME, scales_json='["gad7"]', units_json='["plant-1", "plant-2"]',
                        opens_on=day.replace(day=1), closes_on=today() + timedelta(days=10)))
        db.flush()
        for unit, counts in (("plant-1", (300, 250, 200)), ("plant-2", (3, 3, 3))):
            for kind, n in zip(("opened", "consented", "completed"), counts, strict=True):
                db.add_all(CampaignEvent(campaign_id=CID, unit=unit, kind=kind, day=day) for _ in range(n))


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """OpenDP's draws are zero, so which unit is shown is certain; every ± is still the real one."""
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    with app_in_thread(make_settings(tmp_path), monkeypatch, _seed) as url:
        yield url


def _page(browser, served: str, problems: list[str]):  # type: ignore[no-untyped-def]
    """A 1280×900 page in a fresh context (no session of another) that records script errors and requests to
    another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda req: None if req.url.startswith((served, "data:", "blob:"))
            else problems.append(f"external request {req.url}"))
    return page


WORDS = {
    "zh-CN": {"user": "用户名", "password": "密码", "login": "登录", "tab": "筛查活动", "open": "查看",
              "label": "给谁（可选）", "create": "生成只读链接", "copy": "复制链接", "copied": "已复制",
              "active": "有效", "revoke": "撤销", "revoked": "已撤销", "title": "心安 · 筛查活动参与情况（只读）",
              "few": "参与人数还不够，暂不显示", "gone": "此链接已失效", "for": "一厂负责人"},
    "en": {"user": "Username", "password": "Password", "login": "Sign in", "tab": "Campaigns", "open": "Open",
           "label": "For whom (optional)", "create": "Create read-only link", "copy": "Copy link", "copied": "Copied",
           "active": "Active", "revoke": "Revoke", "revoked": "Revoked",
           "title": "Xin'an · Campaign participation (read-only)", "few": "Not enough people have taken part yet",
           "gone": "This link is no longer available", "for": "Plant 1 leaders"},
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_share_open_and_revoke(browser, served: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    require_chromium()
    w, problems = WORDS[lang], []
    hr = _page(browser, served, problems)
    hr.goto(f"{served}/hr?lang={lang}")
    hr.get_by_label(w["user"]).fill("hr-acme")
    hr.get_by_label(w["password"], exact=True).fill(PASSWORD)
    hr.get_by_role("button", name=w["login"]).click()
    hr.get_by_role("button", name=w["tab"]).click()
    hr.locator("#campaigns-table tbody tr", has_text=NAME).get_by_role("button", name=w["open"]).click()
    expect(hr.locator("#participation-table tbody tr")).to_have_count(3)
    card = hr.locator("#share-card")
    card.get_by_label(w["label"]).fill(w["for"])
    card.get_by_role("button", name=w["create"]).click()
    link = card.locator("#share-new-link")
    expect(link).to_contain_text("/hr/shared/")
    card.locator("#share-new").get_by_role("button", name=w["copy"]).click()
    expect(card.locator("#share-new-status")).to_have_text(w["copied"])
    assert hr.evaluate("navigator.clipboard.readText()") == link.inner_text()
    row = card.locator("#shares-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(w["for"])
    expect(row).to_contain_text(w["active"])
    shot(hr, f"campaign-share-hr-{lang}")
    hr_table = hr.locator("#participation-table").inner_text()

    # A unit leader: another browser context (no HR session), the link's path on this test server
    token = link.inner_text().rsplit("/", 1)[1]
    leader = _page(browser, served, problems)
    leader.goto(f"{served}/hr/shared/{token}?lang={lang}")
    expect(leader.locator("#shared-view")).to_be_visible()
    expect(leader).to_have_title(w["title"])
    expect(leader.locator("#detail-name")).to_have_text(NAME)
    table = leader.locator("#participation-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    assert table.inner_text() == hr_table  # the same figures, ±, suppression and share as HR's own view
    plant1 = table.locator("tbody tr", has_text="Unit plant-1").inner_text()
    assert "400" in plant1 and " ±" in plant1 and "%" in plant1, plant1
    expect(table.locator("tbody tr", has_text="Unit plant-2")).to_contain_text(w["few"])
    expect(leader.locator("#participation-method li").first).to_be_visible()  # how to read it, open
    for absent in ("#links-table", "#report-table", "#share-card", "#login-form"):
        expect(leader.locator(absent)).to_have_count(0)  # no campaign links, results or controls on this page
    leader.wait_for_timeout(200)
    leader.screenshot(path=str(shot(leader, f"campaign-share-page-{lang}")), full_page=True)

    row.get_by_role("button", name=f"{w['revoke']} · {w['for']}").click()
    expect(row).to_contain_text(w["revoked"])
    expect(row.get_by_role("button")).to_have_count(0)
    assert httpx.get(f"{served}/hr/shared/{token}").status_code == 404
    leader.reload()
    expect(leader.locator("#shared-gone")).to_be_visible()
    expect(leader.locator("#shared-gone")).to_contain_text(w["gone"])
    expect(leader.locator("#shared-view")).to_be_hidden()
    shot(leader, f"campaign-share-gone-{lang}")
    hr.context.close()
    leader.context.close()
    assert not problems, problems
