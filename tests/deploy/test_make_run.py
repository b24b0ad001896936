"""`make run`, one of README's two commands, serves the widget and stops cleanly on Ctrl-C: its recipe is run as make
runs it (from the repo root, the Makefile's own command line) on free ports and a throw-away data dir."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from app.config import ROOT
from tests.conftest import free_port


def run_recipe() -> str:
    """The shell line of the Makefile's `run` target (its `setup` prerequisite already ran for the suite)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert m, "Makefile has no run target"
    lines = [line.strip().lstrip("@") for line in m.group(1).splitlines()]
    assert len(lines) == 1, lines
    return lines[0]


def test_make_run_serves_the_widget_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port, rasa_port = free_port(), free_port()
    env = {**os.environ, "XINAN_PORT": str(port), "XINAN_RASA_URL": f"http://127.0.0.1:{rasa_port}",
           "XINAN_DATA_DIR": str(tmp_path / "var"), "XINAN_RASA_MODELS_DIR": str(ROOT / "var" / "models")}
    proc = subprocess.Popen(shlex.split(run_recipe()), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            if "Xin'an is ready" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(180), "".join(output[-30:])
        url = f"http://127.0.0.1:{port}"
        assert f"{url}/chat" in "".join(output)
        assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200
        page = httpx.get(f"{url}/chat", timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal reaches the whole foreground group
        assert proc.wait(60) == 0, "".join(output[-30:])
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    reader.join(10)
    assert "==> stopping" in "".join(output)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # both servers gone: their ports answer nothing
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except httpx.TransportError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the app still answers after Ctrl-C")
    try:
        httpx.get(f"http://127.0.0.1:{rasa_port}/", timeout=1)
        raise AssertionError("Rasa still answers after Ctrl-C")
    except httpx.TransportError:
        pass
