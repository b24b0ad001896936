""""Clear my data" after a counsellor resolved the case: the employee's own data leaves the escalation
too (reason, scale, score, org, unit), the counsellor's record stays (priority, source, times, outcome, their
notes) with no link to the session, and it is purged XINAN_CASE_RECORD_RETENTION_DAYS after it was closed."""
from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text, update

from app.db import session_scope
from app.escalations.models import Escalation
from app.privacy.erasure import ERASED_REASON, purge_expired
from app.runtime import get_runtime
from app.timeutil import utcnow
from tests.escalations.helpers import crisis_escalation, staff
from tests.fakes import FakeRasa

NOTE = "called back; agreed to see the clinic"


def _resolved_case(client: TestClient) -> tuple[str, str, dict[str, str], dict[str, str]]:
    counsellor = staff(client, "keeper")
    esc_id, sid, auth = crisis_escalation(client, counsellor)
    assert client.post(f"/api/v1/escalations/{esc_id}/claim", headers=counsellor).status_code == 200
    r = client.post(f"/api/v1/escalations/{esc_id}/resolve", json={"outcome": "referred_medical", "note": NOTE},
                    headers=counsellor)
    assert r.status_code == 200, r.text
    return esc_id, sid, auth, counsellor


def test_erasing_after_resolution_strips_the_employees_data(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    esc_id, sid, auth, counsellor = _resolved_case(client)
    before = client.get(f"/api/v1/escalations/{esc_id}", headers=counsellor).json()
    assert before["org"] == "acme" and before["transcript"]
    assert before["reason"] == "expressed a wish to die" and before["trigger"] == "不想活"

    assert client.delete(f"/api/v1/sessions/{sid}", headers=auth).status_code == 204

    after = client.get(f"/api/v1/escalations/{esc_id}", headers=counsellor).json()
    assert after["reason"] == ERASED_REASON and after["reason_i18n"]["zh-CN"] != ERASED_REASON
    assert (after["scale"], after["score"], after["org"], after["unit"]) == (None, None, None, None)
    assert after["transcript"] == [] and after["answers"] == [] and after["results"] == []
    # the counsellor's record: what happened, when, who, the outcome and their own note
    assert after["status"] == "resolved" and after["outcome"] == "referred_medical"
    assert after["priority"] == "urgent" and after["source"] == "crisis_decision" and after["trigger"] is None
    assert after["claimed_by"] == "keeper" and after["resolved_at"] == before["resolved_at"]
    assert [n["text"] for n in after["notes"]] == [NOTE]
    with session_scope() as db:
        row = db.get(Escalation, esc_id)
        assert row is not None and row.session_id is None and row.burst_id is None
        stored = db.connection().execute(text("SELECT * FROM escalation WHERE id = :id"), {"id": esc_id}).one()
    assert not any(v in ("acme", "plant-1", sid, before["reason"]) for v in stored), stored
    other = staff(client, "bystander2")  # another counsellor still cannot read the kept record
    assert client.get(f"/api/v1/escalations/{esc_id}", headers=other).status_code == 403


def test_a_kept_record_is_purged_after_its_retention(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    esc_id, sid, auth, _ = _resolved_case(client)
    client.delete(f"/api/v1/sessions/{sid}", headers=auth)
    settings = get_runtime().settings
    with session_scope() as db:
        assert purge_expired(db, settings)["case_records"] == 0
        assert db.get(Escalation, esc_id) is not None
        db.execute(update(Escalation).where(Escalation.id == esc_id).values(
            resolved_at=utcnow() - timedelta(days=settings.case_record_retention_days + 1)))
    with session_scope() as db:
        assert purge_expired(db, settings)["case_records"] == 1
    with session_scope() as db:
        assert db.get(Escalation, esc_id) is None
        assert db.connection().execute(text("SELECT count(*) FROM escalation_note WHERE escalation_id = :id"),
                                       {"id": esc_id}).scalar_one() == 0


def test_the_widget_says_what_was_erased_and_what_was_kept() -> None:
    from app.web.router import strings

    for locale, words in {"en": ("messages", "answers", "results", "counsellor", "kept", "PIPL art. 47"),
                          "zh-CN": ("消息", "答案", "结果", "咨询师", "保留", "第四十七条")}.items():
        said = strings(locale)["clear_confirm"] + strings(locale)["cleared"]
        assert all(w in said for w in words), (locale, said)
