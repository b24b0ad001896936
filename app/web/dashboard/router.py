"""The HR dashboard: /hr, the unit poster page /hr/poster, a share link's read-only page /hr/shared/{token}, their
static files, locale strings and ECharts from node_modules (never a CDN)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from app.campaigns.shares import shared_campaign
from app.config import ROOT
from app.db import session_scope
from app.deps import get_rt
from app.runtime import Runtime
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


@router.get("/hr/shared/{token}")
def shared_page(token: str, rt: Annotated[Runtime, Depends(get_rt)]) -> FileResponse:
    """A share link's read-only participation page; a revoked, expired or unknown link gets the same page with 404,
    and its script says the link is no longer available. Never indexed, never cached."""
    with session_scope() as db:
        live = shared_campaign(db, rt.pepper, token) is not None
    response = _file(STATIC / "shared.html", "no-store")
    response.status_code = 200 if live else 404
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


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
