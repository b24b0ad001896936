"""Key rotation: a new active key, every encrypted row (app store and Rasa's tracker store) re-encrypted, old key
dropped only after the last row moved. Run it with the service stopped: Rasa holds the keyring it started with."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, select, update
from sqlmodel import Session

from app.assessments.models import Answer
from app.config import Settings
from app.crypto import Keyring, new_key
from app.escalations.models import EscalationNote
from app.rasa import tracker_store
from app.secrets_store import save_keyring
from app.sessions.models import Message


@dataclass(frozen=True)
class EncryptedColumn:
    table: Table
    column: str
    aad_of: Callable[[dict], str]


COLUMNS = [
    EncryptedColumn(Message.__table__, "text_enc", lambda r: r["session_id"]),  # type: ignore[attr-defined]
    EncryptedColumn(Message.__table__, "card_enc", lambda r: r["session_id"]),  # type: ignore[attr-defined]
    EncryptedColumn(Message.__table__, "answered_enc", lambda r: r["session_id"]),  # type: ignore[attr-defined]
    EncryptedColumn(Answer.__table__, "free_text_enc", lambda r: r["assessment_id"]),  # type: ignore[attr-defined]
    EncryptedColumn(EscalationNote.__table__, "text_enc", lambda r: r["escalation_id"]),  # type: ignore[attr-defined]
]


def _reencrypt(conn_exec: Callable, table: Table, column: str, aad_of: Callable[[dict], str], ring: Keyring,
               batch: int = 500) -> int:
    """Move every row of one column to the active key, in batches keyed by primary key."""
    pk = next(iter(table.primary_key.columns))
    col = table.c[column]
    moved, last = 0, None
    while True:
        stmt = select(table).where(col.is_not(None)).order_by(pk).limit(batch)
        if last is not None:
            stmt = stmt.where(pk > last)
        rows = [dict(r._mapping) for r in conn_exec(stmt)]
        if not rows:
            return moved
        for row in rows:
            last = row[pk.name]
            if ring.key_id_of(row[column]) == ring.active_kid:
                continue
            plain = ring.decrypt(row[column], aad=aad_of(row))
            conn_exec(update(table).where(pk == last).values({column: ring.encrypt(plain, aad=aad_of(row))}))
            moved += 1


def rotate(db: Session, settings: Settings, ring: Keyring) -> tuple[Keyring, dict[str, int]]:
    """Returns the final keyring (new key only) and how many rows moved per column; the caller commits."""
    kid = "k" + secrets.token_hex(4)
    while kid in ring.keys:
        kid = "k" + secrets.token_hex(4)
    both = Keyring(kid, {kid: new_key(), **ring.keys})
    if not settings.encryption_keys:
        save_keyring(settings, both)  # a crash mid-way can still read every row
    counts: dict[str, int] = {}
    for c in COLUMNS:
        counts[f"{c.table.name}.{c.column}"] = _reencrypt(db.execute, c.table, c.column, c.aad_of, both)
    counts["rasa events.data"] = tracker_store.reencrypt(settings, both)
    return Keyring(kid, {kid: both.keys[kid]}), counts
