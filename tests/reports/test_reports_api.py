"""The report, org and dashboard routes on the real app: roles, validation, figures, CSV, links and QR codes."""
from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import pytest
from fastapi.testclient import TestClient

from app.assessments.models import Assessment
from app.db import session_scope
from app.reports.models import Org, Unit
from app.staff.service import create_user
from app.timeutil import utcnow
from app.web.dashboard.router import ECHARTS, I18N

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # orgs and units that existed before every month a test reports on


def last_closed_month() -> date:
    return utcnow().date().replace(day=1) - timedelta(days=1)


def login(client: TestClient, role: str) -> dict[str, str]:
    """HR belongs to org "acme" (made here when the test has not seeded it yet)."""
    with session_scope() as db:
        if role == "hr" and db.get(Org, "acme") is None:
            db.add(Org(id="acme", name="Acme", created_at=LONG_AGO))
            db.flush()
        create_user(db, username=f"{role}1", password="a long hr password", role=role,
                    org="acme" if role == "hr" else None)
    res = client.post("/api/v1/auth/token", data={"username": f"{role}1", "password": "a long hr password"})
    assert res.status_code == 200
    return {"Authorization": f"Bearer {res.json()['access_token']}"}


def seed() -> None:
    """eng: 12 completed GAD-7 last month; tiny (headcount 3): 2, merged into the org pool, which stays below k."""
    day = last_closed_month().replace(day=10)
    scores = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16]
    bands = ["minimal"] * 5 + ["mild"] * 5 + ["moderate", "severe"]
    with session_scope() as db:
        if db.get(Org, "acme") is None:
            db.add(Org(id="acme", name="Acme", created_at=LONG_AGO))
            db.flush()
        db.add(Unit(id="eng", org_id="acme", name="Engineering", headcount=40, created_at=LONG_AGO))
        db.add(Unit(id="tiny", org_id="acme", name="Tiny", headcount=3, created_at=LONG_AGO))
        for i, (s, b) in enumerate(zip(scores, bands, strict=True)):
            db.add(Assessment(id=f"e{i}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                              unit="eng", completed_on=day, score=s, band=b))
        for i in range(2):
            db.add(Assessment(id=f"t{i}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                              unit="tiny", completed_on=day, score=20, band="severe"))
        db.add(Assessment(id="running", scale_id="gad7", scale_version="1", status="completed", org="acme",
                          unit="eng", completed_on=utcnow().date(), score=3, band="minimal"))
        db.add(Assessment(id="open", scale_id="gad7", scale_version="1", status="in_progress", org="acme",
                          unit="eng"))


def summary_url(**params: str) -> str:
    base = {"scale": "gad7", "group_by": "unit"}
    base.update(params)
    return "/api/v1/reports/summary?" + "&".join(f"{k}={v}" for k, v in base.items())


def test_roles(app_client: tuple) -> None:
    client, _ = app_client
    assert client.get(summary_url()).status_code == 401
    assert client.get(summary_url(), headers=login(client, "counsellor")).status_code == 403
    hr = login(client, "hr")
    assert client.get(summary_url(), headers=hr).status_code == 200
    assert client.get("/api/v1/auth/me", headers=hr).json()["role"] == "hr"
    assert client.get("/api/v1/orgs", headers=hr).status_code == 403
    assert client.post("/api/v1/orgs", json={"id": "x", "name": "X"}, headers=hr).status_code == 403
    assert client.get(summary_url(), headers=login(client, "admin")).status_code == 200


@pytest.mark.parametrize(("params", "reason"), [
    ({"scale": "nope"}, "unknown scale"),
    ({"from": "2026-13-01"}, "date"),
    ({"from": "2026-03-01", "to": "2026-02-01"}, "after"),
    ({"group_by": "day"}, "unit"),
    ({"from": "2000-01-01", "to": "2020-01-01"}, "months"),
    ({"format": "xlsx"}, "csv"),
])
def test_validation(app_client: tuple, params: dict[str, str], reason: str) -> None:
    client, _ = app_client
    res = client.get(summary_url(**params), headers=login(client, "hr"))
    assert res.status_code == 422
    assert reason in json.dumps(res.json()["detail"])


def test_figures_suppression_and_csv(app_client: tuple, zero_noise: None) -> None:
    """Noise drawn as zero: the figures are the exact ones, each with its margin (the noise it could have had)."""
    client, _ = app_client
    seed()
    hr = login(client, "hr")
    month = last_closed_month()
    today = utcnow().date()
    body = client.get(summary_url(**{"from": str(month.replace(day=15)), "to": str(today)}), headers=hr).json()
    running = [today.strftime("%Y-%m")] if today.day > 1 else []  # the running month: whole days up to yesterday
    assert body["k"] == 10 and body["from"] == str(month.replace(day=1))
    assert body["to"] == str(today - timedelta(days=1)) and body["months"] == [month.strftime("%Y-%m"), *running]
    assert body["privacy"]["counted_through"] == body["to"] and body["privacy"]["epsilon_month"] == 10.0
    cells = {c["group"]: c for c in body["cells"]}
    eng = cells["eng"]
    assert eng["n"] == 12 and not eng["suppressed"]  # neither today's assessment nor the open one counts
    assert eng["bands"]["minimal"] is None and eng["bands"]["mild"] is None  # 5 and 5: pooled, not shown
    assert [(g["bands"], g["n"]) for g in eng["band_groups"]] == [(["minimal", "mild", "moderate", "severe"], 12)]
    assert eng["n_margin"] == eng["band_groups"][0]["margin"] >= 1  # noise drawn as 0, but it could have been ±1
    assert eng["mean_score"] == round(sum([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16]) / 12, 1) and eng["mean_margin"] > 0
    for key in ("tiny", "org:acme"):  # tiny merged up; the org pool (2) is below k
        assert cells[key]["suppressed"] and cells[key]["n"] is None and cells[key]["bands"] is None
    assert "org:-" not in cells  # HR of acme: no pool of other (or unknown) orgs
    assert body["total"]["n"] == 12  # the suppressed pool is left out of the total too
    by_org = client.get(summary_url(group_by="org"), headers=hr).json()
    assert [c["n"] for c in by_org["cells"] if c["group"] == "acme"] == [12]
    by_month = client.get(summary_url(group_by="month"), headers=hr).json()
    assert len(by_month["months"]) == 12 and by_month["months"][-1] == today.strftime("%Y-%m")  # `to`: today
    assert {c["group"]: c["n"] for c in by_month["cells"]}[month.strftime("%Y-%m")] == 12
    res = client.get(summary_url(format="csv"), headers=hr)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert "attachment" in res.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert len(rows) == len(body["cells"]) + 1 and rows[-1]["kind"] == "total"
    eng_row = next(r for r in rows if r["group"] == "eng")
    assert eng_row["n"] == "12" and eng_row["band:minimal"] == "" and eng_row["band_groups"] == \
        f"minimal+mild+moderate+severe=12±{eng_row['n_margin']}" and int(eng_row["n_margin"]) >= 1
    assert eng_row["method"].startswith("Differential privacy") and eng_row["from"] and eng_row["to"]
    assert next(r for r in rows if r["group"] == "tiny")["suppressed"] == "true"


def test_period_without_a_whole_day(app_client: tuple) -> None:
    """On the first of a month the running month has no whole day yet: nothing to count."""
    client, _ = app_client
    first = utcnow().date().replace(day=1)
    with patch("app.reports.router.utcnow", return_value=datetime(first.year, first.month, 1, 9, tzinfo=UTC)):
        body = client.get(summary_url(**{"from": str(first), "to": str(first)}), headers=login(client, "hr")).json()
    assert body["from"] is None and body["months"] == [] and body["total"]["suppressed"]


def test_a_new_deployment_shows_its_first_days(app_client: tuple, zero_noise: None) -> None:
    """Org registered today, answers from the two days before: the default report already shows them."""
    client, _ = app_client
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    today = now.date()
    with session_scope() as db:
        db.add(Org(id="acme", name="Acme", created_at=now - timedelta(days=2)))
        db.flush()
        db.add(Unit(id="eng", org_id="acme", name="Engineering", headcount=40, created_at=now - timedelta(days=2)))
        for i in range(15):  # 14 on the first two days, 1 today (counted tomorrow)
            day = today if i == 14 else today - timedelta(days=1 + i % 2)
            db.add(Assessment(id=f"n{i}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                              unit="eng", completed_on=day, score=3, band="minimal"))
    hr = login(client, "hr")
    with patch("app.reports.router.utcnow", return_value=now):
        body = client.get("/api/v1/reports/summary?scale=gad7", headers=hr).json()
    cells = {c["group"]: c for c in body["cells"]}
    # answers of the unit's registration day stay in the org's own pool for good: 7 + 7, merged up (below k)
    assert cells["eng"]["suppressed"] and cells["org:acme"]["n"] == 14
    assert cells["org:acme"]["n_margin"] >= 2  # daily figures are rougher: 1/5 of their budget per level
    assert body["privacy"]["running_month"] == "2026-12" and body["to"] == "2026-12-02"


def test_orgs_units_links_and_qr(app_client: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = app_client
    from app.runtime import get_runtime

    monkeypatch.setattr(get_runtime().settings, "public_base_url", "https://xinan.example.cn/")
    admin = login(client, "admin")
    assert client.post("/api/v1/orgs", json={"id": "acme", "name": "Acme"}, headers=admin).status_code == 201
    assert client.post("/api/v1/orgs", json={"id": "acme", "name": "Again"}, headers=admin).status_code == 409
    assert client.post("/api/v1/orgs", json={"id": "bad id!", "name": "X"}, headers=admin).status_code == 422
    res = client.post("/api/v1/orgs/acme/units", json={"id": "eng", "name": "Engineering", "headcount": 40},
                      headers=admin)
    assert res.status_code == 201
    assert res.json()["link"] == "https://xinan.example.cn/chat?org=acme&unit=eng"
    child = {"id": "fe", "name": "Frontend", "parent": "eng", "headcount": 8}
    assert client.post("/api/v1/orgs/acme/units", json=child, headers=admin).status_code == 201
    assert client.post("/api/v1/orgs/acme/units", json={**child, "id": "x", "parent": "nope"},
                       headers=admin).status_code == 422
    assert client.post("/api/v1/orgs/none/units", json={**child, "id": "y", "parent": None},
                       headers=admin).status_code == 404
    units = client.get("/api/v1/orgs/acme/units", headers=admin).json()["units"]
    assert {(u["id"], u["parent"]) for u in units} == {("eng", None), ("fe", "eng")}
    assert client.get("/api/v1/orgs", headers=admin).json() == {"orgs": [{"id": "acme", "name": "Acme",
                                                                          "centre": None}]}
    qr = client.get(units[0]["qr_svg"], headers=admin)
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg") and "org=acme&amp;unit=" in qr.text


def test_dashboard_page_and_assets(app_client: tuple) -> None:
    client, _ = app_client
    page = client.get("/hr")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert "<script>" not in html and "http://" not in html and "https://" not in html  # no inline code, no CDN
    assert client.get("/hr/static/hr.js").status_code == 200
    assert client.get("/hr/static/../router.py").status_code == 404
    zh, en = (json.loads((I18N / f"{loc}.json").read_text(encoding="utf-8")) for loc in ("zh-CN", "en"))
    assert set(zh) == set(en)
    if not ECHARTS.is_file():
        pytest.skip("node_modules/echarts is not installed (npm ci)")
    res = client.get("/hr/vendor/echarts.min.js")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/javascript")


def test_a_unit_created_after_a_month_closed_changes_none_of_its_figures(app_client: tuple, zero_noise: None) -> None:
    """Otherwise the org's own 3 assessments would show as the difference of the reports before and after."""
    client, _ = app_client
    day = last_closed_month().replace(day=10)
    with session_scope() as db:
        db.add(Org(id="acme", name="Acme", created_at=LONG_AGO))
        for i in range(15):  # 12 from a unit nobody has registered yet, 3 with no unit
            db.add(Assessment(id=f"a{i}", scale_id="gad7", scale_version="1", status="completed", org="acme",
                              unit="late" if i < 12 else None, completed_on=day, score=i % 5, band="minimal"))
    hr, admin = login(client, "hr"), login(client, "admin")
    before = client.get(summary_url(), headers=hr).json()
    assert {c["group"]: c["n"] for c in before["cells"]}["org:acme"] == 15
    res = client.post("/api/v1/orgs/acme/units", json={"id": "late", "name": "Late", "headcount": 40}, headers=admin)
    assert res.status_code == 201
    after = client.get(summary_url(), headers=hr).json()
    cells = {c["group"]: c for c in after["cells"]}
    assert cells["org:acme"]["n"] == 15 and cells["late"]["suppressed"]  # pooled as when the month closed
    assert after["total"]["n"] == before["total"]["n"]
    assert after["total"]["n_margin"] >= before["total"]["n_margin"]  # the new leaf's noise joins the org pool
    assert client.get(summary_url(format="csv"), headers=hr).text.count("\n") == len(after["cells"]) + 2
