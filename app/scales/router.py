"""GET /api/v1/scales: what the employee can take, straight from the scale files."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.deps import get_rt
from app.runtime import Runtime
from app.sessions.schemas import ScaleOut

router = APIRouter(prefix="/api/v1", tags=["scales"])


@router.get("/scales", response_model=list[ScaleOut])
def list_scales(rt: Annotated[Runtime, Depends(get_rt)],
                locale: Annotated[str, Query(pattern="^(zh-CN|en)$")] = "zh-CN") -> list[dict]:
    return [{"id": s.id, "short_name": s.short_name, "name": s.names.get(locale), "items": len(s.items),
             "construct": s.construct, "citation": s.citation, "description": s.description.get(locale),
             "minutes": s.minutes, "version": s.version} for s in rt.scales.all()]
