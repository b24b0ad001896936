"""The queue: urgent → high → routine then oldest first, overdue flags, the escalation JSON of API.md, claims."""
from __future__ import annotations

from fastapi.testclient import TestClient

from tests.escalations.helpers import seed, staff
from tests.fakes import FakeRasa

API_FIELDS = {"id", "priority", "reason", "status", "scale", "score", "created_at", "due_at", "claimed_by", "org",
              "unit"}


def test_order_overdue_and_shape(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    c = staff(client, "q1")
    ids = {
        "routine_old": seed("routine", age_minutes=600, due_in_minutes=100),
        "high_new": seed("high", age_minutes=5, due_in_minutes=200),
        "urgent_new": seed("urgent", age_minutes=1, due_in_minutes=14),
        "high_old_overdue": seed("high", age_minutes=300, due_in_minutes=-60),
        "urgent_old_overdue": seed("urgent", age_minutes=20, due_in_minutes=-5),
        "routine_new": seed("routine", age_minutes=0),
        "done": seed("urgent", age_minutes=900, status="resolved"),
    }
    names = {v: k for k, v in ids.items()}
    r = client.get("/api/v1/escalations", params={"status": "open"}, headers=c)
    assert r.status_code == 200
    got = r.json()["escalations"]
    assert [names[e["id"]] for e in got] == ["urgent_old_overdue", "urgent_new", "high_old_overdue", "high_new",
                                             "routine_old", "routine_new"]
    assert {names[e["id"]] for e in got if e["overdue"]} == {"urgent_old_overdue", "high_old_overdue"}
    assert set(got[0]) >= API_FIELDS and got[0]["created_at"].endswith("Z") and got[0]["due_at"].endswith("Z")
    assert len(client.get("/api/v1/escalations", params={"limit": 2}, headers=c).json()["escalations"]) == 2
    assert client.get("/api/v1/escalations", params={"status": "nope"}, headers=c).status_code == 422


def test_claim_is_exclusive_and_idempotent_for_the_holder(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    a, b = staff(client, "qa"), staff(client, "qb")
    esc = seed("urgent", due_in_minutes=-1)
    r = client.post(f"/api/v1/escalations/{esc}/claim", headers=a)
    assert r.status_code == 200 and r.json()["claimed_by"] == "qa" and r.json()["overdue"] is False
    assert client.post(f"/api/v1/escalations/{esc}/claim", headers=a).status_code == 200
    r = client.post(f"/api/v1/escalations/{esc}/claim", headers=b)
    assert r.status_code == 409 and "another counsellor" in r.json()["detail"]
    assert client.post("/api/v1/escalations/does-not-exist/claim", headers=b).status_code == 404
    mine = client.get("/api/v1/escalations", params={"mine": "true"}, headers=a).json()["escalations"]
    assert [e["id"] for e in mine] == [esc]
    assert client.get("/api/v1/escalations", params={"mine": "true"}, headers=b).json()["escalations"] == []
    assert client.post(f"/api/v1/escalations/{esc}/release", headers=b).status_code == 403
    assert client.post(f"/api/v1/escalations/{esc}/release", headers=a).json()["status"] == "open"
    assert client.post(f"/api/v1/escalations/{esc}/claim", headers=b).json()["claimed_by"] == "qb"


def test_queue_carries_org_and_unit_names_beside_the_ids(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Names only where an admin defined them, and a unit's name only for its own org; the ids stay."""
    client, _ = app_client
    c, admin = staff(client, "qn"), staff(client, "qn-admin", "admin")
    assert client.post("/api/v1/orgs", json={"id": "acme", "name": "Acme 制造"}, headers=admin).status_code == 201
    r = client.post("/api/v1/orgs/acme/units", json={"id": "plant-1", "name": "一号厂 装配车间"}, headers=admin)
    assert r.status_code == 201, r.text
    named = seed("urgent", org="acme", unit="plant-1")
    wrong_org = seed("urgent", org="other", unit="plant-1")
    bare = seed("urgent")
    got = {e["id"]: e for e in client.get("/api/v1/escalations", headers=c).json()["escalations"]}
    assert (got[named]["org"], got[named]["unit"]) == ("acme", "plant-1")
    assert (got[named]["org_name"], got[named]["unit_name"]) == ("Acme 制造", "一号厂 装配车间")
    assert (got[wrong_org]["org_name"], got[wrong_org]["unit_name"]) == (None, None)
    assert (got[bare]["org_name"], got[bare]["unit_name"]) == (None, None)
    detail = client.get(f"/api/v1/escalations/{named}", headers=c).json()
    assert detail["unit_name"] == "一号厂 装配车间"
