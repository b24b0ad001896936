"""Serves the counsellor console: one HTML page and its own static files (no CDN, no inline script)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent / "static"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json"}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

router = APIRouter(tags=["web"], include_in_schema=False)


def _file(path: Path) -> FileResponse:
    return FileResponse(path, media_type=TYPES[path.suffix],
                        headers={**HEADERS, "Cache-Control": "no-cache"})


@router.get("/console")
def console_page() -> FileResponse:
    return _file(STATIC / "index.html")


@router.get("/console/static/{name:path}")
def console_static(name: str) -> FileResponse:
    """Only files that exist under static/ with a known type; nothing outside it."""
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC) or path.suffix not in TYPES or not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    return _file(path)
