"""One escalation per episode: a later result that raises it makes it describe that result (reason, scale, score)."""
from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import session_scope
from app.escalations.models import Escalation
from app.escalations.opening import open_escalation
from app.runtime import get_runtime
from app.sessions.models import EmployeeSession
from tests.fakes import FakeRasa
from tests.network.helpers import WORLD_LINK, register_links

PHQ9 = "PHQ-9 total ≥ 10 (further evaluation advised)"
GAD7 = "GAD-7 total ≥ 15 (severe anxiety symptoms)"


def _raise(session_id: str, priority: str, reason: str, scale: str | None, score: int | None) -> str:
    with session_scope() as db:
        session = db.get(EmployeeSession, session_id)
        assert session is not None
        esc, _ = open_escalation(db, get_runtime().settings, session, source="risk_rule", priority=priority,
                                 reason=reason, assessment_id=f"a-{scale}", scale=scale, score=score)
        return esc.id


def _row(escalation_id: str) -> tuple[str, str, str | None, int | None, str | None]:
    with session_scope() as db:
        esc = db.get(Escalation, escalation_id)
        assert esc is not None
        return esc.priority, esc.reason, esc.scale, esc.score, esc.assessment_id


def test_a_result_that_raises_the_case_brings_its_scale_and_score(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    register_links(None, *WORLD_LINK)
    r = client.post("/api/v1/sessions", json={"locale": "zh-CN", "org": WORLD_LINK[0], "unit": WORLD_LINK[1]})
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    first = _raise(sid, "routine", PHQ9, "phq9", 14)
    assert _raise(sid, "high", GAD7, "gad7", 16) == first
    assert _row(first) == ("high", GAD7, "gad7", 16, "a-gad7")  # not GAD-7's reason beside PHQ-9's 14
    assert _raise(sid, "routine", PHQ9, "phq9", 11) == first  # a lower result changes nothing
    assert _row(first) == ("high", GAD7, "gad7", 16, "a-gad7")
    assert _raise(sid, "urgent", "mentioned a method or means", None, None) == first  # no result: the last one stays
    assert _row(first) == ("urgent", "mentioned a method or means", "gad7", 16, "a-gad7")
