"""Trained model files named by a hash of their data (Rasa's model, the crisis classifier): built once."""
from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path


def build_once(path: Path, build: Callable[[Path], None], stale_glob: str) -> Path:
    """Build `path` unless it exists; one builder at a time (others wait, then reuse it). Files of older data
    matching `stale_glob` beside it are removed once the new one is in place."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return path
        build(path)
        for old in path.parent.glob(stale_glob):
            if old != path:
                old.unlink(missing_ok=True)
    return path
