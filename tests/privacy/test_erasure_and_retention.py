"""Erase and retention remove exactly what they should (Rasa's tracker rows included); key rotation re-encrypts
every row and old data still reads; a wrong key is a loud error."""
from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.assessments.models import Answer, Assessment
from app.config import Settings
from app.crypto import KeyError_, Keyring
from app.db import session_scope
from app.escalations.models import Escalation
from app.privacy.erasure import purge_expired
from app.privacy.keys import rotate
from app.rasa import tracker_store
from app.secrets_store import load_keyring
from app.sessions.models import EmployeeSession, Message
from app.timeutil import utcnow
from tests.fakes import FakeRasa
from tests.rasa_tracker import event_count, seed, user_texts


def _session_with_results(client: TestClient) -> tuple[str, dict[str, str]]:
    j = client.post("/api/v1/sessions", json={"locale": "en"}).json()
    sid, auth = j["session_id"], {"Authorization": f"Bearer {j['token']}"}
    client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": "/agree"}, headers=auth)
    client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": '/request_scale{"scale":"phq9"}'}, headers=auth)
    for i in range(9):
        value = 1 if i == 8 else 0  # item 9 > 0 → urgent escalation
        client.post(f"/api/v1/sessions/{sid}/messages", json={"payload": f'/answer{{"option":"phq9:{i + 1}:{value}"}}'},
                    headers=auth)
    return sid, auth


def test_erase_removes_content_keeps_withdrawn_escalation(app_client: tuple[TestClient, FakeRasa],
                                                          settings: Settings) -> None:
    client, _ = app_client
    sid, auth = _session_with_results(client)
    other, _ = _session_with_results(client)
    seed(settings, sid)
    seed(settings, other)
    with session_scope() as db:
        esc = db.exec(select(Escalation).where(Escalation.session_id == sid)).scalars().one()
        assert esc.priority == "urgent" and esc.status == "open"
    assert client.delete(f"/api/v1/sessions/{sid}", headers=auth).status_code == 204
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(Message).where(Message.session_id == sid)).scalar_one() == 0
        assert db.exec(select(func.count()).select_from(Assessment).where(Assessment.session_id == sid)
                       ).scalar_one() == 0
        e = db.get(Escalation, esc.id)
        assert e is not None and e.status == "withdrawn" and e.session_id is None and e.score is None
        assert db.exec(select(func.count()).select_from(Message).where(Message.session_id == other)).scalar_one() > 0
    assert event_count(settings, sid) == 0 and event_count(settings, other) == 3
    assert client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).status_code == 410


def test_retention_purges_old_transcripts_unless_escalated(app_client: tuple[TestClient, FakeRasa],
                                                           settings: Settings) -> None:
    client, _ = app_client
    escalated, _ = _session_with_results(client)
    j = client.post("/api/v1/sessions", json={}).json()
    plain = j["session_id"]
    client.post(f"/api/v1/sessions/{plain}/messages", json={"payload": "/agree"},
                headers={"Authorization": f"Bearer {j['token']}"})
    fresh = client.post("/api/v1/sessions", json={}).json()["session_id"]
    old = utcnow() - timedelta(days=settings.retention_days + 1)
    with session_scope() as db:
        for sid in (escalated, plain):
            s = db.get(EmployeeSession, sid)
            assert s is not None
            s.last_active_at = old
            db.add(s)
        completed = db.exec(select(Assessment).where(Assessment.session_id == escalated)).scalars().one()
    for sid in (escalated, plain):
        seed(settings, sid, age_days=settings.retention_days + 1)
    seed(settings, fresh)  # recent events of a live conversation stay
    with session_scope() as db:
        counts = purge_expired(db, settings)
    assert counts["sessions"] == 1
    with session_scope() as db:
        assert db.get(EmployeeSession, plain) is None
        assert db.get(EmployeeSession, escalated) is not None  # open escalation: kept
        assert db.exec(select(func.count()).select_from(Message).where(Message.session_id == escalated)
                       ).scalar_one() > 0
        esc = db.exec(select(Escalation).where(Escalation.session_id == escalated)).scalars().one()
        esc.status = "resolved"
        db.add(esc)
    assert event_count(settings, plain) == 0 and event_count(settings, escalated) == 3
    with session_scope() as db:
        purge_expired(db, settings)
    with session_scope() as db:
        kept = db.get(Assessment, completed.id)
        assert kept is not None and kept.session_id is None and kept.score == 1  # aggregates survive, unlinked
        assert db.exec(select(func.count()).select_from(Answer).where(Answer.assessment_id == completed.id)
                       ).scalar_one() == 0
    assert event_count(settings, escalated) == 0 and event_count(settings, fresh) == 3


