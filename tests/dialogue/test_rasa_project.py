"""The Rasa project in dialogs/: its data validates, every test story (NLU and routing, zh-CN and English) passes
against the trained model, and it enumerates no scale, because scales are data read by the app alone."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from app.config import ROOT, Settings
from app.dialogue.rasa_process import DIALOGS, RASA_BIN, train
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


@pytest.mark.rasa
def test_every_test_story_passes_with_the_trained_model(tmp_path: Path) -> None:
    """--e2e makes Rasa classify each user text too; without it only the routing of the given intents is checked."""
    settings = Settings(data_dir=tmp_path / "var", rasa_models_dir=ROOT / "var" / "models")  # type: ignore[call-arg]
    model = train(settings)
    out = tmp_path / "results"
    proc = _rasa(["test", "core", "--e2e", "--model", str(model), "--stories", str(TEST_STORIES), "--out", str(out),
                  "--no-plot"], tmp_path, timeout=600)
    assert proc.returncode == 0, _tail(proc)

    failed_text = (out / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert not (yaml.safe_load(failed_text) or {}).get("stories"), failed_text

    stories = yaml.safe_load(TEST_STORIES.read_text(encoding="utf-8"))["stories"]
    user_turns = sum(1 for story in stories for step in story["steps"] if "intent" in step)
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    intents = yaml.safe_load((DIALOGS / "domain.yml").read_text(encoding="utf-8"))["intents"] + ["nlu_fallback"]
    assert report["conversation_accuracy"]["total"] == len(stories)
    assert report["conversation_accuracy"]["correct"] == len(stories)
    assert sum(report[name]["support"] for name in intents if name in report) == user_turns
    assert report["accuracy"] == 1.0


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
