"""`python -m app demo`: the seed network's shape, a second run that adds nothing, sample activity made through the
services, and demo accounts whose scopes show the right slice of it."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import func, select

from app.campaigns.models import CampaignEvent
from app.config import ROOT
from app.db import session_scope
from app.demo.cli import demo
from app.demo.network import DEMO_PASSWORD, build_shape
from app.escalations.models import Escalation
from app.network.models import Centre
from app.reports.models import Org, Unit
from app.runtime import get_runtime
from app.staff.models import StaffUser


def _counts() -> dict[str, int]:
    with session_scope() as db:
        return {name: db.exec(select(func.count()).select_from(model)).one()
                for name, model in (("centres", Centre), ("orgs", Org), ("units", Unit), ("staff", StaffUser),
                                    ("escalations", Escalation))}


def test_the_demo_has_the_seed_networks_shape(app_client: tuple) -> None:
    with session_scope() as db:
        added, made = demo(db, get_runtime(), activity=False)
    assert made is None and added == {"centres": 102, "orgs": 300, "units": added["units"], "staff": 29}
    with session_scope() as db:
        centres = {c.id: c for c in db.exec(select(Centre))}
        orgs = list(db.exec(select(Org)))
        units = list(db.exec(select(Unit)))
        staff = list(db.exec(select(StaffUser)))
    roots = [c for c in centres.values() if c.parent_id is None]
    counties = [c for c in centres.values() if c.parent_id is not None and centres[c.parent_id].parent_id is None]
    stations = [c for c in centres.values() if c.parent_id in {k.id for k in counties}]
    assert (len(roots), len(counties), len(stations)) == (1, 10, 91)
    assert min(Counter(s.parent_id for s in stations).values()) >= 9  # spread over every county
    assert len(orgs) == 300 and len({o.name for o in orgs}) == 300
    assert all(o.name.endswith("公司") for o in orgs)
    served_by = Counter("station" if o.centre_id in {s.id for s in stations} else
                        "county" if o.centre_id in {k.id for k in counties} else "other" for o in orgs)
    assert served_by["other"] == 0 and served_by["station"] > served_by["county"] > 0
    per_org = Counter(u.org_id for u in units)
    assert set(per_org) == {o.id for o in orgs} and min(per_org.values()) >= 1 and max(per_org.values()) <= 6
    assert all(u.headcount and u.headcount > 0 for u in units)
    roles = Counter((u.role, "centre" if u.centre_id else "org" if u.org_id else "none") for u in staff)
    assert roles[("admin", "none")] == 1 and roles[("admin", "centre")] >= 2
    assert roles[("counsellor", "centre")] >= 10 and roles[("hr", "org")] >= 3 and roles[("org_admin", "org")] == 3
    assert len(staff) == len(build_shape().staff)


def test_a_second_run_adds_nothing_and_scopes_show_their_slice(app_client: tuple) -> None:
    client, _ = app_client
    with session_scope() as db:
        _, made = demo(db, get_runtime())
    assert made is not None and made["escalations"] >= 100 and made["assessments"] >= 300
    before = _counts()
    with session_scope() as db:
        added, again = demo(db, get_runtime())
    assert again is None and set(added.values()) == {0}
    assert _counts() == before

    def queue(username: str) -> list[dict]:
        r = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        res = client.get("/api/v1/escalations", params={"status": "all"},
                         headers={"Authorization": f"Bearer {r.json()['access_token']}"})
        assert res.status_code == 200, res.text
        return res.json()["escalations"]

    city, station = queue("city-counsellor-1"), queue("dongcheng-s01-counsellor")
    assert len(city) > len(station) > 0
    assert {e["centre"] for e in station} == {"dongcheng-s01"}
    assert {e["status"] for e in queue("city-admin")} >= {"open", "claimed", "resolved"}
    with session_scope() as db:
        orgs = {o.id: o.centre_id for o in db.exec(select(Org))}
    assert all(orgs[e["org"]].split("-s")[0] == "dongcheng" for e in queue("dongcheng-counsellor"))

    token = client.post("/api/v1/auth/token", data={"username": "hr-org-001", "password": DEMO_PASSWORD})
    hr = {"Authorization": f"Bearer {token.json()['access_token']}"}
    campaigns = client.get("/api/v1/orgs/org-001/campaigns", headers=hr).json()["campaigns"]
    assert sorted(c["status"] for c in campaigns) == ["closed", "open"]
    with session_scope() as db:
        events = Counter(db.exec(select(CampaignEvent.campaign_id, CampaignEvent.kind)).all())
    for c in campaigns:
        assert events[(c["id"], "opened")] > events[(c["id"], "completed")] > 0
        assert client.get(f"/api/v1/orgs/org-001/campaigns/{c['id']}/participation", headers=hr).status_code == 200


def test_the_command_prints_the_accounts_and_runs_twice(tmp_path: Path) -> None:
    env = {**os.environ, "XINAN_DATA_DIR": str(tmp_path / "var")}
    env.pop("XINAN_DATABASE_URL", None)
    runs = [subprocess.run([sys.executable, "-m", "app", "demo", "--no-activity"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert "added now: 102 centres, 300 orgs" in runs[0].stdout
    assert "added now: 0 centres, 0 orgs, 0 units, 0 staff" in runs[1].stdout
    assert DEMO_PASSWORD in runs[1].stdout and "DEMO ONLY" in runs[1].stdout
    assert "dongcheng-s01-counsellor" in runs[1].stdout and "hr-org-001" in runs[1].stdout
    assert "orgadmin-org-001" in runs[1].stdout and "org_admin" in runs[1].stdout
