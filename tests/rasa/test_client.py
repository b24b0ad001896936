"""The app's client for Rasa's REST channel against the fake Rasa (tests/fakes.py): the replies a turn gets, the
channel secret, the readiness status, and every failure (down, slow, an error, a bad reply, too many turns at once)
as RasaUnavailable, never anything else."""
from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.rasa.client import WEBHOOK, RasaClient, RasaUnavailable
from app.rasa.process import CHANNEL_SECRET, secret
from tests.fakes import FakeRasa

PEPPER = b"p" * 32
PROGRESS = {"scale": "phq9", "answered": 1, "total": 9}
Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


def _actions(seen: list[dict[str, Any]]) -> FastAPI:
    """The action server the fake Rasa calls: one message with a button and the progress as a custom payload."""
    app = FastAPI()

    @app.post("/webhook")
    async def webhook(call: dict[str, Any]) -> dict[str, Any]:
        seen.append(call["tracker"]["latest_message"])
        return {"responses": [{"text": "你好", "buttons": [{"title": "同意", "payload": "/agree"}],
                               "custom": {"xinan": {"progress": PROGRESS}}}]}

    return app


class Rasa:
    """The fake Rasa with knobs: a delay per message (its metadata's "delay"), and how many turns it holds at once."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.fake = FakeRasa(_actions(self.seen), PEPPER)
        self.busy = self.peak = 0
        self.handle: Handler = self._slowed

    async def _slowed(self, request: httpx.Request) -> httpx.Response:
        delay = json.loads(request.content).get("metadata", {}).get("delay", 0) if request.url.path == WEBHOOK else 0
        self.busy += 1
        self.peak = max(self.peak, self.busy)
        try:
            await asyncio.sleep(delay)
            return await self.fake.handle(request)
        finally:
            self.busy -= 1

    async def transport(self, request: httpx.Request) -> httpx.Response:
        return await self.handle(request)

    def client(self, timeout: float = 2.0, max_in_flight: int = 8, token: str | None = None) -> RasaClient:
        token = secret(PEPPER, CHANNEL_SECRET) if token is None else token
        return RasaClient("http://rasa:5005", timeout, channel_token=token, max_in_flight=max_in_flight,
                          transport=httpx.MockTransport(self.transport))


@pytest.fixture
def rasa() -> Rasa:
    return Rasa()


async def test_a_turn_gets_rasas_replies_with_their_progress_and_metadata(rasa: Rasa) -> None:
    client = rasa.client()
    replies = await client.send("s1", "/agree", metadata={"xinan_message_id": "m"})
    assert [(r.text, r.buttons, r.progress) for r in replies] == [
        ("你好", [{"title": "同意", "payload": "/agree"}], PROGRESS)]
    assert rasa.fake.calls == ["/agree"]
    assert rasa.seen[-1]["metadata"] == {"xinan_message_id": "m"}
    await client.aclose()


async def test_rasas_channel_answers_only_with_the_apps_secret(rasa: Rasa) -> None:
    client = rasa.client(token="not-the-secret")
    with pytest.raises(RasaUnavailable, match="HTTP 401"):
        await client.send("s1", "hi")
    with pytest.raises(RasaUnavailable):
        await client.status()
    assert rasa.fake.calls == []
    await client.aclose()


async def test_status_says_whether_the_model_is_loaded(rasa: Rasa) -> None:
    client = rasa.client()
    assert await client.status() == {"model_loaded": True}
    await client.aclose()


async def test_a_rasa_that_is_down_is_unavailable(rasa: Rasa) -> None:
    client = rasa.client()
    rasa.fake.down = True
    with pytest.raises(RasaUnavailable, match="ConnectError"):
        await client.send("s1", "hi")
    with pytest.raises(RasaUnavailable):
        await client.status()
    await client.aclose()


async def test_nothing_listening_on_the_network_is_unavailable() -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]  # closed again: connections are refused
    client = RasaClient(f"http://127.0.0.1:{port}", 1.0)
    with pytest.raises(RasaUnavailable):
        await client.send("s1", "hi")
    with pytest.raises(RasaUnavailable):
        await client.status()
    await client.aclose()


@pytest.mark.parametrize("answer", [httpx.Response(500), httpx.Response(200, content=b"{"),
                                    httpx.Response(200, json={"not": "a list"})])
async def test_an_error_or_an_unreadable_reply_is_unavailable(rasa: Rasa, answer: httpx.Response) -> None:
    async def broken(request: httpx.Request) -> httpx.Response:
        return answer

    rasa.handle = broken
    client = rasa.client()
    with pytest.raises(RasaUnavailable):
        await client.send("s1", "hi")
    await client.aclose()


async def test_a_slow_rasa_times_out_and_the_next_turn_is_answered(rasa: Rasa) -> None:
    client = rasa.client(timeout=0.2)
    with pytest.raises(RasaUnavailable):
        await client.send("s1", "slow", metadata={"delay": 0.5})
    assert [r.text for r in await client.send("s1", "fast")] == ["你好"]
    await client.aclose()


async def test_at_most_max_in_flight_turns_reach_rasa_and_the_rest_wait_in_order(rasa: Rasa) -> None:
    client = rasa.client(max_in_flight=2)

    async def one(i: int) -> int:
        await asyncio.sleep(i * 0.002)  # they queue in this order
        return len(await client.send(f"s{i}", f"m{i}", metadata={"delay": 0.05}))

    assert await asyncio.gather(*(one(i) for i in range(7))) == [1] * 7
    assert rasa.peak == 2
    assert rasa.fake.calls == [f"m{i}" for i in range(7)]
    await client.aclose()


async def test_a_turn_still_waiting_near_its_deadline_is_never_sent(rasa: Rasa) -> None:
    client = rasa.client(timeout=1.0, max_in_flight=1)
    slow = asyncio.create_task(client.send("s1", "slow", metadata={"delay": 0.85}))
    await asyncio.sleep(0.02)
    with pytest.raises(RasaUnavailable, match="not sent"):  # waited 0.75 of its 1 s behind the slow one
        await client.send("s2", "queued")
    assert len(await slow) == 1  # the one at Rasa still got its answer
    assert rasa.fake.calls == ["slow"]
    assert len(await client.send("s2", "again")) == 1  # and the slot is free again
    await client.aclose()


async def test_the_client_opens_again_after_the_app_closed_it(rasa: Rasa) -> None:
    client = rasa.client()
    await client.start()
    await client.aclose()  # the app's lifespan ended (a test client may start it again)
    assert len(await client.send("s1", "hi")) == 1
    await client.aclose()
