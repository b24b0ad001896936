"""What a bench reads of the machine's processes: CPU seconds and peak memory from /proc, and a free port."""
from __future__ import annotations

import os
import socket
from pathlib import Path


def proc_cpu(pid: int, children: bool = False) -> float:
    """User + system CPU seconds of a process (and of its children that have exited: a PostgreSQL backend's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # it exited meanwhile
        return 0.0
    return sum(int(f) for f in fields[11:15 if children else 13]) / os.sysconf("SC_CLK_TCK")


def pids_named(names: tuple[str, ...]) -> list[int]:
    """The machine's PostgreSQL and Redis processes (with --postgres the bench is their only client)."""
    pids = []
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and (d / "comm").read_text().strip() in names:
                pids.append(int(d.name))
        except OSError:
            continue
    return pids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident set since it started (monotonic, so read after each level)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
