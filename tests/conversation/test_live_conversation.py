"""The real Rasa 3.6.21 server through the app's API: every scale in both languages, buttons and words, back,
pause and resume across a Rasa restart, crisis mid-questionnaire, declined consent, a new scale without retraining."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlmodel import Session

from app.assessments.models import Answer, Assessment
from app.config import ROOT
from app.db import make_engine
from app.escalations.models import Escalation
from app.scales.registry import ScaleRegistry
from app.scales.scoring import score
from scripts.devstack import Stack
from tests.conversation.live_client import Employee

pytestmark = pytest.mark.rasa
SCALES = ScaleRegistry.from_dir(ROOT / "scales")
AGREE = {"zh-CN": "同意", "en": "I agree"}


def _db(stack: Stack) -> Session:
    return Session(make_engine(stack.settings.sqlalchemy_url))


def take(emp: Employee, scale_id: str, locale: str, seed: int) -> dict[int, int]:
    """Answer every item: even items by button, odd items by typing the option's label; returns what was meant."""
    scale = SCALES[scale_id]
    rng = random.Random(seed)
    emp.tap(scale.short_name)
    assert emp.progress == {"scale": scale_id, "answered": 0, "total": len(scale.items)}
    meant: dict[int, int] = {}
    for i, item in enumerate(scale.items):
        assert item.text.get(locale) in emp.text, emp.text
        assert [b["title"] for b in emp.buttons] == [o.label.get(locale) for o in scale.options]
        opt = rng.choice(scale.options)
        meant[item.number] = opt.value
        if i % 2 == 0:
            emp.tap(opt.label.get(locale))
        else:
            emp.send(text=opt.label.get(locale))
        assert emp.progress is not None and emp.progress["answered"] == i + 1, (opt.label.get(locale), emp.text)
    return meant


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("scale_id", ["phq9", "gad7", "pss10", "dass21"])
def test_every_scale_in_both_languages(live_url: str, scale_id: str, locale: str) -> None:
    emp = Employee(live_url, locale)
    emp.tap(AGREE[locale])
    meant = take(emp, scale_id, locale, seed=hash((scale_id, locale)) % 1000)
    expected = score(SCALES[scale_id], meant)
    card = next(m["card"] for m in emp.last if m.get("card") and m["card"]["type"] == "result")
    # The card leads with the part that sets the band: DASS-21 its most severe subscale, the others their total.
    lead = expected.total if expected.headline == "total" else expected.subscales[expected.headline]
    assert (card["headline"], card["score"], card["band"]) == (expected.headline, lead, expected.band.id)
    assert ("不是诊断" if locale == "zh-CN" else "not a diagnosis") in emp.text
    res = emp.results()[-1]
    assert (res["scale"], res["score"], res["band"], res["risk"]) == (scale_id, expected.total, expected.band.id,
                                                                      expected.risk)
    # Through the real Rasa server, what each turn answered is exactly what was stored, field for field.
    assert emp.said == [m for m in emp.history() if m["sender"] != "employee"]


def test_words_back_why_pause_and_resume_across_a_rasa_restart(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "zh-CN")
    emp.send(text="好的，我同意")
    emp.send(text="我最近心情低落")
    assert emp.progress and emp.progress["scale"] == "phq9"
    emp.send(text="差不多天天都这样")
    emp.send(text="一周有两三天吧")
    assert emp.progress and emp.progress["answered"] == 2
    emp.send(text="不是每天")
    assert emp.progress["answered"] == 2 and {b["title"] for b in emp.buttons} <= {"好几天", "一半以上的天数"}
    emp.tap("一半以上")
    emp.send(text="为什么问这个")
    assert emp.progress["answered"] == 3 and "第 4/9 题" in emp.text
    emp.send(text="上一题")
    assert emp.progress["answered"] == 2 and "第 3/9 题" in emp.text
    emp.tap("完全不会")  # replaces item 3's answer
    emp.send(text="暂停")
    assert "暂停" in emp.text
    live_stack.stop("rasa")
    live_stack.start_rasa()
    live_stack.wait_ready(timeout=240)
    emp.send(text="继续")
    assert emp.progress and emp.progress["answered"] == 3 and "第 4/9 题" in emp.text
    with _db(live_stack) as db:
        a = db.exec(select(Assessment).where(Assessment.session_id == emp.sid)).scalars().one()
        answers = {r.item_index + 1: r.value for r in db.exec(select(Answer).where(Answer.assessment_id == a.id))
                   .scalars()}
    assert answers == {1: 3, 2: 1, 3: 0}
    for _ in range(6):
        emp.tap("完全不会")
    assert emp.results()[-1]["score"] == 4


