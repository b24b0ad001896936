"""The HR dashboard: /hr, the unit poster page /hr/poster, their static files, locale strings and ECharts from
node_modules (never a CDN)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from app.config import ROOT
from app.web.staff_pages import file_response, inside

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
I18N = HERE / "i18n"
ECHARTS = ROOT / "node_modules" / "echarts" / "dist" / "echarts.min.js"
router = APIRouter(tags=["web"], include_in_schema=False)


def _file(path: Path, cache: str = "no-cache") -> FileResponse:
    return file_response(path, cache=cache, img_src="'self' data: blob:")


@router.get("/hr")
def hr_page() -> FileResponse:
    return _file(STATIC / "index.html")


@router.get("/hr/poster")
def poster_page() -> FileResponse:
    """A unit's printable A4 QR poster (?org=…&unit=…); its data comes from the scoped poster API."""
    return _file(STATIC / "poster.html")


@router.get("/hr/static/{name:path}")
def hr_static(name: str) -> FileResponse:
    return _file(inside(STATIC, name))


@router.get("/hr/i18n/{name}")
def hr_strings(name: str) -> FileResponse:
    return _file(inside(I18N, name))


@router.get("/hr/vendor/echarts.min.js")
def echarts() -> FileResponse:
    if not ECHARTS.is_file():
        raise HTTPException(status_code=503, detail="echarts is not installed: run `npm ci` (scripts/setup.sh)")
    return _file(ECHARTS, "public, max-age=86400")
