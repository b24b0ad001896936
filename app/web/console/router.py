"""Serves the counsellor console: one HTML page and its own static files (no CDN, no inline script)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.web.staff_pages import file_response, inside

STATIC = Path(__file__).resolve().parent / "static"
router = APIRouter(tags=["web"], include_in_schema=False)


def _file(path: Path) -> FileResponse:
    return file_response(path)


@router.get("/console")
def console_page() -> FileResponse:
    return _file(STATIC / "index.html")


@router.get("/console/static/{name:path}")
def console_static(name: str) -> FileResponse:
    return _file(inside(STATIC, name))
