"""Data at rest: every command runs with umask 077, start-up makes the data dir 0700, and
`python -m app check` warns about anything in it another local user could read."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from app.config import ROOT


def _run(data: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINAN_")} | {"XINAN_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "app", *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_data_dir_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _run(data, "migrate").returncode == 0
    assert _run(data, "check").returncode == 0
    assert _mode(data) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"xinan.db", "encryption.keys", "token.pepper"}
    assert {p.name: oct(_mode(p)) for p in files if _mode(p) & 0o077} == {}


def test_check_warns_about_loose_modes_and_start_up_narrows_the_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _run(data, "migrate").returncode == 0
    data.chmod(0o755)
    (data / "xinan.db").chmod(0o644)
    out = _run(data, "check")
    assert out.returncode == 0, out.stderr
    assert "warning:" in out.stderr and "xinan.db is 0644" in out.stderr and "chmod" in out.stderr
    assert _mode(data) == 0o700  # the dir itself is narrowed at start, which hides every file in it
    (data / "xinan.db").chmod(0o600)
    assert "warning" not in _run(data, "check").stderr
