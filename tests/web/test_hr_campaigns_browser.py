"""The HR dashboard's campaigns tab in Debian Chromium, in zh-CN and English: creating a campaign (the API's 422 shown
in words, then the unit links with copy and poster), the participation view against headcount with its ± and
suppression, and the campaign report with many answers and with few, as the page and as printed.
Screenshots: test-output/screenshots/hr-campaign-*.png."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.assessments.models import Assessment
from app.campaigns.models import Campaign, CampaignEvent
from app.db import session_scope
from app.reports import noise
from app.reports.models import Org, Unit
from tests.campaigns.helpers import PASSWORD, seed, today
from tests.conftest import make_settings
from tests.web.browser import require_chromium, shot
from tests.web.served import app_in_thread

pytestmark = pytest.mark.browser
MANY, FEW, BEFORE = "a" * 32, "f" * 32, "b" * 32
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _last_month() -> date:
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=10)


def _three_months_ago() -> date:
    d = date.today().replace(day=1)
    for _ in range(3):
        d = (d - timedelta(days=1)).replace(day=1)
    return d


def _seed() -> None:
    """Acme (tests/campaigns/helpers.py) registered long ago; "many": plant-1 with 300 conversations and 120 gad7
    answers last month, plant-2 with 3 of each; "few": plant-2 only, with 3 answers of its own; "before": both units
    three months ago, plant-1 with 200 gad7 answers, 12 of them moderate (the trend's previous campaign)."""
    seed()
    day = _last_month()
    with session_scope() as db:
        for row in [*db.exec(select(Org)), *db.exec(select(Unit))]:
            row.created_at = LONG_AGO
            db.add(row)
        for cid, name, units in ((MANY, "2026 年度职工心理健康普查", '["plant-1", "plant-2"]'),
                                 (FEW, "Pilot check-in", '["plant-2"]')):
            db.add(Campaign(id=cid, org_id="acme", name=name, scales_json='["gad7", "phq9"]', units_json=units,
                            opens_on=day.replace(day=1), closes_on=today() + timedelta(days=10),
                            message="全程匿名"))
        before = _three_months_ago()
        db.add(Campaign(id=BEFORE, org_id="acme", name="2025 年度普查", scales_json='["gad7"]',
                        units_json='["plant-1", "plant-2"]', opens_on=before, closes_on=before.replace(day=20)))
        db.flush()
        db.add_all(Assessment(id=f"b{i}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                              unit="plant-1", campaign_id=BEFORE, completed_on=before.replace(day=10),
                              score=12 if i < 12 else 2, band="moderate" if i < 12 else "minimal")
                   for i in range(200))
        for unit, counts in (("plant-1", (300, 250, 200)), ("plant-2", (3, 3, 3))):
            for kind, n in zip(("opened", "consented", "completed"), counts, strict=True):
                db.add_all(CampaignEvent(campaign_id=MANY, unit=unit, kind=kind, day=day) for _ in range(n))
        n = 0
        for cid, unit, count in ((MANY, "plant-1", 120), (MANY, "plant-2", 3), (FEW, "plant-2", 3)):
            for i in range(count):
                n += 1
                band, score = [("minimal", 2), ("mild", 7), ("moderate", 12), ("severe", 18)][i % 4 if i % 3 else 0]
                db.add(Assessment(id=f"a{n}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                                  unit=unit, campaign_id=cid, completed_on=day, score=score, band=band))


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """OpenDP's draws are zero here, so which unit has few answers is certain; every ± is still the real one (the
    running month's rough noise could otherwise show 3 answers as "22 ±14", as it is meant to now and then)."""
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    with app_in_thread(make_settings(tmp_path), monkeypatch, _seed) as url:
        yield url


WORDS = {
    "zh-CN": {"user": "用户名", "password": "密码", "login": "登录", "tab": "筛查活动", "new": "新建活动",
              "name": "活动名称", "create": "创建活动", "need_name": "请填写活动名称。",
              "need_scale": "请至少选择一项：量表。",
              "order": "早于开始日期", "copy": "复制链接", "copied": "已复制", "poster": "A4 海报", "open": "查看",
              "unit_few": "参与人数还不够，暂不显示", "report_few": "答卷还不够，暂不显示这个部门",
              "all_few": "答卷还不够，暂不显示各部门结果", "headcount": "员工人数", "state": "进行中",
              "higher": "高于上次", "no_compare": "无法比较"},
    "en": {"user": "Username", "password": "Password", "login": "Sign in", "tab": "Campaigns", "new": "New campaign",
           "name": "Campaign name", "create": "Create campaign", "need_name": "Please fill in: Campaign name.",
           "need_scale": "Choose at least one: Scales.", "order": "is before the opening date", "copy": "Copy link",
           "copied": "Copied", "poster": "A4 poster", "open": "Open",
           "unit_few": "Not enough people have taken part yet",
           "report_few": "Not enough answers yet to show this unit",
           "all_few": "Not enough answers yet to show any unit", "headcount": "Employees", "state": "Open",
           "higher": "higher than last time", "no_compare": "Cannot be compared"},
}


@pytest.fixture
def page(browser, served: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A 1280×900 page that fails the test on a script error or a request to another host."""
    require_chromium()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda req: None if req.url.startswith((served, "data:", "blob:"))
            else problems.append(f"external request {req.url}"))
    yield page
    context.close()
    assert not problems, problems


def _sign_in(page, served: str, lang: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    w = WORDS[lang]
    page.goto(f"{served}/hr?lang={lang}")
    page.get_by_label(w["user"]).fill("hr-acme")
    page.get_by_label(w["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=w["login"]).click()
    page.get_by_role("button", name=w["tab"]).click()
    expect(page.locator("#campaigns-table tbody tr")).to_have_count(3)
    return w


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_create_a_campaign(page, served: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    w = _sign_in(page, served, lang)
    page.get_by_role("button", name=w["new"]).click()
    form = page.locator("#campaign-form")
    expect(form).to_be_visible()
    form.get_by_role("button", name=w["create"]).click()  # nothing chosen: the schema's 422, field by field
    errors = page.locator("#campaign-errors")
    expect(errors).to_contain_text(w["need_name"])
    expect(errors).to_contain_text(w["need_scale"])
    shot(page, f"hr-campaign-form-required-{lang}")
    form.get_by_label(w["name"]).fill(f"秋季普查 {lang}")
    form.locator("#campaign-scales label", has_text="GAD-7").locator("input").check()
    form.locator("#campaign-units label", has_text="Unit plant-1").locator("input").check()
    form.locator("#closes-on").fill(str(today() - timedelta(days=3)))  # before it opens: the service's 422
    form.get_by_role("button", name=w["create"]).click()
    expect(errors).to_contain_text(w["order"])
    shot(page, f"hr-campaign-form-errors-{lang}")
    form.locator("#closes-on").fill(str(today() + timedelta(days=14)))
    form.get_by_role("button", name=w["create"]).click()
    expect(page.locator("#campaign-detail")).to_be_visible()
    expect(page.locator("#detail-name")).to_have_text(f"秋季普查 {lang}")
    expect(page.locator("#campaigns-table tbody tr")).to_have_count(4)
    row = page.locator("#links-table tbody tr")
    expect(row).to_have_count(1)
    campaign = page.evaluate("new URLSearchParams(location.search).get('campaign')")
    assert f"campaign={campaign}" in row.locator("code").inner_text()
    row.get_by_role("button", name=w["copy"]).click()
    expect(row).to_contain_text(w["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == row.locator("code").inner_text()
    poster = row.get_by_role("link", name=w["poster"])
    assert poster.get_attribute("href") == f"/hr/poster?org=acme&unit=plant-1&campaign={campaign}"
    expect(page.locator("#participation-empty")).to_be_visible()  # opened today: nothing counted yet
    expect(page.locator("#report-empty")).to_be_visible()
    shot(page, f"hr-campaign-created-{lang}")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_participation_and_report_with_many_and_few_answers(page, served: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    w = _sign_in(page, served, lang)
    page.locator("#campaigns-table tbody tr", has_text="2026 年度").get_by_role("button", name=w["open"]).click()
    part = page.locator("#participation-table")
    expect(part.locator("tbody tr")).to_have_count(3)  # two units and the total
    p1 = part.locator("tbody tr", has_text="Unit plant-1").inner_text()
    assert "400" in p1 and " ±" in p1 and "%" in p1, p1  # noisy figures against the headcount, share with interval
    expect(part.locator("tbody tr", has_text="Unit plant-2")).to_contain_text(w["unit_few"])
    expect(part.locator("thead")).to_contain_text(w["headcount"])
    report = page.locator("#report-table")
    expect(report.locator("tbody tr")).to_have_count(2)
    r1 = report.locator("tbody tr", has_text="Unit plant-1").inner_text()
    assert " ±" in r1 and "%" in r1, r1  # bands with ±, the share at moderate or above with its range
    expect(report.locator("tbody tr", has_text="Unit plant-2")).to_contain_text(w["report_few"])
    # the trend: plant-1 went from 6 % (200 answers) to about a third, well outside both intervals
    trend = report.locator("tbody tr", has_text="Unit plant-1").locator("td.trend")
    expect(trend).to_contain_text("2025 年度普查")
    expect(trend).to_contain_text("6%")
    expect(trend.locator(".change.higher")).to_have_text(w["higher"])
    expect(report.locator("tbody tr", has_text="Unit plant-2").locator("td.trend")).to_contain_text(w["no_compare"])
    expect(page.locator("#report-empty")).to_be_hidden()
    page.wait_for_timeout(200)
    page.screenshot(path=str(shot(page, f"hr-campaign-many-{lang}")), full_page=True)
    page.evaluate("dispatchEvent(new Event('beforeprint'))")  # as the browser does before printing
    page.emulate_media(media="print")  # what a unit leader gets on paper
    expect(page.locator("#participation-method li").first).to_be_visible()  # how to read it is printed too
    page.screenshot(path=str(shot(page, f"hr-campaign-print-{lang}")), full_page=True)
    page.emulate_media(media="screen")
    # the page's own address opens the same campaign after signing in again (the share link)
    link = page.url
    assert f"campaign={MANY}" in link
    page.goto(link)
    expect(page.locator("#detail-name")).to_have_text("2026 年度职工心理健康普查")
    page.locator("#campaigns-table tbody tr", has_text="Pilot").get_by_role("button", name=w["open"]).click()
    expect(page.locator("#detail-name")).to_have_text("Pilot check-in")
    expect(page.locator("#report-empty")).to_contain_text(w["all_few"])
    expect(page.locator("#participation-empty")).to_be_visible()
    expect(page.locator("#report-table tbody tr")).to_contain_text(w["report_few"])
    page.screenshot(path=str(shot(page, f"hr-campaign-few-{lang}")), full_page=True)
