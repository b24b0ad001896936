"""/docs and /redoc are served by the app itself (swagger-ui-dist, redoc from npm; FastAPI's self-hosting recipe)
with a CSP: on an offline intranet they render, and no page asks anything of a CDN."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.fakes import FakeRasa
from tests.web.browser import Requests, shot
from tests.web.conftest import PlainApp

PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect")
# ReDoc's bundle shows a "powered by" logo from its own CDN; the CSP (img-src 'self' data:) refuses it and ReDoc
# then leaves it out. It is the only request to another host either page attempts, and it never leaves the browser.
BRANDING = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize("path", PAGES)
def test_docs_pages_name_only_the_apps_own_files(app_client: tuple[TestClient, FakeRasa], path: str) -> None:
    client, _ = app_client
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text), "the page loads something from elsewhere"
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in \
        csp.split("script-src")[1].split(";")[0]
    for src in re.findall(r"""(?:src|href)=["']?(/docs/static/[^"' >]+)""", r.text):
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 500, src


def test_unknown_docs_assets_are_404(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    for name in ("../../app/config.py", "package.json", "swagger-ui-bundle.js.map"):
        assert client.get(f"/docs/static/{name}").status_code == 404


@pytest.mark.browser
@pytest.mark.parametrize(("path", "ready"), [("/docs", ".swagger-ui .opblock-tag"),
                                             ("/redoc", "[data-section-id^='tag/']")])
def test_docs_render_offline(browser: object, plain_app: PlainApp, path: str, ready: str) -> None:
    """In Chromium with every other host unreachable: the UI renders the API, with no CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    requests = Requests(context)
    problems: list[str] = []
    host = plain_app.url.split("//")[1]
    context.route(re.compile(r"^https?://(?!" + re.escape(host) + r").*"), lambda route: route.abort())
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(plain_app.url + path)
        page.wait_for_selector(ready, timeout=30_000)
        assert "Xin'an" in page.content()
        shot(page, f"docs{path.replace('/', '-')}")
    finally:
        context.close()
    requests.urls = [u for u in requests.urls if u != BRANDING]
    requests.assert_only(host)
    refused = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert [p for p in refused if BRANDING not in p] == [], problems
