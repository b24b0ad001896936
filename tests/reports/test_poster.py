"""The unit poster API: HR of the unit's org and admins whose scope holds it get what the A4 poster prints (names,
link, QR code, k); everyone else gets 404 for the unit (403 for a role that prints no posters)."""
from __future__ import annotations

from urllib.parse import unquote

from fastapi.testclient import TestClient

from app.db import session_scope
from app.network.models import Centre
from app.reports import orgs
from app.runtime import get_runtime
from app.staff.service import create_user

PASSWORD = "a long staff password"


def _auth(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _world() -> None:
    with session_scope() as db:
        for cid, parent in (("city", None), ("east", "city"), ("west", "city")):
            db.add(Centre(id=cid, name=cid, parent_id=parent))
            db.flush()
        orgs.create_org(db, "acme", "安可机械制造有限公司", "east")
        orgs.create_unit(db, "acme", "plant-1", "生产一车间", None, 120)
        orgs.create_org(db, "beta", "Beta Co", "west")
        orgs.create_unit(db, "beta", "b-1", "Beta unit", None, 40)
        for username, role, scope in (("hr-acme", "hr", {"org": "acme"}), ("hr-beta", "hr", {"org": "beta"}),
                                      ("root", "admin", {}), ("east-admin", "admin", {"centre": "east"}),
                                      ("west-admin", "admin", {"centre": "west"}),
                                      ("east-c", "counsellor", {"centre": "east"})):
            create_user(db, username=username, password=PASSWORD, role=role, **scope)


def test_the_poster_carries_names_link_qr_and_k_for_staff_in_scope(app_client: tuple) -> None:
    client, _ = app_client
    _world()
    url = "/api/v1/orgs/acme/units/plant-1/poster"
    k = get_runtime().settings.report_min_cell
    for who in ("hr-acme", "root", "east-admin"):
        r = client.get(url, headers=_auth(client, who))
        assert r.status_code == 200, (who, r.text)
        body = r.json()
        assert (body["org_name"], body["unit_name"], body["k"]) == ("安可机械制造有限公司", "生产一车间", k)
        assert body["link"].endswith("/chat?org=acme&unit=plant-1")
        assert body["qr"].startswith("data:image/svg+xml") and "<path" in unquote(body["qr"])
    for who in ("hr-beta", "west-admin"):  # outside the scope: as if the unit did not exist
        assert client.get(url, headers=_auth(client, who)).status_code == 404, who
    assert client.get(url, headers=_auth(client, "east-c")).status_code == 403
    assert client.get(url).status_code == 401
    acme = _auth(client, "hr-acme")
    assert client.get("/api/v1/orgs/acme/units/b-1/poster", headers=acme).status_code == 404  # another org's unit
    assert client.get("/api/v1/orgs/acme/units/nope/poster", headers=acme).status_code == 404
    units = client.get("/api/v1/orgs/acme/units", headers=_auth(client, "root")).json()["units"]
    assert units[0]["poster"] == "/hr/poster?org=acme&unit=plant-1"
    page = client.get(units[0]["poster"])
    assert page.status_code == 200 and "隐私承诺" in page.text and "privacy promise" in page.text
