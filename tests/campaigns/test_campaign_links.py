"""Campaign links: a conversation opened through one carries the campaign and records its participation events; any
link that is not this org's, this unit's or open today is refused with nothing stored; the widget shows the campaign."""
from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from app.campaigns.models import Campaign, CampaignEvent
from app.db import session_scope
from app.sessions.models import EmployeeSession
from tests.campaigns.helpers import auth, create, seed, today
from tests.fakes import FakeRasa


def _open(client: TestClient, cid: str | None, org: str = "acme", unit: str = "plant-1"):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/sessions", json={"org": org, "unit": unit, "campaign": cid, "locale": "en"})


def _stored() -> tuple[int, list[tuple[str, str]]]:
    with session_scope() as db:
        sessions = db.exec(select(func.count()).select_from(EmployeeSession)).one()
        events = [(e.unit, e.kind) for e in db.exec(select(CampaignEvent).order_by(CampaignEvent.id))]
    return int(sessions), events


def _send(client: TestClient, sid: str, token: str, payload: str) -> list[dict]:
    r = client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": payload},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()["messages"]


def _take(client: TestClient, sid: str, token: str, scale: str) -> None:
    msgs = _send(client, sid, token, f'/request_scale{{"scale":"{scale}"}}')
    while True:
        buttons = next((m["buttons"] for m in reversed(msgs) if m["buttons"]), [])
        if not buttons or not buttons[0]["payload"].startswith(f"/answer{{\"option\":\"{scale}:"):
            break
        msgs = _send(client, sid, token, buttons[0]["payload"])


def test_a_campaign_link_opens_a_conversation_of_the_campaign(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    made = create(client, auth(client, "hr-acme"))
    res = _open(client, made["id"])
    assert res.status_code == 201, res.text
    j = res.json()
    assert j["campaign"] == {"name": made["name"], "closes_on": made["closes_on"], "message": made["message"]}
    with session_scope() as db:
        assert db.get(EmployeeSession, j["session_id"]).campaign_id == made["id"]
    assert _stored()[1] == [("plant-1", "opened")]
    _send(client, j["session_id"], j["token"], "/agree")
    assert _stored()[1][-1] == ("plant-1", "consented")
    _take(client, j["session_id"], j["token"], "gad7")
    _take(client, j["session_id"], j["token"], "phq9")  # a second scale: still one completed conversation
    assert _stored()[1] == [("plant-1", "opened"), ("plant-1", "consented"), ("plant-1", "completed")]
    erased = client.delete(f"/api/v1/sessions/{j['session_id']}", headers={"Authorization": f"Bearer {j['token']}"})
    assert erased.status_code == 204
    with session_scope() as db:  # the erased conversation keeps no campaign; the anonymous events stay counted
        assert db.get(EmployeeSession, j["session_id"]).campaign_id is None
    assert len(_stored()[1]) == 3
    plain = client.post("/api/v1/sessions", json={"org": "acme", "unit": "plant-1"})
    assert plain.status_code == 201 and plain.json()["campaign"] is None
    with session_scope() as db:
        assert db.get(EmployeeSession, plain.json()["session_id"]).campaign_id is None
    assert len(_stored()[1]) == 3  # the plain unit link records no participation


def test_refused_campaign_links_store_nothing(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    hr = auth(client, "hr-acme")
    made = create(client, hr)
    soon = create(client, hr, opens_on=str(today() + timedelta(days=1)))
    globex = create(client, auth(client, "hr-globex"), org="globex", units=["g-1"])
    with session_scope() as db:  # the API refuses a campaign that closed already: make one as if made earlier
        over = Campaign(id="f" * 32, org_id="acme", name="Last year", scales_json='["gad7"]',
                        units_json='["plant-1"]', opens_on=today() - timedelta(days=40),
                        closes_on=today() - timedelta(days=1))
        db.add(over)
    before = _stored()
    cases = [(("0" * 32, "acme", "plant-1"), "no campaign"), ((globex["id"], "acme", "plant-1"), "no campaign"),
             ((made["id"], "globex", "g-1"), "no campaign"), ((made["id"], "acme", "tiny"), "not part of"),
             ((soon["id"], "acme", "plant-1"), "opens on"), (("f" * 32, "acme", "plant-1"), "closed on"),
             ((made["id"], "acme", "nowhere"), "no unit"), (("x\u0000", "acme", "plant-1"), "campaign"),
             (("y" * 65, "acme", "plant-1"), "campaign")]
    for (cid, org, unit), needle in cases:
        res = _open(client, cid, org, unit)
        assert res.status_code == 422 and needle in res.text, (cid, org, unit, res.text)
        if needle not in ("campaign",):
            assert "this link is not valid" in res.json()["detail"]
    assert _stored() == before


def test_the_widget_shows_an_open_campaign(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    seed()
    made = create(client, auth(client, "hr-acme"), name="Spring <check>")
    page = client.get("/chat", params={"org": "acme", "unit": "plant-1", "campaign": made["id"], "locale": "en"})
    assert page.status_code == 200
    assert "Spring &lt;check&gt;" in page.text and "Spring <check>" not in page.text  # escaped, as any text
    day = today() + timedelta(days=20)
    assert f"Open until {day.day} {day:%B} {day.year}" in page.text and made["message"] in page.text
    zh = client.get("/chat", params={"org": "acme", "unit": "plant-1", "campaign": made["id"]})
    assert f"开放至 {day.year}年{day.month}月{day.day}日" in zh.text
    config = json.loads(zh.text.split('data-config="')[1].split('"')[0].replace("&#34;", '"'))
    assert config["campaign"] == made["id"]
    public = client.get(f"/api/v1/campaigns/{made['id']}").json()
    assert public == {"id": made["id"], "name": made["name"], "closes_on": made["closes_on"],
                      "message": made["message"]}
    bad = client.get("/chat", params={"org": "acme", "unit": "tiny", "campaign": made["id"]})
    assert bad.status_code == 404 and "Spring" not in bad.text
    plain = client.get("/chat", params={"org": "acme", "unit": "plant-1"})
    assert plain.status_code == 200 and "campaign-bar" not in plain.text


def test_open_today_is_the_serving_centres_day(app_client: tuple[TestClient, FakeRasa]) -> None:
    """Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11): a campaign opening on Kiritimati's
    today is open for an org served there and not yet open for one served from Pago Pago."""
    from zoneinfo import ZoneInfo

    from app.network.models import Centre
    from app.timeutil import utcnow

    client, _ = app_client
    seed()
    ahead = utcnow().astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    with session_scope() as db:
        for centre, tz in (("east", "Pacific/Kiritimati"), ("west", "Pacific/Pago_Pago")):
            row = db.get(Centre, centre)
            row.timezone = tz
            db.add(row)
        for cid, org, unit in (("a" * 32, "acme", "plant-1"), ("e" * 32, "globex", "g-1")):
            db.add(Campaign(id=cid, org_id=org, name="Day one", scales_json='["gad7"]', units_json=f'["{unit}"]',
                            opens_on=ahead, closes_on=ahead + timedelta(days=3)))
    assert _open(client, "a" * 32).status_code == 201
    late = _open(client, "e" * 32, "globex", "g-1")
    assert late.status_code == 422 and f"opens on {ahead}" in late.text
