"""The HR dashboard: /hr, its static files, its locale strings and ECharts from node_modules (never a CDN)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from app.config import ROOT

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
I18N = HERE / "i18n"
ECHARTS = ROOT / "node_modules" / "echarts" / "dist" / "echarts.min.js"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8"}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

router = APIRouter(tags=["web"], include_in_schema=False)


def _file(path: Path, cache: str = "no-cache") -> FileResponse:
    return FileResponse(path, media_type=TYPES[path.suffix], headers={**HEADERS, "Cache-Control": cache})


def _inside(base: Path, name: str) -> Path:
    """Only existing files of a known type under base; nothing outside it."""
    path = (base / name).resolve()
    if not path.is_relative_to(base) or path.suffix not in TYPES or not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    return path


@router.get("/hr")
def hr_page() -> FileResponse:
    return _file(STATIC / "index.html")


@router.get("/hr/static/{name:path}")
def hr_static(name: str) -> FileResponse:
    return _file(_inside(STATIC, name))


@router.get("/hr/i18n/{name}")
def hr_strings(name: str) -> FileResponse:
    return _file(_inside(I18N, name))


@router.get("/hr/vendor/echarts.min.js")
def echarts() -> FileResponse:
    if not ECHARTS.is_file():
        raise HTTPException(status_code=503, detail="echarts is not installed: run `npm ci` (scripts/setup.sh)")
    return _file(ECHARTS, "public, max-age=86400")
