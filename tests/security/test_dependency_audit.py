"""pip-audit of both virtualenvs (the app's and Rasa's) against the Python advisory database.

Skips, saying why, when pip-audit is missing or no dependency could be looked up (offline, or an index without the
PyPI JSON API). A finding fails the test unless ACCEPTED names it with the reason it is accepted.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from app.config import ROOT

PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
# advisory id (or alias) → why it is accepted; keep each entry until the pinned dependency can move.
ACCEPTED: dict[str, str] = {}


def _site_packages(venv: str) -> Path:
    found = sorted((ROOT / venv / "lib").glob("python3.*/site-packages"))
    if not found:
        pytest.skip(f"{venv} is not set up")
    return found[0]


@pytest.mark.audit
@pytest.mark.parametrize("venv", [".venv", ".venv-rasa"])
def test_no_unaccepted_vulnerabilities(venv: str) -> None:
    if not PIP_AUDIT.exists():
        pytest.skip("pip-audit is not installed in .venv (it belongs to the test extras)")
    proc = subprocess.run([str(PIP_AUDIT), "--progress-spinner", "off", "-f", "json", "--path",
                           str(_site_packages(venv))], capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        pytest.skip(f"pip-audit could not reach the advisory database: {proc.stderr.strip().splitlines()[-1:]}")
    deps = json.loads(proc.stdout)["dependencies"]
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        pytest.skip(f"the package index answered no vulnerability lookup ({len(deps)} dependencies skipped, e.g. "
                    f"{deps[0].get('skip_reason') if deps else 'none'})")
    findings = {f"{d['name']} {d['version']}: {v['id']}": {v["id"], *v.get("aliases", [])}
                for d in audited for v in d.get("vulns", [])}
    unaccepted = sorted(name for name, ids in findings.items() if not ids & ACCEPTED.keys())
    assert not unaccepted, f"{venv}: vulnerabilities neither fixed nor accepted: {unaccepted}"