def test_key_rotation_reencrypts_every_row(app_client: tuple[TestClient, FakeRasa], settings: Settings) -> None:
    client, _ = app_client
    sid, auth = _session_with_results(client)
    client.post(f"/api/v1/sessions/{sid}/messages", json={"text": "back"}, headers=auth)
    seed(settings, sid)
    before = client.get(f"/api/v1/sessions/{sid}/messages", headers=auth).json()["messages"]
    old = load_keyring(settings)
    with session_scope() as db:
        final, counts = rotate(db, settings, old)
    assert counts["message.text_enc"] == len(before) and counts["rasa events.data"] == 3
    assert final.active_kid != old.active_kid and set(final.keys) == {final.active_kid}
    with session_scope() as db:
        stmt = select(Message.text_enc).where(Message.session_id == sid).order_by(Message.seq)
        texts = db.exec(stmt).scalars().all()
    assert all(final.key_id_of(t) == final.active_kid for t in texts)
    assert [final.decrypt(t, aad=sid) for t in texts] == [m["text"] for m in before]
    with pytest.raises(KeyError_, match="not configured"):
        old.decrypt(texts[0], aad=sid)
    wrong = Keyring(final.active_kid, {final.active_kid: b"\0" * 32})
    with pytest.raises(KeyError_, match="does not open"):
        wrong.decrypt(texts[0], aad=sid)
    assert user_texts(settings, sid, final) == ["hello 0", "hello 1", "hello 2"]  # Rasa reads them, new key only


def test_erase_keeps_results_of_published_months_unlinked(app_client: tuple[TestClient, FakeRasa]) -> None:
    """A report of an ended month must not change when someone erases: that would reveal their band."""
    client, _ = app_client
    sid, auth = _session_with_results(client)
    with session_scope() as db:
        this_month = db.exec(select(Assessment).where(Assessment.session_id == sid)).scalars().one()
        last_month = Assessment(id="old" + this_month.id[3:], session_id=sid, scale_id="gad7", scale_version="1.0",
                                status="completed", score=12, max_score=21, band="moderate", risk="routine",
                                completed_at=utcnow() - timedelta(days=40),
                                completed_on=(utcnow().replace(day=1) - timedelta(days=1)).date())
        db.add(last_month)
    assert client.delete(f"/api/v1/sessions/{sid}", headers=auth).status_code == 204
    with session_scope() as db:
        assert db.get(Assessment, this_month.id) is None  # not yet in any published report: gone
        kept = db.get(Assessment, last_month.id)
        assert kept is not None and kept.session_id is None and (kept.band, kept.score) == ("moderate", 12)


def test_an_erasure_rasa_could_not_take_completes_at_the_next_purge(
        app_client: tuple[TestClient, FakeRasa], settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = app_client
    sid, auth = _session_with_results(client)
    seed(settings, sid)

    def broken(*_: object, **__: object) -> int:
        raise tracker_store.TrackerStoreError("tracker maintenance delete exited 1")

    with monkeypatch.context() as m:
        m.setattr(tracker_store, "delete", broken)
        assert client.delete(f"/api/v1/sessions/{sid}", headers=auth).status_code == 204
    assert event_count(settings, sid) == 3
    with session_scope() as db:
        counts = purge_expired(db, settings)
    assert counts["tracker_events"] == 3 and event_count(settings, sid) == 0
