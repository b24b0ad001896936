"""The suite runs on the versions the lock files name (scripts/setup.sh installs with them as constraints), so
"the suite passed with the lock" holds, and a clean clone or an image build gets those versions too."""
from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata

import pytest

from app.config import ROOT

RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")


def _pins(path: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = PIN.match(line.strip())
        assert m, f"{path}: {line!r} is not an exact pin (name==version)"
        pins[_norm(m[1])] = m[2]
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_app_environment_is_the_locked_one() -> None:
    pins = _pins("requirements.lock")
    assert {"fastapi", "sqlmodel", "rasa-sdk", "pytest"} <= set(pins)
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {n: (v, installed.get(n)) for n, v in pins.items() if installed.get(n) != v}
    assert not wrong, f"installed versions differ from requirements.lock (pinned, installed): {wrong}; run make setup"


@pytest.mark.skipif(not RASA_PY.exists(), reason="no Rasa environment (.venv-rasa): run scripts/setup.sh")
def test_rasa_environment_is_the_locked_one() -> None:
    pins = _pins("dialogs/requirements.lock")
    assert pins.get("rasa") == "3.6.21"
    code = ("import json, importlib.metadata as m; "
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))")
    out = subprocess.run([str(RASA_PY), "-c", code], capture_output=True, text=True, check=True).stdout
    installed = {_norm(k): v for k, v in json.loads(out).items()}
    wrong = {n: (v, installed.get(n)) for n, v in pins.items() if installed.get(n) != v}
    assert not wrong, f"Rasa environment differs from dialogs/requirements.lock (pinned, installed): {wrong}"
