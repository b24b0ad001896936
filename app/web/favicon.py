"""/favicon.ico for every page: browsers ask for it on their own, and a 404 on each page load is noise in the logs."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

ICON = Path(__file__).resolve().parent / "icons" / "favicon.ico"
router = APIRouter(tags=["web"], include_in_schema=False)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(ICON, media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"})