def test_english_words_and_stop(live_url: str) -> None:
    emp = Employee(live_url, "en")
    emp.send(text="yes, I agree")
    emp.send(text="I've been feeling really anxious")
    assert emp.progress and emp.progress["scale"] == "gad7"
    emp.send(text="nearly every day")
    emp.send(text="not at all")
    assert emp.progress["answered"] == 2
    emp.send(text="why do you ask")
    assert "Question 3 of 7" in emp.text
    emp.send(text="stop")
    assert emp.progress is None and emp.results() == []


def test_crisis_mid_questionnaire_escalates_urgently(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "zh-CN", org="acme", unit="plant-1")
    emp.tap("同意")
    emp.tap("GAD-7")
    emp.tap("好几天")
    emp.send(text="我真的不想活了")
    assert "tel:" in str([m.get("card") for m in emp.last]) and "12356" in emp.text
    emp.send(text="想结束自己的生命")  # the same episode: still one escalation
    with _db(live_stack) as db:
        escs = db.exec(select(Escalation).where(Escalation.session_id == emp.sid)).scalars().all()
    assert [(e.priority, e.status, e.org, e.unit) for e in escs] == [("urgent", "open", "acme", "plant-1")]
    # Until a counsellor resolves the case, every message is part of the crisis episode: lines first, no menu.
    assert emp.last[0]["kind"] == "crisis" and "12356" in emp.text and "GAD-7" not in emp.text
    with _db(live_stack) as db:
        a = db.exec(select(Assessment).where(Assessment.session_id == emp.sid)).scalars().one()
        answered = db.exec(select(func.count()).select_from(Answer).where(Answer.assessment_id == a.id)).scalar_one()
    assert (a.status, answered) == ("paused", 1)


def test_declined_consent_stores_no_answer(live_stack: Stack) -> None:
    emp = Employee(live_stack.app_url, "en")
    emp.tap("I decline")
    assert "12356" in emp.text
    emp.send(payload='/request_scale{"scale":"gad7"}')
    emp.send(text="nearly every day")
    assert emp.progress is None
    with _db(live_stack) as db:
        n = db.exec(select(func.count()).select_from(Assessment).where(Assessment.session_id == emp.sid)).scalar_one()
    assert n == 0


def test_a_new_scale_file_is_offered_without_retraining(live_stack: Stack, tmp_path: Path) -> None:
    scales = tmp_path / "scales"
    shutil.copytree(ROOT / "scales", scales)
    raw = yaml.safe_load((ROOT / "scales" / "gad7.yaml").read_text())
    raw.update(id="gad2", short_name="GAD-2", items=raw["items"][:2], risk_rules=[])
    raw["bands"] = [{"score": "total", "source": "Kroenke 2007 (GAD-2 cut point 3)", "bands": [
        {"id": "below", "min": 0, "max": 2, "label": {"zh-CN": "低于界值", "en": "Below cut-off"}},
        {"id": "above", "min": 3, "max": 6, "label": {"zh-CN": "高于界值", "en": "Above cut-off"}}]}]
    (scales / "gad2.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    model_before = sorted(p.name for p in live_stack.settings.rasa_models_dir.glob("*.tar.gz"))  # type: ignore[union-attr]
    live_stack.stop("app")
    live_stack.extra_env["XINAN_SCALES_DIR"] = str(scales)
    try:
        live_stack.start_app()
        live_stack.wait_ready()
        emp = Employee(live_stack.app_url, "en")
        emp.tap("I agree")
        emp.tap("GAD-2")
        assert emp.progress == {"scale": "gad2", "answered": 0, "total": 2}
        emp.tap("Nearly every day")
        emp.send(text="several days")
        assert emp.results()[-1]["scale"] == "gad2" and emp.results()[-1]["score"] == 4
        assert sorted(p.name for p in live_stack.settings.rasa_models_dir.glob("*.tar.gz")) == model_before  # type: ignore[union-attr]
    finally:
        live_stack.stop("app")
        live_stack.extra_env.pop("XINAN_SCALES_DIR")
        live_stack.start_app()
        live_stack.wait_ready()
