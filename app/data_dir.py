"""The data dir holds the SQLite stores, Rasa's tracker database, the keys and trained models: the owner's alone.
Every command sets umask 077 (app/__main__.py), start-up makes the dir 0700, and `python -m app check` warns about
anything in it that another local user could read."""
from __future__ import annotations

import os
import stat
from pathlib import Path


def secure(data_dir: Path) -> None:
    """Create the data dir 0700, or narrow an existing one we own (a 0700 dir hides every file in it)."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = data_dir.stat()
    if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & 0o077:
        data_dir.chmod(0o700)


def loose_modes(data_dir: Path) -> list[str]:
    """Every directory in the data dir (itself included) not 0700 and every file not 0600: what others may read."""
    if not data_dir.exists():
        return []
    found = []
    for path in [data_dir, *sorted(data_dir.rglob("*"))]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            found.append(f"{path} is {mode:04o} (others may read it; want {'0700' if path.is_dir() else '0600'})")
    return found
