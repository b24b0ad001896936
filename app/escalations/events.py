"""Notices that something changed (an escalation, a session's messages) for the live feeds of this replica.

One machine: listeners in this process are called directly. Several replicas (XINAN_REDIS_URL set): notices go
through Redis pub/sub, and every replica's relay calls its own listeners, whichever replica holds the browser.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import redis
import redis.asyncio as aioredis
from sqlalchemy import event
from sqlalchemy.orm import Session

CHANNEL = "xinan:events"
log = logging.getLogger("xinan.events")
_listeners: set[Callable[[str, str], None]] = set()
_redis: redis.Redis | None = None


def subscribe(callback: Callable[[str, str], None]) -> Callable[[], None]:
    _listeners.add(callback)
    return lambda: _listeners.discard(callback)


def _deliver(kind: str, ident: str) -> None:
    for callback in list(_listeners):
        with contextlib.suppress(RuntimeError, asyncio.QueueFull):
            callback(kind, ident)


def publish(kind: str, ident: str) -> None:
    if _redis is None:
        _deliver(kind, ident)
        return
    try:
        _redis.publish(CHANNEL, f"{kind}:{ident}")
    except redis.RedisError:
        log.warning("Redis unavailable: notice delivered on this replica only")
        _deliver(kind, ident)


def publish_escalation_changed(escalation_id: str) -> None:
    publish("escalation", escalation_id)


def publish_session_message(session_id: str) -> None:
    publish("session", session_id)


def publish_logout(pepper: bytes, token: str) -> None:
    """A staff token was revoked: the live feeds opened with it end now (by the token's hash; never the token)."""
    from app.sessions.tokens import hash_token

    publish("logout", hash_token(pepper, token))


def publish_after_commit(db: Session, kind: str, ident: str) -> None:
    """Queue a notice on a unit of work; it goes out only once the change is committed (listeners read the store)."""
    db.info.setdefault("xinan_notices", []).append((kind, ident))


@event.listens_for(Session, "after_commit")
def _flush_notices(db: Session) -> None:
    for kind, ident in dict.fromkeys(db.info.pop("xinan_notices", [])):
        publish(kind, ident)


@event.listens_for(Session, "after_rollback")
def _drop_notices(db: Session) -> None:
    db.info.pop("xinan_notices", None)


def configure(redis_url: str | None) -> None:
    global _redis
    _redis = redis.Redis.from_url(redis_url, socket_timeout=2) if redis_url else None


async def relay(redis_url: str) -> None:
    """Forward every notice published by any replica to this replica's listeners; reconnects after errors."""
    while True:
        try:
            client = aioredis.Redis.from_url(redis_url)
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        kind, _, ident = message["data"].decode().partition(":")
                        _deliver(kind, ident)
        except (redis.RedisError, OSError):
            log.warning("event relay lost Redis; retrying in 1 s")
            await asyncio.sleep(1)
