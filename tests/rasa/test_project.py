"""The Rasa project in dialogs/: its data validates, every test story routes as written, the trained model reads
the stories' texts (zh-CN and English) within a bound, and it enumerates no scale, because scales are data read by
the app alone."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from app.config import ROOT, Settings
from app.rasa.process import DIALOGS, RASA_BIN, train
from app.scales.registry import ScaleRegistry

TEST_STORIES = DIALOGS / "tests" / "test_stories.yml"
KNOWN_SCALE_IDS = ("phq9", "gad7", "pss10", "dass21")


def _rasa(args: list[str], tmp_path: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Runs the Rasa CLI offline; endpoints.yml needs its variables set even though no action is called."""
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "XINAN_ACTION_URL": "http://127.0.0.1:9/webhook",
                "XINAN_ACTION_TOKEN": "unused-in-tests", "XINAN_RASA_TRACKER_DB": str(tmp_path / "tracker.db")})
    return subprocess.run([str(RASA_BIN), *args], cwd=DIALOGS, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _tail(proc: subprocess.CompletedProcess[str]) -> str:
    return f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"


@pytest.mark.rasa
def test_rasa_data_validates_without_warnings(tmp_path: Path) -> None:
    proc = _rasa(["data", "validate", "--fail-on-warnings"], tmp_path, timeout=300)
    assert proc.returncode == 0, _tail(proc)


def _test_stories(tmp_path: Path, e2e: bool) -> Path:
    settings = Settings(data_dir=tmp_path / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    model = train(settings)
    out = tmp_path / "results"
    proc = _rasa(["test", "core", *(["--e2e"] if e2e else []), "--model", str(model), "--stories", str(TEST_STORIES),
                  "--out", str(out), "--no-plot"], tmp_path, timeout=600)
    assert proc.returncode == 0, _tail(proc)
    return out


@pytest.mark.rasa
def test_every_test_story_routes_each_intent_to_its_action(tmp_path: Path) -> None:
    """The rules, given each story's intents: deterministic, so every story must pass."""
    out = _test_stories(tmp_path, e2e=False)
    failed_text = (out / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert not (yaml.safe_load(failed_text) or {}).get("stories"), failed_text
    stories = yaml.safe_load(TEST_STORIES.read_text(encoding="utf-8"))["stories"]
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    assert report["conversation_accuracy"]["correct"] == report["conversation_accuracy"]["total"] == len(stories)


# DIET's training is not bit-for-bit repeatable across runs and machines: retrained on unchanged data, a model has
# read one or two of these texts as a neighbouring intent. The crisis decision and the typed answers never rely on
# Rasa's intent alone (README, "The crisis decision"), so a bound, not perfection, is what is asked of it here.
MAX_MISREAD = 3


@pytest.mark.rasa
def test_rasa_reads_the_test_story_texts(tmp_path: Path) -> None:
    """--e2e makes Rasa classify each user text of the stories (zh-CN and English)."""
    out = _test_stories(tmp_path, e2e=True)
    stories = yaml.safe_load(TEST_STORIES.read_text(encoding="utf-8"))["stories"]
    user_turns = sum(1 for story in stories for step in story["steps"] if "intent" in step)
    failed_text = (out / "failed_test_stories.yml").read_text(encoding="utf-8")
    misread = [line.strip() for line in failed_text.splitlines() if re.match(r"\s*- intent: \S+\s+# predicted:", line)]
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    intents = yaml.safe_load((DIALOGS / "domain.yml").read_text(encoding="utf-8"))["intents"] + ["nlu_fallback"]
    assert sum(report[name]["support"] for name in intents if name in report) == user_turns
    assert len(misread) <= MAX_MISREAD, f"{len(misread)} of {user_turns} texts misread:\n" + "\n".join(misread)


def _scale_strings() -> set[str]:
    """Every scale id, short name, name and item text (all locales) that the dialogue data must never mention."""
    strings = set(KNOWN_SCALE_IDS)
    for scale in ScaleRegistry.from_dir(ROOT / "scales").all():
        strings |= {scale.id, scale.short_name, scale.names.zh_CN, scale.names.en}
        for item in scale.items:
            strings |= {item.text.zh_CN, item.text.en}
    return {s.casefold() for s in strings}


def test_dialogue_data_mentions_no_scale_id_or_item_text() -> None:
    strings = _scale_strings()
    assert len(strings) > len(KNOWN_SCALE_IDS), "no scale file was read from scales/"
    files = [DIALOGS / "domain.yml", *sorted((DIALOGS / "data").glob("*.yml"))]
    assert len(files) >= 3
    found = {
        f"{path.relative_to(ROOT)}: {s!r}"
        for path in files
        for s in strings
        if s in path.read_text(encoding="utf-8").casefold()
    }
    assert not found, f"scales are data, not dialogue training data: {sorted(found)}"
