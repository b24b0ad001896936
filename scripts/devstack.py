"""Runs Rasa and the app together as child processes: `make run` (scripts/run.py), the live test fixtures and
the benches. A development tool, so it lives outside the app package (and the image)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.config import ROOT, Settings
from app.rasa.process import rasa_command, rasa_env, train


@dataclass
class Stack:
    settings: Settings
    app_port: int
    rasa_port: int
    host: str = "127.0.0.1"
    log_dir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def app_url(self) -> str:
        return f"http://{self.host}:{self.app_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    def _env(self) -> dict[str, str]:
        env = rasa_env(self.settings, self.app_url)
        env.update({"XINAN_DATA_DIR": str(self.settings.resolved_data_dir), "XINAN_RASA_URL": self.rasa_url,
                    "XINAN_HOST": self.host, "XINAN_PORT": str(self.app_port), "PYTHONUNBUFFERED": "1"})
        if self.settings.rasa_models_dir:
            env["XINAN_RASA_MODELS_DIR"] = str(self.settings.rasa_models_dir)
        if self.settings.database_url:
            env["XINAN_DATABASE_URL"] = self.settings.database_url
        if self.settings.redis_url:
            env["XINAN_REDIS_URL"] = self.settings.redis_url
        env.update(self.extra_env)
        return env

    def _out(self, name: str) -> int | None:
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return os.open(self.log_dir / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def start_rasa(self) -> None:
        train(self.settings)
        out = self._out("rasa")
        self.procs["rasa"] = subprocess.Popen(rasa_command(self.settings, self.rasa_port, self.host),
                                              cwd=ROOT / "dialogs", env=self._env(), stdout=out, stderr=out,
                                              start_new_session=True, umask=0o077)

    def start_app(self) -> None:
        out = self._out("app")
        self.procs["app"] = subprocess.Popen([sys.executable, "-m", "app", "serve"], cwd=ROOT, env=self._env(),
                                             stdout=out, stderr=out, start_new_session=True, umask=0o077)

    def wait_ready(self, timeout: float = 180, path: str = "/readyz") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {p.returncode} during start-up")
            try:
                if httpx.get(f"{self.app_url}{path}", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"the stack was not ready within {timeout:.0f} s")

    def stop(self, name: str | None = None) -> None:
        for n in [name] if name else list(self.procs):
            p = self.procs.pop(n, None)
            if p is None or p.poll() is not None:
                continue
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)

    def kill(self, name: str) -> None:
        p = self.procs.pop(name, None)
        if p is not None and p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(5)
