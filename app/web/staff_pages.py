"""Static staff pages (console, HR dashboard): a strict CSP that forbids framing, and no file outside its folder."""
from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8"}


def headers(img_src: str = "'self' data:") -> dict[str, str]:
    return {
        "Content-Security-Policy": f"default-src 'self'; img-src {img_src}; base-uri 'none'; form-action 'self'; "
                                   "frame-ancestors 'none'; object-src 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


def file_response(path: Path, *, cache: str = "no-cache", img_src: str = "'self' data:") -> FileResponse:
    return FileResponse(path, media_type=TYPES[path.suffix], headers={**headers(img_src), "Cache-Control": cache})


def inside(base: Path, name: str) -> Path:
    """Only existing files of a known type under base; nothing outside it."""
    path = (base / name).resolve()
    if not path.is_relative_to(base) or path.suffix not in TYPES or not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    return path
