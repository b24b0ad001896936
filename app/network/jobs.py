"""The referral job as a periodic task of the running service and as `python -m app referrals run`.

The pass runs in a worker thread (asyncio.to_thread), never on the event loop; its live notices go out after its
commit. Several replicas may run it: on PostgreSQL an advisory lock lets one pass run at a time.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import datetime

from app.config import Settings, get_settings
from app.db import session_scope
from app.network import referrals

log = logging.getLogger("xinan.referrals")


def refer_once(settings: Settings, now: datetime | None = None) -> dict[str, int]:
    with session_scope() as db:
        return referrals.run(db, settings, now)


async def refer_periodically(settings: Settings) -> None:
    while True:
        try:
            counts = await asyncio.to_thread(refer_once, settings)
            if any(counts.values()):
                log.info("referral pass: %s", counts)
        except Exception:  # keep the job alive; the next pass retries
            log.exception("referral pass failed")
        await asyncio.sleep(settings.referral_interval_seconds)


def _run(args: argparse.Namespace) -> int:
    from app.db import upgrade
    from app.escalations import events

    settings = get_settings()
    upgrade(settings)
    events.configure(settings.redis_url)  # with Redis, every replica's consoles hear the moves
    counts = refer_once(settings)
    print(f"referred {counts['referred']}, re-alerted {counts['realerted']}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("referrals", help="refer unclaimed cases past their claim window up the centre tree")
    p.add_argument("action", choices=["run"])
    p.set_defaults(func=_run)
