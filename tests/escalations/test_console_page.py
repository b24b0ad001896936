"""The console page: served by the app with a strict CSP, no inline script, no CDN, every string in both locales."""
from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.fakes import FakeRasa

STATIC = Path(__file__).resolve().parents[2] / "app" / "web" / "console" / "static"


def test_page_and_assets_are_served_with_security_headers(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    r = client.get("/console")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    for src in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        a = client.get(src)
        assert a.status_code == 200 and a.headers["x-content-type-options"] == "nosniff", src
    for name in ("console.js", "api.js", "detail.js", "i18n/zh-CN.json", "i18n/en.json"):
        assert client.get(f"/console/static/{name}").status_code == 200
    assert client.get("/console/static/../router.py").status_code == 404
    assert client.get("/console/static/%2e%2e/router.py").status_code == 404
    assert client.get("/console/static/nope.js").status_code == 404


def test_no_inline_script_no_cdn_and_complete_translations() -> None:
    html = (STATIC / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "style=" not in html
    texts = {p.name: p.read_text() for p in STATIC.rglob("*") if p.suffix in (".html", ".js", ".css")}
    for name, text in texts.items():
        assert not re.search(r"https?://", text), f"{name} refers to another origin"
    zh = json.loads((STATIC / "i18n" / "zh-CN.json").read_text())
    en = json.loads((STATIC / "i18n" / "en.json").read_text())
    assert set(zh) == set(en)
    used = set(re.findall(r'data-i18n(?:-placeholder)?="([a-z_]+)"', html))
    for text in texts.values():
        used |= set(re.findall(r'\bt\("([a-z_]+)"', text))
    dynamic = {f"{p}_{v}" for p, vs in {"priority": ("urgent", "high", "routine"),
                                        "status": ("open", "claimed", "resolved", "withdrawn"),
                                        "sender": ("employee", "bot", "counsellor", "system"),
                                        "source": ("risk_rule", "crisis_decision", "dialogue", "request"),
                                        "outcome": ("contacted", "referred_medical", "self_help", "no_response",
                                                    "other"),
                                        "tl": ("unclaimed", "out_of_hours", "transfer", "root_realert")}.items()
               for v in vs}
    missing = (used | dynamic) - set(zh)
    assert not missing, missing
    assert all(zh[k].strip() and en[k].strip() for k in zh if k != "col_action")
