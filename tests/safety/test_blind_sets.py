"""The blind sets the crisis decision is measured on (bench/crisis_sets.py): each is large enough, none overlaps what
the decision learnt from, and each has its first run kept, unchanged, for every message."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import app.safety.classifier as classifier
from bench.crisis_sets import Item, Run, SetError, load_first_run, load_set, load_sets, overlaps, retire, save_first_run


def test_every_set_is_large_enough_and_has_its_first_run() -> None:
    for s in load_sets():  # none between a set joining the training data and the next one
        assert sum(i.crisis for i in s.items) >= 150, s.path.name
        assert sum(not i.crisis for i in s.items) >= 150, s.path.name
        assert {i.lang for i in s.items} == {"zh", "en"}, s.path.name
        first = load_first_run(s)
        assert first is not None, f"{s.path.name} has no first run"
        assert set(first.outcomes) <= {"urgent", "ask", "none"}


def test_no_set_overlaps_the_training_data_rasa_or_the_lexicon() -> None:
    assert overlaps(load_sets()) == []


def test_the_overlap_check_catches_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "set_99.yaml"
    path.write_text('set: 99\nmessages:\n  - {"text": "今天加班到十点", "lang": "zh", "expect": "ordinary"}\n',
                    encoding="utf-8")
    s = load_set(path)
    s.items.append(Item("我已经把安眠药攒够了", "zh", True, "method"))  # a training example, written the other way
    s.items.append(Item("hello", "en", False, "everyday"))  # one of Rasa's NLU examples
    s.items.append(Item("我 已经把 安眠药攒够了 ", "zh", True, "method"))  # the same after normalisation
    assert {text for _, text in overlaps([s])} == {"我已经把安眠药攒够了", "hello", "我 已经把 安眠药攒够了 "}


def test_retiring_a_set_moves_it_into_the_training_data_with_its_provenance(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "TRAINING_DIR", tmp_path / "training")
    (tmp_path / "training").mkdir()
    path = tmp_path / "set_98.yaml"
    path.write_text('set: 98\nangle: "night shifts"\nmessages:\n'
                    '  - {"text": "天台风好大", "lang": "zh", "expect": "crisis", "category": "method", '
                    '"before": ["不想撑了"]}\n'
                    '  - {"text": "累死了", "lang": "zh", "expect": "ordinary", "category": "hyperbole"}\n',
                    encoding="utf-8")
    s = load_set(path)
    with pytest.raises(SetError):  # never before its first run is kept
        retire(s)
    save_first_run(s, Run(["ask", "none"], [{}, {}], "abc1234", "2026-12-04"))
    target = retire(s)
    assert not path.exists() and not s.first_run_path.exists()
    text = target.read_text(encoding="utf-8")
    assert "blind set 98" in text and "abc1234 (2026-12-04)" in text and "Angle: night shifts" in text
    messages = yaml.safe_load(text)["messages"]
    assert messages == [
        {"text": "天台风好大", "lang": "zh", "label": "crisis", "category": "method", "before": ["不想撑了"]},
        {"text": "累死了", "lang": "zh", "label": "ordinary", "category": "hyperbole"},
    ]
