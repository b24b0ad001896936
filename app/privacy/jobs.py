"""The retention purge as a periodic job of the running service (in a worker thread, off the event loop)."""
from __future__ import annotations

import asyncio
import logging

from app.config import Settings
from app.db import session_scope
from app.privacy.erasure import purge_expired

log = logging.getLogger("xinan.retention")


def purge_once(settings: Settings) -> dict[str, int]:
    with session_scope() as db:
        return purge_expired(db, settings)


async def purge_periodically(settings: Settings) -> None:
    while True:
        try:
            counts = await asyncio.to_thread(purge_once, settings)
            log.info("retention purge: %s", counts)
        except Exception:  # keep the job alive; the next run retries
            log.exception("retention purge failed")
        await asyncio.sleep(settings.purge_interval_minutes * 60)
