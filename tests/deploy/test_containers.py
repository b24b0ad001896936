"""Docker cannot run here, so the Dockerfile and compose.yaml are kept honest by reading them: every image target,
service, port, mounted file, COPY source and XINAN_ setting they name must exist."""
from __future__ import annotations

import re
import subprocess

import yaml

from app.config import ROOT, Settings

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]


def _env(service: dict) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def test_compose_runs_the_promised_topology() -> None:
    assert {"postgres", "redis", "app1", "app2", "rasa1", "rasa2", "proxy"} <= set(SERVICES)
    targets = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", DOCKERFILE, re.M))
    for name, svc in SERVICES.items():
        if "build" in svc:
            assert svc["build"]["target"] in targets, name
    built = [SERVICES[n]["build"]["target"] for n in ("app1", "app2", "rasa1", "rasa2")]
    assert built == ["app", "app", "rasa", "rasa"]


def test_every_xinan_setting_in_compose_exists() -> None:
    fields = {f"XINAN_{name.upper()}" for name in Settings.model_fields}
    for name in ("app1", "app2"):
        unknown = {k for k in _env(SERVICES[name]) if k.startswith("XINAN_")} - fields
        assert not unknown, f"{name}: {unknown} are not Settings fields"
    rasa_env = set(_env(SERVICES["rasa1"]))
    endpoints = (ROOT / "deploy" / "rasa-endpoints.yml").read_text()
    assert set(re.findall(r"\$\{(\w+)\}", endpoints)) <= rasa_env
    credentials = (ROOT / "dialogs" / "credentials.yml").read_text()
    assert set(re.findall(r"\$\{(\w+)\}", credentials)) <= rasa_env  # the app channel's secret reaches Rasa


def test_no_secret_on_a_command_line_and_no_rasa_http_api() -> None:
    """`ps` shows every process's command line to every local user; Rasa serves only the app's channel."""
    rasa_cmd = next(line for line in DOCKERFILE.split("AS rasa\n")[1].splitlines() if line.startswith("CMD"))
    assert "--auth-token" not in rasa_cmd and "--enable-api" not in rasa_cmd and "$XINAN" not in rasa_cmd
    for svc in SERVICES.values():
        assert "$" not in " ".join(map(str, svc.get("command") or [])), svc
    assert "chmod 0700 /data" in DOCKERFILE and "umask 077" in rasa_cmd


def test_ports_and_upstreams_line_up() -> None:
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    app_port = re.search(r"EXPOSE (\d+)", DOCKERFILE.split("AS app")[1]).group(1)  # type: ignore[union-attr]
    rasa_port = re.search(r"EXPOSE (\d+)", DOCKERFILE.split("AS rasa\n")[1]).group(1)  # type: ignore[union-attr]
    assert f"server app1:{app_port}" in nginx and f"server app2:{app_port}" in nginx
    assert f"server rasa1:{rasa_port}" in nginx and f"server rasa2:{rasa_port}" in nginx
    assert _env(SERVICES["app1"])["XINAN_RASA_URL"] == "http://proxy:5005" and "listen 5005" in nginx
    assert _env(SERVICES["rasa1"])["XINAN_ACTION_URL"] == "http://proxy:80/webhook" and "listen 80" in nginx
    assert "access_log off" in nginx  # no client addresses in the proxy's logs either


def test_mounted_and_copied_files_exist() -> None:
    for svc in SERVICES.values():
        for vol in svc.get("volumes") or []:
            src = vol.split(":")[0]
            if src.startswith("./"):
                assert (ROOT / src).exists(), src
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split())
    for line in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, re.M):
        for src in line.split()[:-1]:
            assert (ROOT / src).exists(), f"COPY {src} names a missing file"
            assert src.rstrip("/") in tracked or any(t.startswith(src.rstrip("/") + "/") for t in tracked), \
                f"COPY {src} is not committed, so a clean clone cannot build it"
