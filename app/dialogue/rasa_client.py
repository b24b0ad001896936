"""The only way the app talks to Rasa: the app's own input channel (dialogs/addons/app_channel.py, Rasa's REST
channel behind a shared secret), with a short explicit timeout on every call."""
from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any
from urllib.parse import urlsplit

import h11
import httpx

from app.sessions.service import Reply

WEBHOOK = "/webhooks/xinan/webhook"
STATUS = "/webhooks/xinan/status"
CHANNEL_HEADER = "X-Xinan-Channel-Token"
STATUS_TIMEOUT = 1.5  # the readiness check's own budget: a load balancer probing with 2 s must get an answer


class RasaUnavailable(Exception):
    """Rasa is down, timed out or answered with an error; the turn falls back to the safety reply."""


class RasaClient:
    """`max_in_flight` turns go to Rasa at once; the rest wait in order, inside the same timeout, and one still
    waiting when less than SEND_MARGIN of it is left is not sent at all (the caller's 503 with resources). Past
    saturation Rasa then does not spend its core on answers nobody will wait for (bench/README.md, load_bench)."""

    SEND_MARGIN = 0.25

    def __init__(self, base_url: str, timeout: float, channel_token: str = "",
                 max_in_flight: int = 8) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_in_flight = max_in_flight
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()
        self.channel_headers = {CHANNEL_HEADER: channel_token}
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)))
        self._own_client = self.client
        url = urlsplit(self.base_url)
        self._turns = _KeepAlive(url.hostname or "127.0.0.1", url.port or 80, url.netloc.rpartition("@")[2],
                                 url.path, timeout, min(timeout, 2.0), channel_token) if url.scheme == "http" else None

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[Reply]:
        """`metadata` reaches the custom actions as the message's metadata (Rasa's REST channel passes it on)."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        slots = self._slots_here()
        try:
            async with asyncio.timeout(self.timeout):
                try:
                    async with asyncio.timeout(self.timeout * (1 - self.SEND_MARGIN)):
                        await slots.acquire()
                except TimeoutError as exc:
                    raise RasaUnavailable(f"{self.max_in_flight} turns in flight: not sent") from exc
                try:
                    status, data = await self._post_turn(content)
                finally:
                    slots.release()
        except (httpx.HTTPError, OSError, TimeoutError, h11.ProtocolError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if status != 200:
            raise RasaUnavailable(f"HTTP {status}")
        try:
            return merge_rest_output(json.loads(data))
        except (ValueError, TypeError, AttributeError) as exc:
            raise RasaUnavailable("unreadable reply") from exc

    async def _post_turn(self, content: bytes) -> tuple[int, bytes]:
        if self._turns is not None and self.client is self._own_client:
            return await self._turns.post(WEBHOOK, content)
        # https, or a client mounted from outside (the tests' fake Rasa): httpx
        r = await self.client.post(f"{self.base_url}{WEBHOOK}", content=content,
                                   headers={"Content-Type": "application/json", **self.channel_headers})
        return r.status_code, r.content

    def _slots_here(self) -> asyncio.Semaphore:
        """One semaphore per event loop: an asyncio.Semaphore belongs to the loop it first waited on."""
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self.max_in_flight)
        return slots

    async def status(self) -> dict[str, Any]:
        """The channel's status ({"model_loaded": bool}) within STATUS_TIMEOUT; raises RasaUnavailable."""
        try:
            async with asyncio.timeout(STATUS_TIMEOUT):
                r = await self.client.get(f"{self.base_url}{STATUS}", headers=self.channel_headers,
                                          timeout=STATUS_TIMEOUT)
            r.raise_for_status()
            return dict(r.json())
        except TimeoutError as exc:
            raise RasaUnavailable(f"no answer within {STATUS_TIMEOUT} s") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc

    async def aclose(self) -> None:
        if self._turns is not None:
            self._turns.close()
        await self.client.aclose()


