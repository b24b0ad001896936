"""Rasa's SQL tracker store with every event encrypted at rest (AES-GCM, key id per row, the app's keyring).

Rasa keeps each user text in its tracker events; this store makes those rows as unreadable as the app's own. It
runs inside the Rasa process (Python 3.10) and imports only the app's dependency-free crypto module. Erasure,
retention and key rotation go through it too (addons/tracker_maintenance.py): Rasa's API only appends.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from app.crypto import Keyring

logger = logging.getLogger(__name__)
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=15000")


class EncryptedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec = os.environ.get("XINAN_ENCRYPTION_KEYS")
        if not spec:
            raise RuntimeError("XINAN_ENCRYPTION_KEYS is not set: refusing to store trackers unencrypted")
        self.keyring = Keyring.parse(spec)
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._pool_sqlite()

    def _pool_sqlite(self) -> None:
        """Rasa's SQLite engine (SQLAlchemy 1.4: no pool for a file) opened the file afresh for each unit of work, in
        rollback-journal mode with a disk flush at every commit. Pool the connections and use the app's own settings
        (app/db.py): write-ahead log, flushed at checkpoints; a crash of Rasa loses nothing committed."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                       connect_args={"check_same_thread": False, "timeout": 15})

        @sa.event.listens_for(self.engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            for pragma in SQLITE_PRAGMAS:
                dbapi_conn.execute(f"PRAGMA {pragma}")

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=data.get("name"),
                    data=self.keyring.encrypt(json.dumps(data), aad=tracker.sender_id),
                ))
            session.commit()

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [json.loads(self.keyring.decrypt(r.data, aad=sender_id)) for r in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def delete_events(self, sender_ids: Iterable[str], before: float | None = None) -> int:
        """Delete these conversations' events (only those older than `before`, a POSIX time, when given)."""
        ids, deleted = list(sender_ids), 0
        with self.session_scope() as session:
            for start in range(0, len(ids), 500):
                query = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(ids[start:start + 500]))
                if before is not None:
                    query = query.filter(self.SQLEvent.timestamp < before)
                deleted += query.delete(synchronize_session=False)
            session.commit()
        return deleted

    def senders_with_events_before(self, before: float) -> list[str]:
        with self.session_scope() as session:
            rows = session.query(self.SQLEvent.sender_id).filter(self.SQLEvent.timestamp < before).distinct()
            return [sender for (sender,) in rows]

    def reencrypt(self) -> int:
        """Re-encrypt every event under the keyring's active key (the keyring holds the old keys too), in batches
        committed one by one: an interrupted run leaves every row readable with the same keyring."""
        moved, last = 0, -1
        while True:
            with self.session_scope() as session:
                rows = (session.query(self.SQLEvent).filter(self.SQLEvent.id > last).order_by(self.SQLEvent.id)
                        .limit(500).all())
                if not rows:
                    return moved
                for row in rows:
                    if self.keyring.key_id_of(row.data) != self.keyring.active_kid:
                        row.data = self.keyring.encrypt(self.keyring.decrypt(row.data, aad=row.sender_id),
                                                        aad=row.sender_id)
                        moved += 1
                last = rows[-1].id
                session.commit()
