"""For tests that make counsellors through the CLI: the root centre whose counsellors see unserved cases."""
from __future__ import annotations

import subprocess
import sys

from app.config import ROOT


def root_centre_args(env: dict[str, str]) -> list[str]:
    """Make the root centre "city" with the CLI (exit 1 when it exists already) and return the `users create`
    arguments that put an account in it."""
    subprocess.run([sys.executable, "-m", "app", "centres", "create", "--id", "city", "--name", "City"], cwd=ROOT,
                   env=env, capture_output=True, text=True, timeout=120)
    return ["--centre", "city"]
