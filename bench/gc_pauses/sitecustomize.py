"""Loaded by every Python process started with this folder on PYTHONPATH (load_bench.py --gc-pauses): appends each
garbage collection's end time, generation and pause to $XINAN_GC_PAUSES_DIR/<pid>.txt (a buffered write per
collection, flushed once a second, so the probe itself costs the process next to nothing)."""
from __future__ import annotations

import gc
import os
import threading
import time

_DIR = os.environ.get("XINAN_GC_PAUSES_DIR")
_started = [0.0]


def _record(phase: str, info: dict) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
    else:
        _out.write(f"{time.time():.3f} {info['generation']} {(time.perf_counter() - _started[0]) * 1000:.3f} "
                   f"{gc.get_freeze_count()}\n")


def _flush_every_second() -> None:
    while True:
        time.sleep(1)
        _out.flush()


if _DIR:
    _out = open(os.path.join(_DIR, f"{os.getpid()}.txt"), "a", buffering=1 << 16)  # noqa: SIM115 (process-long)
    gc.callbacks.append(_record)
    threading.Thread(target=_flush_every_second, daemon=True, name="gc-pauses").start()
