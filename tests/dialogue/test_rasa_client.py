"""The app's client for Rasa's REST channel against a scripted HTTP server on loopback: keep-alive reuse, a
connection Rasa closed (or wrote on) while idle, Connection: close, chunked replies, timeouts and a server that is
down, each a reply or RasaUnavailable, never a stale connection reused."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from app.dialogue.rasa_client import RasaClient, RasaUnavailable

REPLY = [{"recipient_id": "s1", "text": "你好", "buttons": [{"title": "同意", "payload": "/agree"}]},
         {"recipient_id": "s1", "custom": {"xinan": {"progress": {"scale": "phq9", "answered": 1, "total": 9}}}}]


def _response(body: bytes, *, close: bool = False, chunked: bool = False) -> bytes:
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + ("Connection: close\r\n" if close else "")
    if chunked:
        half = len(body) // 2
        parts = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:half], body[half:]))
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + parts + b"0\r\n\r\n"
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


class Server:
    """Answers each request on a connection with `respond(request_body) -> bytes` (or nothing, then waits)."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[dict] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.delay = 0.0
        self.busy = self.peak = 0  # requests being answered now / at most at once
        self.respond: Callable[[dict], bytes] = lambda _: _response(json.dumps(REPLY).encode())

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                body = json.loads(await reader.readexactly(length))
                self.requests.append(body)
                self.busy += 1
                self.peak = max(self.peak, self.busy)
                await asyncio.sleep(body.get("metadata", {}).get("delay", self.delay))
                self.busy -= 1
                writer.write(self.respond(body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def stop(self) -> None:
        self.server.close()
        for w in self.writers:
            w.close()


def run(test: Callable[[Server, RasaClient], object], timeout: float = 2.0, max_in_flight: int = 8) -> None:
    async def main() -> None:
        server = Server()
        client = RasaClient(await server.start(), timeout, max_in_flight=max_in_flight)
        try:
            await test(server, client)  # type: ignore[misc]
        finally:
            await client.aclose()
            await server.stop()
    asyncio.run(main())


def test_turns_reuse_one_keep_alive_connection() -> None:
    async def test(server: Server, client: RasaClient) -> None:
        for i in range(5):
            replies = await client.send("s1", f"/agree{i}", metadata={"xinan_message_id": "m"})
            assert [(r.text, r.buttons, r.progress) for r in replies] == [
                ("你好", [{"title": "同意", "payload": "/agree"}], {"scale": "phq9", "answered": 1, "total": 9})]
        assert server.connections == 1
        assert server.requests[-1] == {"sender": "s1", "message": "/agree4", "metadata": {"xinan_message_id": "m"}}
    run(test)


def test_a_connection_rasa_closed_or_wrote_on_while_idle_is_not_reused() -> None:
    async def test(server: Server, client: RasaClient) -> None:
        await client.send("s1", "a")
        server.writers[-1].close()  # Rasa's keep-alive timeout
        await asyncio.sleep(0.05)
        assert len(await client.send("s1", "b")) == 1 and server.connections == 2
        server.writers[-1].write(b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n")  # unasked
        await asyncio.sleep(0.05)
        assert len(await client.send("s1", "c")) == 1 and server.connections == 3
    run(test)


@pytest.mark.parametrize("style", ["close", "chunked"])
def test_connection_close_and_chunked_replies(style: str) -> None:
    async def test(server: Server, client: RasaClient) -> None:
        server.respond = lambda _: _response(json.dumps(REPLY).encode(), **{style: True})
        for _ in range(3):
            assert [r.text for r in await client.send("s1", "x")] == ["你好"]
        assert server.connections == (3 if style == "close" else 1)
    run(test)


def test_slow_rasa_times_out_and_the_connection_is_dropped() -> None:
    async def test(server: Server, client: RasaClient) -> None:
        server.delay = 0.5
        with pytest.raises(RasaUnavailable):
            await client.send("s1", "slow")
        server.delay = 0
        assert [r.text for r in await client.send("s1", "fast")] == ["你好"]
        assert server.connections == 2  # the late reply to "slow" can never be read as the reply to "fast"
    run(test, timeout=0.2)


def test_errors_and_a_server_that_is_down_are_rasa_unavailable() -> None:
    async def test(server: Server, client: RasaClient) -> None:
        server.respond = lambda _: b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
        with pytest.raises(RasaUnavailable, match="HTTP 500"):
            await client.send("s1", "x")
        server.respond = lambda _: b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"  # cut short, then closed
        server.delay = 0
        task = asyncio.create_task(client.send("s1", "y"))
        await asyncio.sleep(0.05)
        server.writers[-1].close()
        with pytest.raises(RasaUnavailable):
            await task
        await server.stop()
        with pytest.raises(RasaUnavailable):
            await client.send("s1", "z")
    run(test)


def test_a_connection_idle_too_long_is_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.dialogue.rasa_client import _KeepAlive

    monkeypatch.setattr(_KeepAlive, "IDLE_SECONDS", 0.1)

    async def test(server: Server, client: RasaClient) -> None:
        await client.send("s1", "a")
        await client.send("s1", "b")
        assert server.connections == 1
        await asyncio.sleep(0.15)  # Rasa still holds it open, but it may be about to close it
        assert [r.text for r in await client.send("s1", "c")] == ["你好"]
        assert server.connections == 2
    run(test)


def test_at_most_max_in_flight_turns_reach_rasa_and_the_rest_wait_in_order() -> None:
    async def test(server: Server, client: RasaClient) -> None:
        server.delay = 0.05

        async def one(i: int) -> int:
            await asyncio.sleep(i * 0.002)  # they queue in this order
            return len(await client.send(f"s{i}", f"m{i}"))
        assert await asyncio.gather(*(one(i) for i in range(7))) == [1] * 7
        assert server.peak == 2
        assert [r["message"] for r in server.requests] == [f"m{i}" for i in range(7)]
    run(test, max_in_flight=2)


def test_a_turn_still_waiting_near_its_deadline_is_never_sent() -> None:
    async def test(server: Server, client: RasaClient) -> None:
        slow = asyncio.create_task(client.send("s1", "slow", metadata={"delay": 0.85}))
        await asyncio.sleep(0.02)
        with pytest.raises(RasaUnavailable, match="not sent"):  # waited 0.75 of its 1 s behind the slow one
            await client.send("s2", "queued")
        assert len(await slow) == 1  # the one at Rasa still got its answer
        assert [r["message"] for r in server.requests] == ["slow"]
        assert len(await client.send("s2", "again")) == 1  # and the slot is free again
    run(test, timeout=1.0, max_in_flight=1)
