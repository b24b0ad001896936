"""The crisis classifier's one-message path (app/safety/classifier.py) on a model fitted to a handful of examples:
it must score exactly as scikit-learn's predict_proba. Its figures on held-out data come from
bench/crisis_model_cv.py."""
from __future__ import annotations

from app.safety.classifier import CrisisClassifier, Example, fit, prepare

EXAMPLES = [
    Example("我真的不想活了", True, "zh", "explicit", "t"),
    Example("安眠药我已经攒够了", True, "zh", "method", "t"),
    Example("I want to kill myself tonight", True, "en", "explicit", "t"),
    Example("今天又加班到十点", False, "zh", "work_stress", "t"),
    Example("食堂的饭太难吃了", False, "zh", "everyday", "t"),
    Example("the build is broken again", False, "en", "tech_games", "t"),
]


def test_the_one_message_path_equals_scikit_learns_predict_proba() -> None:
    model = fit(EXAMPLES)
    c = CrisisClassifier(model)
    texts = [prepare(t) for t in ("我不想活了", "今天加班", "kill myself", "😂😂", "a", "食堂 the build 想死吗", "z")]
    for text, p in zip(texts, model.predict_proba(texts)[:, 1], strict=True):
        assert abs(c.score(text) - p) < 1e-9, text


def test_scores_rank_its_examples_and_are_remembered_until_forgotten() -> None:
    c = CrisisClassifier(fit(EXAMPLES))
    crisis = min(c.score(e.text) for e in EXAMPLES if e.crisis)
    assert crisis > max(c.score(e.text) for e in EXAMPLES if not e.crisis)
    assert c.score("") == 0.0
    assert len(c._cache) == len(EXAMPLES)
    c.forget()
    assert not c._cache
