"""Who may do what: counsellors see only escalated sessions and only their own claimed ones; HR and anonymous callers
get 403/401 on every escalation route; an employee token opens nothing but its own session."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import session_scope
from app.staff.models import AuditEvent
from tests.escalations.helpers import crisis_escalation, employee, say, seed, staff
from tests.fakes import FakeRasa

ROUTES = [("GET", "/api/v1/escalations", None), ("GET", "/api/v1/escalations/stream", None),
          ("GET", "/api/v1/escalations/{id}", None), ("GET", "/api/v1/escalations/{id}/messages", None),
          ("POST", "/api/v1/escalations/{id}/claim", None), ("POST", "/api/v1/escalations/{id}/release", None),
          ("POST", "/api/v1/escalations/{id}/transfer", {"username": "x"}),
          ("POST", "/api/v1/escalations/{id}/assign", {"username": "x"}),
          ("POST", "/api/v1/escalations/{id}/messages", {"text": "hi"}),
          ("POST", "/api/v1/escalations/{id}/notes", {"text": "hi"}),
          ("POST", "/api/v1/escalations/{id}/resolve", {"outcome": "other"})]


def test_every_escalation_route_is_listed_here(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    paths = {(m.upper(), p.replace("{escalation_id}", "{id}")) for p, ops in client.app.openapi()["paths"].items()
             if p.startswith("/api/v1/escalations") for m in ops}
    assert paths == {(m, p) for m, p, _ in ROUTES}


@pytest.mark.parametrize("who", ["anonymous", "bad-token", "employee", "hr"])
def test_hr_anonymous_and_employees_are_refused_everywhere(app_client: tuple[TestClient, FakeRasa], who: str) -> None:
    client, _ = app_client
    counsellor = staff(client, "c1")
    esc_id, sid, emp_auth = crisis_escalation(client, counsellor)
    headers = {"anonymous": {}, "bad-token": {"Authorization": "Bearer nope"}, "employee": emp_auth,
               "hr": staff(client, "hr1", "hr") if who == "hr" else {}}[who]
    expected = 403 if who == "hr" else 401
    for method, path, body in ROUTES:
        url = path.format(id=esc_id)
        r = client.request(method, url, json=body, headers=headers)
        assert r.status_code == expected, (method, url, r.status_code, r.text)
        r = client.request(method, url, json=body, headers=headers, params={"access_token": emp_auth[
            "Authorization"][7:]} if who == "employee" else None)
        assert r.status_code == expected, (method, url, "query token", r.status_code)
    detail = client.get(f"/api/v1/escalations/{esc_id}", headers=counsellor).json()
    assert detail["status"] == "open"  # nothing above changed it


def test_a_counsellor_cannot_read_or_act_on_another_counsellors_case(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    a, b = staff(client, "alice"), staff(client, "bob")
    esc_id, _, _ = crisis_escalation(client, a)
    assert client.get(f"/api/v1/escalations/{esc_id}", headers=b).status_code == 200  # open: anyone may look
    assert client.post(f"/api/v1/escalations/{esc_id}/claim", headers=a).status_code == 200
    client.post(f"/api/v1/escalations/{esc_id}/messages", json={"text": "我在这里"}, headers=a)

    assert client.post(f"/api/v1/escalations/{esc_id}/claim", headers=b).status_code == 409
    for method, path, body in ROUTES[2:]:
        if path.endswith(("/claim", "/assign")):
            continue
        r = client.request(method, path.format(id=esc_id), json=body, headers=b)
        assert r.status_code == 403, (method, path, r.status_code, r.text)
    queue = client.get("/api/v1/escalations", headers=b).json()["escalations"]
    assert [(e["id"], e["claimed_by"]) for e in queue] == [(esc_id, "alice")]  # who holds it, nothing more
    with session_scope() as db:
        views = db.exec(select(AuditEvent).where(AuditEvent.target_id == esc_id,
                                                 AuditEvent.action == "escalation.view")).all()
    assert sorted(v.actor for v in views) == ["bob"]  # bob's one allowed view; the refused ones show nothing

    # a resolved case stays private to whoever held it
    assert client.post(f"/api/v1/escalations/{esc_id}/resolve", json={"outcome": "contacted"},
                       headers=a).status_code == 200
    assert client.get(f"/api/v1/escalations/{esc_id}", headers=b).status_code == 403
    assert client.get("/api/v1/escalations", params={"status": "resolved"}, headers=b).json()["escalations"] == []
    assert len(client.get("/api/v1/escalations", params={"status": "resolved"},
                          headers=a).json()["escalations"]) == 1


def test_transfer_and_admin_assign(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    a, b, admin = staff(client, "amy"), staff(client, "ben"), staff(client, "root", "admin")
    staff(client, "hana", "hr")
    esc_id = seed("high")
    assert client.post(f"/api/v1/escalations/{esc_id}/assign", json={"username": "amy"}, headers=a).status_code == 403
    r = client.post(f"/api/v1/escalations/{esc_id}/assign", json={"username": "amy"}, headers=admin)
    assert r.status_code == 200 and r.json()["claimed_by"] == "amy"
    assert client.post(f"/api/v1/escalations/{esc_id}/transfer", json={"username": "ben"},
                       headers=b).status_code == 403  # ben does not hold it
    assert client.post(f"/api/v1/escalations/{esc_id}/transfer", json={"username": "hana"},
                       headers=a).status_code == 422  # HR cannot hold a case
    r = client.post(f"/api/v1/escalations/{esc_id}/transfer", json={"username": "ben"}, headers=a)
    assert r.status_code == 200 and r.json()["claimed_by"] == "ben"
    assert client.get(f"/api/v1/escalations/{esc_id}", headers=a).status_code == 403
    assert client.get(f"/api/v1/escalations/{esc_id}", headers=admin).status_code == 200  # admins read all
    assert client.post(f"/api/v1/escalations/{esc_id}/resolve", json={"outcome": "other"},
                       headers=admin).status_code == 403  # only the claimant resolves
    r = client.post(f"/api/v1/escalations/{esc_id}/resolve", json={"outcome": "self_help"}, headers=b)
    assert r.status_code == 200
    assert client.post(f"/api/v1/escalations/{esc_id}/resolve", json={"outcome": "bogus"},
                       headers=b).status_code == 422


def test_an_employee_token_opens_only_its_own_session(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid1, auth1 = employee(client)
    sid2, auth2 = employee(client)
    say(client, sid2, auth2, payload="/agree")
    for method, path in [("GET", f"/api/v1/sessions/{sid2}/messages"), ("GET", f"/api/v1/sessions/{sid2}/results"),
                         ("POST", f"/api/v1/sessions/{sid2}/messages"), ("DELETE", f"/api/v1/sessions/{sid2}")]:
        r = client.request(method, path, headers=auth1, json={"text": "hi"} if method == "POST" else None)
        assert r.status_code == 401, (method, path, r.status_code)
    assert client.get(f"/api/v1/sessions/{sid2}/messages", headers=auth2).status_code == 200
    assert client.get(f"/api/v1/sessions/{sid1}/messages", headers=auth1).status_code == 200


def test_there_is_no_route_to_an_unescalated_session(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    counsellor = staff(client, "carol")
    sid, auth = employee(client)
    say(client, sid, auth, payload="/agree")
    assert client.get("/api/v1/escalations", params={"status": "all"}, headers=counsellor).json()["escalations"] == []
    assert client.get(f"/api/v1/escalations/{sid}", headers=counsellor).status_code == 404
    assert client.get(f"/api/v1/escalations/{sid}/messages", headers=counsellor).status_code == 404
