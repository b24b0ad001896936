"""Campaigns through the API: who may create and read them (scope as for reports), and what input is refused."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient

from tests.campaigns.helpers import auth, body, create, seed, today
from tests.fakes import FakeRasa


def test_hr_creates_lists_and_reads_a_campaign(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    hr = auth(client, "hr-acme")
    made = create(client, hr)
    assert made["org"] == "acme" and made["status"] == "open" and made["scales"] == ["phq9", "gad7"]
    assert made["message"] == "请在月底前完成" and made["units"] == ["plant-1", "plant-2"]
    links = {link["unit"]: parse_qs(urlparse(link["link"]).query) for link in made["links"]}
    assert links["plant-2"] == {"org": ["acme"], "unit": ["plant-2"], "campaign": [made["id"]]}
    listed = client.get("/api/v1/orgs/acme/campaigns", headers=hr).json()["campaigns"]
    assert [c["id"] for c in listed] == [made["id"]]
    one = client.get(f"/api/v1/orgs/acme/campaigns/{made['id']}", headers=hr)
    assert one.status_code == 200 and one.json() == made


def test_centre_admin_serves_its_orgs_only(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    east = auth(client, "east-admin")
    made = create(client, east)
    assert client.get(f"/api/v1/orgs/acme/campaigns/{made['id']}", headers=east).status_code == 200
    west = auth(client, "west-admin")
    assert client.post("/api/v1/orgs/acme/campaigns", json=body(), headers=west).status_code == 404
    assert client.get(f"/api/v1/orgs/acme/campaigns/{made['id']}", headers=west).status_code == 404


def test_out_of_scope_is_404_and_wrong_role_403(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    made = create(client, auth(client, "hr-acme"))
    other = auth(client, "hr-globex")
    for method, path in (("post", "/api/v1/orgs/acme/campaigns"), ("get", "/api/v1/orgs/acme/campaigns"),
                         ("get", f"/api/v1/orgs/acme/campaigns/{made['id']}"),
                         ("get", f"/api/v1/orgs/acme/campaigns/{made['id']}/participation")):
        kwargs = {"json": body()} if method == "post" else {}
        res = getattr(client, method)(path, headers=other, **kwargs)
        assert res.status_code == 404, (path, res.text)
        assert "请在月底前完成" not in res.text and made["id"] not in res.text
        assert getattr(client, method)(path, headers=auth(client, "counsellor"), **kwargs).status_code == 403
    # the campaign of acme is not globex's, even to globex's own HR under globex's path
    assert client.get(f"/api/v1/orgs/globex/campaigns/{made['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/orgs/acme/campaigns").status_code == 401


BAD = [
    ({"opens_on": str(today()), "closes_on": str(today() - timedelta(days=1))}, "before opens_on"),
    ({"opens_on": str(today() - timedelta(days=30)), "closes_on": str(today() - timedelta(days=2))}, "past"),
    ({"closes_on": str(today() + timedelta(days=400))}, "at most 366 days"),
    ({"scales": ["phq9", "nosuch"]}, "unknown scale 'nosuch'"),
    ({"units": ["plant-1", "g-1"]}, "'g-1' is not a registered unit of org 'acme'"),
    ({"units": ["x" * 300]}, "is not a registered unit"),
    ({"units": []}, "units"),
    ({"scales": []}, "scales"),
    ({"name": ""}, "name"),
    ({"message": "长" * 281}, "message"),
    ({"opens_on": "2026-13-01"}, "opens_on"),
    ({"extra": 1}, "extra"),
]


def test_bad_input_is_a_clear_422(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    hr = auth(client, "hr-acme")
    for over, needle in BAD:
        res = client.post("/api/v1/orgs/acme/campaigns", json=body(**over), headers=hr)
        assert res.status_code == 422 and needle in res.text, (over, res.text)
        assert "x" * 101 not in res.text  # a value is echoed at most 100 characters long
    assert client.get("/api/v1/orgs/acme/campaigns", headers=hr).json()["campaigns"] == []


def test_unknown_campaign_ids_are_404(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    hr = auth(client, "hr-acme")
    for cid in ("0" * 32, "not-an-id", "%00"):
        expected = 422 if cid == "%00" else 404  # NUL in a URL is refused before any route (request guards)
        assert client.get(f"/api/v1/orgs/acme/campaigns/{cid}", headers=hr).status_code == expected
        assert client.get(f"/api/v1/campaigns/{cid}").status_code == expected


def test_each_unit_has_a_campaign_poster(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    hr = auth(client, "hr-acme")
    made = create(client, hr)
    link = next(x for x in made["links"] if x["unit"] == "plant-2")
    assert link["poster"] == f"/hr/poster?org=acme&unit=plant-2&campaign={made['id']}"
    poster = client.get("/api/v1/orgs/acme/units/plant-2/poster", params={"campaign": made["id"]}, headers=hr)
    assert poster.status_code == 200, poster.text
    p = poster.json()
    assert p["link"] == link["link"] and p["campaign_name"] == made["name"] and p["closes_on"] == made["closes_on"]
    plain = client.get("/api/v1/orgs/acme/units/plant-2/poster", headers=hr).json()
    assert "campaign" not in plain["link"] and plain["campaign_name"] is None
    not_in_it = client.get("/api/v1/orgs/acme/units/tiny/poster", params={"campaign": made["id"]}, headers=hr)
    assert not_in_it.status_code == 404
    other = client.get("/api/v1/orgs/acme/units/plant-2/poster", params={"campaign": made["id"]},
                       headers=auth(client, "hr-globex"))
    assert other.status_code == 404 and made["name"] not in other.text
