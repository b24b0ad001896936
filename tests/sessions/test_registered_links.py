"""A conversation opens only from a registered link (API.md "The service network"): an org nobody registered, a unit
of another org or a unit without its org is 422 and stores nothing; the widget's page for such a link is a friendly
404 with the general link and the hotlines."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from app import db as app_db
from app.sessions.models import EmployeeSession
from tests.fakes import FakeRasa
from tests.network.helpers import register_links


def _sessions() -> int:
    with app_db.session_scope() as db:
        return db.exec(select(func.count()).select_from(EmployeeSession)).one()


@pytest.mark.parametrize("body", [
    {"org": "nobody-registered", "unit": "plant-1"},
    {"org": "nobody-registered"},
    {"org": "acme", "unit": "no-such-unit"},
    {"org": "acme", "unit": "other-plant"},  # a unit of the org "other"
    {"unit": "plant-1"},  # a unit without its org
    {"org": "", "unit": ""},
])
def test_a_link_nobody_registered_opens_no_conversation(app_client: tuple[TestClient, FakeRasa],
                                                        body: dict[str, str]) -> None:
    client, _ = app_client
    register_links(None, "acme", "plant-1")
    register_links(None, "other", "other-plant")
    before = _sessions()
    r = client.post("/api/v1/sessions", json={**body, "locale": "en"})
    assert r.status_code == 422, r.text
    assert "not valid" in r.json()["detail"]
    assert _sessions() == before


@pytest.mark.parametrize("body", [{"org": "acme", "unit": "plant-1"}, {"org": "acme"}, {}])
def test_registered_links_and_the_general_link_open_conversations(app_client: tuple[TestClient, FakeRasa],
                                                                  body: dict[str, str]) -> None:
    client, _ = app_client
    register_links(None, "acme", "plant-1")
    r = client.post("/api/v1/sessions", json={**body, "locale": "en"})
    assert r.status_code == 201, r.text
    assert r.json()["messages"]

