"""Scale-out on this machine: 2 app and 2 Rasa processes on loopback sharing PostgreSQL (app data and Rasa's
tracker store) and Redis (turn locks, Rasa's lock store, live notices). Turns alternate between replicas, concurrent
messages of one session are serialised, and the conversation survives losing one app and one Rasa replica."""
from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, select, text
from sqlmodel import Session

from app.assessments.models import Answer, Assessment
from app.config import ROOT, Settings
from app.scales.registry import ScaleRegistry
from scripts.devstack import Stack
from tests.conftest import OUTPUT, PG, free_port, fresh_pg_database
from tests.network.helpers import register_links

# a database of its own, flushed by these tests; another checkout's suite running at once sets another one
REDIS_URL = os.environ.get("XINAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PHQ9 = ScaleRegistry.from_dir(ROOT / "scales")["phq9"]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return bool(redis.Redis.from_url(REDIS_URL).ping())
    except (OSError, redis.RedisError):
        return False


pytestmark = [
    pytest.mark.rasa, pytest.mark.postgres,
    pytest.mark.skipif(not PG, reason="PostgreSQL does not answer on 127.0.0.1:5432"),
    pytest.mark.skipif(not _redis_up(), reason="Redis does not answer on 127.0.0.1:6379"),
]


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Stack, Settings]]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    with fresh_pg_database("xinan_scale") as (url, _):
        settings = Settings(data_dir=Path(tmp_path_factory.mktemp("scale")) / "var",  # type: ignore[call-arg]
                            rasa_models_dir=ROOT / "var" / "models", redis_url=REDIS_URL, database_url=url)
        a = Stack(settings, app_port=free_port(), rasa_port=free_port(), log_dir=OUTPUT / "logs" / "replica-a")
        b = Stack(settings, app_port=free_port(), rasa_port=free_port(), log_dir=OUTPUT / "logs" / "replica-b")
        try:
            a.start_rasa()
            b.start_rasa()
            a.start_app()
            a.wait_ready(300)  # the first replica migrates the shared database
            b.start_app()
            b.wait_ready(300)
            register_links(settings, "city", "depot")
            yield a, b, settings
        finally:
            a.stop()
            b.stop()


class Conversation:
    def __init__(self, urls: list[str]) -> None:
        self.clients = [httpx.Client(base_url=u, timeout=60) for u in urls]
        r = self.clients[0].post("/api/v1/sessions", json={"locale": "zh-CN", "org": "city", "unit": "depot"})
        j = r.json()
        self.sid, self.auth, self.turn = j["session_id"], {"Authorization": f"Bearer {j['token']}"}, 0

    def send(self, replica: int | None = None, **body: str) -> list[dict]:
        client = self.clients[self.turn % len(self.clients) if replica is None else replica]
        self.turn += 1
        r = client.post(f"/api/v1/sessions/{self.sid}/messages", json={**body, "client_msg_id": uuid.uuid4().hex},
                        headers=self.auth)
        assert r.status_code == 200, r.text
        return r.json()["messages"]

    def history(self, replica: int = -1) -> list[dict]:
        return self.clients[replica].get(f"/api/v1/sessions/{self.sid}/messages", headers=self.auth).json()["messages"]


def _payload(item: int, value: int) -> str:
    return f'/answer{{"option":"phq9:{item}:{value}"}}'


def test_conversation_across_replicas_with_concurrency_and_failover(replicas: tuple[Stack, Stack, Settings]) -> None:
    a, b, settings = replicas
    conv = Conversation([a.app_url, b.app_url])
    notices = redis.Redis.from_url(REDIS_URL).pubsub()
    notices.subscribe("xinan:events")
    conv.send(text="同意")
    conv.send(text="我最近心情低落")
    plan = {1: 2, 2: 1, 3: 0, 4: 3, 5: 1, 6: 0, 7: 2, 8: 0, 9: 1}
    words = {0: "完全不会", 1: "好几天", 2: "一半以上的天数", 3: "几乎每天"}
    for item in (1, 2, 3):  # alternating app replicas (and so Rasa replicas), buttons and words
        msgs = conv.send(**({"payload": _payload(item, plan[item])} if item % 2 else {"text": words[plan[item]]}))
        assert msgs[-1]["progress"]["answered"] == item
    # two replicas receive an answer to item 4 at the same moment: one is recorded, the other sees a stale button
    results: list[list[dict]] = []
    threads = [threading.Thread(target=lambda i=i: results.append(conv.send(replica=i, payload=_payload(4, 3))))
               for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[-1]["progress"]["answered"] for r in results) == [4, 4]
    a.kill("app")
    a.kill("rasa")
    for item in range(5, 10):
        conv.send(replica=1, payload=_payload(item, plan[item]))
    res = conv.clients[1].get(f"/api/v1/sessions/{conv.sid}/results", headers=conv.auth).json()["results"]
    assert res[-1]["scale"] == "phq9" and res[-1]["score"] == sum(plan.values()) and res[-1]["risk"] == "urgent"
    with Session(create_engine(settings.sqlalchemy_url)) as db:
        assessment = db.exec(select(Assessment).where(Assessment.session_id == conv.sid)).scalars().one()
        answers = {r.item_index + 1: r.value for r in db.exec(select(Answer).where(
            Answer.assessment_id == assessment.id)).scalars()}
        rasa_rows = db.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": conv.sid}).scalars().all()
    assert answers == plan
    assert len(rasa_rows) > 20 and all(r.startswith("x1:") for r in rasa_rows)  # shared, encrypted tracker store
    hist = conv.history()
    assert [m["seq"] for m in hist] == list(range(1, len(hist) + 1))  # nothing lost, nothing doubled
    ids = {m["id"]: m for m in hist}
    assert len(ids) == len(hist)
    employee_seqs = [m["seq"] for m in hist if m["sender"] == "employee"]
    assert len(employee_seqs) == conv.turn
    kinds = []
    for _ in range(50):
        msg = notices.get_message(timeout=0.2)
        if msg and msg["type"] == "message":
            kinds.append(msg["data"].decode().split(":")[0])
    assert "escalation" in kinds  # the urgent escalation was announced to every replica through Redis