class _KeepAlive:
    """HTTP/1.1 keep-alive connections to Rasa for the turns: h11 (the HTTP/1.1 parser under httpx) on asyncio
    protocols. httpx's client and connection pool cost about 1.5 ms of CPU per turn, the largest single item of the
    app's own work in a turn (bench/README.md, load_bench); this does the same exchange for a fraction of that.
    A connection carries one exchange at a time and goes back to the pool only after a complete one; one that Rasa
    closed, or sent anything on, while idle is never used again, nor one idle longer than IDLE_SECONDS: well under
    the time after which Rasa (120 s) or a proxy in between (nginx: 75 s) closes it, so a turn is never sent on a
    connection the other side is closing at that moment."""

    MAX_IDLE = 64
    IDLE_SECONDS = 30.0

    def __init__(self, host: str, port: int, authority: str, prefix: str, timeout: float,
                 connect_timeout: float, channel_token: str) -> None:
        self.host, self.port, self.authority, self.prefix = host, port, authority, prefix.rstrip("/")
        self.channel_token = channel_token
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self._idle: list[_Connection] = []

    async def post(self, path: str, content: bytes) -> tuple[int, bytes]:
        """(status, body) of one POST; the whole exchange, connecting included, is bounded by the timeout."""
        headers = [("Host", self.authority), ("Content-Type", "application/json"),
                   ("Content-Length", str(len(content))), (CHANNEL_HEADER, self.channel_token)]
        async with asyncio.timeout(self.timeout):
            conn = self._reuse() or await self._connect()
            try:
                status, data = await conn.exchange(h11.Request(method="POST", target=self.prefix + path,
                                                               headers=headers), content)
            except BaseException:
                conn.close()
                raise
        if conn.reusable() and len(self._idle) < self.MAX_IDLE:
            conn.idle_since = conn.loop.time()
            self._idle.append(conn)
        else:
            conn.close()
        return status, data

    def close(self) -> None:
        while self._idle:
            self._idle.pop().close()

    def _reuse(self) -> _Connection | None:
        loop = asyncio.get_running_loop()
        while self._idle:
            conn = self._idle.pop()
            if conn.loop is loop and conn.reusable() and loop.time() - conn.idle_since < self.IDLE_SECONDS:
                return conn
            conn.close()
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(self.connect_timeout):
            _, conn = await loop.create_connection(lambda: _Connection(loop), self.host, self.port)
        return conn


class _Connection(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.h = h11.Connection(h11.CLIENT)
        self.transport: asyncio.Transport | None = None
        self.in_flight = False
        self.open = True  # False once Rasa closed it or sent anything while idle, or it was closed here
        self.readable = asyncio.Event()
        self.idle_since = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.in_flight:  # nothing was asked (a late 408, say): this connection is done
            self.close()
            return
        self.h.receive_data(data)
        self.readable.set()

    def eof_received(self) -> bool:
        self._ended()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended()

    def _ended(self) -> None:
        if self.open and self.in_flight:
            self.h.receive_data(b"")  # h11 then reports the close, or raises on an incomplete reply
        self.open = False
        self.readable.set()

    def reusable(self) -> bool:
        return self.open and self.h.our_state is h11.IDLE and self.h.their_state is h11.IDLE

    def close(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.close()

    async def exchange(self, request: h11.Request, content: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.in_flight = True
        self.transport.write(b"".join(self.h.send(e) or b""
                                      for e in (request, h11.Data(data=content), h11.EndOfMessage())))
        status, body = 0, []
        while True:
            event = self.h.next_event()
            if event is h11.NEED_DATA:
                if not self.open:
                    raise ConnectionResetError("the connection to Rasa was closed")
                self.readable.clear()
                await self.readable.wait()
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                self.in_flight = False
                if self.h.our_state is h11.DONE and self.h.their_state is h11.DONE:
                    self.h.start_next_cycle()
                return status, b"".join(body)
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("Rasa closed the connection without a reply")


def merge_rest_output(items: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's REST channel sends a custom payload as its own item; attach it to the message it belongs to."""
    out: list[Reply] = []
    for item in items:
        custom = item.get("custom")
        if isinstance(custom, dict) and "xinan" in custom and out and "text" not in item:
            extra = custom["xinan"] or {}
            out[-1].progress = extra.get("progress")
            out[-1].card = extra.get("card")
            out[-1].stored = extra.get("message")
            out[-1].kind = str(extra.get("kind") or "text")
            continue
        if "text" in item:
            buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                       for b in item.get("buttons") or []]
            out.append(Reply(text=str(item["text"]), buttons=buttons))
        elif custom is not None:
            out.append(Reply(text=json.dumps(custom, ensure_ascii=False)))
    return out
