"""/docs (Swagger UI) and /redoc served by the app itself from npm packages (swagger-ui-dist, redoc) with FastAPI's
self-hosting recipe: an offline intranet sees them, no page loads anything from a CDN, and a CSP says so. FastAPI's
pages start the UI with a small inline script: the CSP allows exactly that script by its hash, nothing else."""
from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, HTTPException
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from app.config import ROOT

NODE = ROOT / "node_modules"
ASSETS = {"swagger-ui-bundle.js": NODE / "swagger-ui-dist" / "swagger-ui-bundle.js",
          "swagger-ui.css": NODE / "swagger-ui-dist" / "swagger-ui.css",
          "favicon-32x32.png": NODE / "swagger-ui-dist" / "favicon-32x32.png",
          "redoc.standalone.js": NODE / "redoc" / "bundles" / "redoc.standalone.js"}
STATIC = "/docs/static"
TITLE = "Xin'an 心安 API"
router = APIRouter(include_in_schema=False)
_INLINE = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _page(response: HTMLResponse) -> HTMLResponse:
    """The page with a CSP allowing its own inline scripts (by hash) and the app's own files only."""
    html = bytes(response.body).decode("utf-8")
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in _INLINE.findall(html))
    response.headers["Content-Security-Policy"] = "; ".join([
        "default-src 'self'", f"script-src 'self' {hashes}".rstrip(),
        "style-src 'self' 'unsafe-inline'",  # both UIs set styles at run time
        "img-src 'self' data:", "font-src 'self' data:", "worker-src 'self' blob:", "connect-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"])
    response.headers["X-Frame-Options"] = "DENY"
    return response


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return _page(get_swagger_ui_html(
        openapi_url="/openapi.json", title=f"{TITLE} — Swagger UI", oauth2_redirect_url="/docs/oauth2-redirect",
        swagger_js_url=f"{STATIC}/swagger-ui-bundle.js", swagger_css_url=f"{STATIC}/swagger-ui.css",
        swagger_favicon_url=f"{STATIC}/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None}))  # no badge fetched from validator.swagger.io


@router.get("/docs/oauth2-redirect")
def swagger_ui_redirect() -> HTMLResponse:
    return _page(get_swagger_ui_oauth2_redirect_html())


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return _page(get_redoc_html(openapi_url="/openapi.json", title=f"{TITLE} — ReDoc",
                                redoc_js_url=f"{STATIC}/redoc.standalone.js",
                                redoc_favicon_url=f"{STATIC}/favicon-32x32.png", with_google_fonts=False))


@router.get(STATIC + "/{name}")
def asset(name: str) -> FileResponse:
    path = ASSETS.get(name)
    if path is None:
        raise HTTPException(status_code=404, detail="not found")
    if not path.is_file():
        raise HTTPException(status_code=503, detail=f"{name} is not installed: run `npm ci` (scripts/setup.sh)")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"})
