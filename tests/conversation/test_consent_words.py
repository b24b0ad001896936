"""Typed replies to the consent question: explicit words decide, whatever the model read (consent_words.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.conversation.consent_words import ConsentWords, read_consent
from app.db import session_scope
from app.language.data_file import DataFileError, load_data_file
from app.sessions.models import EmployeeSession
from tests.fakes import FakeRasa
from tests.sessions.test_employee_api import _send, _start


def _consent(sid: str) -> str | None:
    with session_scope() as db:
        return db.get(EmployeeSession, sid).consent


@pytest.mark.parametrize("text", ["yes, I agree", "Yes, I agree.", "YES  I AGREE!", "I consent", "Agreed.",
                                  "好的，我同意", "同意！", "我 同意", "同意。", "I agree 🙂"])
def test_explicit_agreement_is_agreement(text: str) -> None:
    assert read_consent(text) == "agree"


@pytest.mark.parametrize("text", ["I don't agree", "I do not agree.", "no, I don't accept", "我不同意！", "不同意",
                                  "拒绝", "I disagree"])
def test_explicit_refusal_is_refusal(text: str) -> None:
    assert read_consent(text) == "decline"


@pytest.mark.parametrize("text", ["哦", "随便", "whatever", "I agree that this is pointless", "同意吗？你们存什么",
                                  "", "   ", "agree?? what do you store", "我同意不了"])
def test_anything_else_is_left_to_rasa(text: str) -> None:
    assert read_consent(text) is None


def test_a_phrase_under_both_answers_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "consent.yaml"
    bad.write_text("agree: {en: ['I agree']}\ndecline: {en: ['i agree!']}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="both agree and decline"):
        load_data_file(bad, ConsentWords)


@pytest.mark.parametrize(("locale", "text", "thanks"), [("en", "Yes, I agree.", "Thank you for trusting us"),
                                                        ("zh-CN", "好的，我同意！", "谢谢你的信任")])
def test_typed_agreement_is_consent_when_the_model_misreads_it(app_client: tuple[TestClient, FakeRasa],
                                                               locale: str, text: str, thanks: str) -> None:
    client, fake = app_client
    sid, auth, _ = _start(client, locale)
    status, msgs = _send(client, sid, auth, text=text)
    assert fake.calls[-1] == text  # the fake model read these words as "answer" at 0.5, not as agreement
    assert status == 200 and thanks in msgs[0]["text"], msgs
    assert _consent(sid) == "agreed"


def test_typed_refusal_stores_nothing(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    sid, auth, _ = _start(client, "en")
    _send(client, sid, auth, text="No, I don't accept.")
    assert _consent(sid) == "declined"
