"""Loaded by the app when app_overhead_bench.py --cprofile starts it with this folder on PYTHONPATH: SIGUSR1 starts
a cProfile of the event-loop thread, the next SIGUSR1 stops it and writes it to $XINAN_CPROFILE_OUT, so the bench
can profile the turns of one path at a time (py-spy samples cannot say which path a sample belongs to)."""
from __future__ import annotations

import cProfile
import os
import signal
from types import FrameType

_OUT = os.environ.get("XINAN_CPROFILE_OUT")
_profile: list[cProfile.Profile] = []


def _toggle(_signum: int, _frame: FrameType | None) -> None:
    if _profile:
        p = _profile.pop()
        p.disable()
        p.dump_stats(f"{_OUT}.part")
        os.replace(f"{_OUT}.part", _OUT)  # the bench waits for the file: it appears whole
    else:
        _profile.append(cProfile.Profile())
        _profile[0].enable()


if _OUT:
    signal.signal(signal.SIGUSR1, _toggle)
