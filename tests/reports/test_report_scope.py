"""An HR user's or org admin's reports cover their own org only: every group_by, the JSON and the CSV, on SQLite and
PostgreSQL. The platform admin's report holds both orgs, so a report that leaked would differ."""
from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from app.assessments.models import Assessment
from app.db import session_scope
from app.network.models import Centre
from app.reports.models import Org, Unit
from app.staff.service import create_user
from tests.reports.test_reports_api import LONG_AGO, last_closed_month

PASSWORD = "a long hr password"
N = {"org-a": 12, "org-b": 15}  # both above k (10), so every figure is shown and a leak would show in it


def _seed() -> None:
    day = last_closed_month().replace(day=10)
    with session_scope() as db:
        db.add(Centre(id="city", name="City", created_at=LONG_AGO))
        db.flush()
        for org, n in N.items():
            db.add(Org(id=org, name=f"Name {org}", centre_id="city", created_at=LONG_AGO))
            db.flush()
            db.add(Unit(id=f"{org}-plant", org_id=org, name=f"Plant {org}", headcount=50, created_at=LONG_AGO))
            for i in range(n):
                db.add(Assessment(id=f"{org}-{i}", scale_id="gad7", scale_version="1", status="completed", org=org,
                                  unit=f"{org}-plant", completed_on=day, score=i % 4, band="minimal"))
        for i in range(11):  # assessments with no known org: only the platform admin's report has their pool
            db.add(Assessment(id=f"free-{i}", scale_id="gad7", scale_version="1", status="completed",
                              org="unregistered", unit=None, completed_on=day, score=1, band="minimal"))
        create_user(db, username="hr-a", password=PASSWORD, role="hr", org="org-a")
        create_user(db, username="hr-b", password=PASSWORD, role="hr", org="org-b")
        create_user(db, username="oa-a", password=PASSWORD, role="org_admin", org="org-a")
        create_user(db, username="oa-b", password=PASSWORD, role="org_admin", org="org-b")
        create_user(db, username="hr-none", password=PASSWORD, role="hr")
        create_user(db, username="padmin", password=PASSWORD, role="admin")


def _auth(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _get(client: TestClient, auth: dict[str, str], group_by: str, fmt: str = "json"):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/reports/summary", params={"scale": "gad7", "group_by": group_by, "format": fmt},
                      headers=auth)


@pytest.mark.parametrize("group_by", ["unit", "org", "month"])
def test_hr_of_one_org_never_sees_another(app_client: tuple, group_by: str, zero_noise: None) -> None:
    client, _ = app_client
    _seed()
    for me, other, role in (("org-a", "org-b", "hr"), ("org-b", "org-a", "hr"), ("org-a", "org-b", "oa"),
                            ("org-b", "org-a", "oa")):
        auth = _auth(client, f"{role}-{me[-1]}")
        body = _get(client, auth, group_by).json()
        text = str(body)
        assert other not in text and f"Name {other}" not in text and "unregistered" not in text
        assert body["total"]["n"] == N[me]  # only my org's assessments are counted
        assert all(c["n"] in (N[me], None) for c in body["cells"]), body["cells"]
        if group_by != "month":
            assert {c["org"] for c in body["cells"]} == {me}
        res = _get(client, auth, group_by, "csv")
        assert res.status_code == 200 and other not in res.text and "unregistered" not in res.text
        rows = list(csv.DictReader(io.StringIO(res.text)))
        assert rows[-1]["kind"] == "total" and rows[-1]["n"] == str(N[me])
    admin = _get(client, _auth(client, "padmin"), group_by).json()
    assert admin["total"]["n"] == sum(N.values()) + 11  # the platform admin sees every org and the unknown one


def test_hr_without_an_org_gets_404(app_client: tuple) -> None:
    client, _ = app_client
    _seed()
    for fmt in ("json", "csv"):
        res = _get(client, _auth(client, "hr-none"), "org", fmt)
        assert res.status_code == 404 and "org-a" not in res.text
