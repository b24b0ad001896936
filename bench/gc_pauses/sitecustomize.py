"""Loaded by every Python process started with this folder on PYTHONPATH (load_bench.py --gc-pauses): records each
garbage collection's generation and pause, and writes them to $XINAN_GC_PAUSES_DIR/<pid>.json every second."""
from __future__ import annotations

import gc
import json
import os
import threading
import time

_DIR = os.environ.get("XINAN_GC_PAUSES_DIR")
_pauses: list[tuple[float, int, float]] = []  # (wall-clock end, generation, pause ms)
_started = [0.0]


def _record(phase: str, info: dict) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
    else:
        _pauses.append((time.time(), info["generation"], (time.perf_counter() - _started[0]) * 1000))


def _write_every_second() -> None:
    path = os.path.join(_DIR or "", f"{os.getpid()}.json")
    while True:
        time.sleep(1)
        with open(path + ".tmp", "w") as f:
            json.dump({"frozen": gc.get_freeze_count(), "pauses": _pauses[:]}, f)
        os.replace(path + ".tmp", path)


if _DIR:
    gc.callbacks.append(_record)
    threading.Thread(target=_write_every_second, daemon=True, name="gc-pauses").start()
