"""The suite runs on the versions the lock files name (scripts/setup.sh installs with them as constraints), so
"the suite passed with the lock" holds, and a clean clone or an image build gets those versions too."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from app.config import ROOT

RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")
LIST_INSTALLED = ("import json, importlib.metadata as m; "
                  "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))")


def _pins(path: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = PIN.match(line.strip())
        assert m, f"{path}: {line!r} is not an exact pin (name==version)"
        pins[canonicalize_name(m[1])] = m[2]
    return pins


def _differences(path: str, python: Path) -> dict[str, tuple[str, str | None]]:
    """(pinned, installed) of each package of the lock file that `python`'s environment has at another version."""
    out = subprocess.run([str(python), "-c", LIST_INSTALLED], capture_output=True, text=True, check=True).stdout
    installed = {canonicalize_name(k): v for k, v in json.loads(out).items()}
    return {n: (v, installed.get(n)) for n, v in _pins(path).items() if installed.get(n) != v}


def test_app_environment_is_the_locked_one() -> None:
    assert {"fastapi", "sqlmodel", "rasa-sdk", "pytest"} <= set(_pins("requirements.lock"))
    wrong = _differences("requirements.lock", Path(sys.executable))
    assert not wrong, f"installed versions differ from requirements.lock (pinned, installed): {wrong}; run make setup"


@pytest.mark.skipif(not RASA_PY.exists(), reason="no Rasa environment (.venv-rasa): run scripts/setup.sh")
def test_rasa_environment_is_the_locked_one() -> None:
    assert _pins("dialogs/requirements.lock").get("rasa") == "3.6.21"
    wrong = _differences("dialogs/requirements.lock", RASA_PY)
    assert not wrong, f"Rasa environment differs from dialogs/requirements.lock (pinned, installed): {wrong}"
