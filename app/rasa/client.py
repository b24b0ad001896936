"""The only way the app talks to Rasa: the app's own input channel (dialogs/addons/app_channel.py, Rasa's REST
channel behind a shared secret), over one long-lived httpx client with a short explicit timeout on every call."""
from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any

import httpx

from app.conversation.reply import Reply

WEBHOOK = "/webhooks/xinan/webhook"
STATUS = "/webhooks/xinan/status"
CHANNEL_HEADER = "X-Xinan-Channel-Token"
STATUS_TIMEOUT = 1.5  # the readiness check's own budget: a load balancer probing with 2 s must get an answer
CONNECT_TIMEOUT = 2.0  # a Rasa that does not accept within this is down; the turn's budget is for its answer
# Idle keep-alive connections are dropped well before Rasa (120 s) or a proxy in between (nginx: 75 s) closes
# them, so a turn is never sent on a connection the other side is closing at that moment.
KEEPALIVE_SECONDS = 30.0
STATUS_CONNECTIONS = 2  # beyond the turns' slots, so a readiness probe never waits behind busy turns


class RasaUnavailable(Exception):
    """Rasa is down, timed out or answered with an error; the turn falls back to the safety reply."""


class RasaClient:
    """`max_in_flight` turns go to Rasa at once; the rest wait in order, inside the same timeout, and one still
    waiting when less than SEND_MARGIN of it is left is not sent at all (the caller's 503 with resources). Past
    saturation Rasa then does not spend its core on answers nobody will wait for (bench/README.md, load_bench).
    The httpx client is opened with the app's lifespan (or on first use outside one) and closed with it."""

    SEND_MARGIN = 0.25

    def __init__(self, base_url: str, timeout: float, channel_token: str = "", max_in_flight: int = 8,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_in_flight = max_in_flight
        self.channel_headers = {CHANNEL_HEADER: channel_token}
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the client's connections belong to
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()

    def mount(self, transport: httpx.AsyncBaseTransport) -> None:
        """Send to `transport` from the next call on (the tests' fake Rasa); the old client holds no sockets then."""
        self._transport = transport
        self._client = None

    async def start(self) -> None:
        """Opens the connection pool at the app's start-up, so the first turn does not pay for it."""
        self._http()

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _http(self) -> httpx.AsyncClient:
        """The client, opened again when closed or when called from another event loop (a test client without a
        lifespan runs each request in a loop of its own, and a connection belongs to the loop that opened it)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client.is_closed or self._loop is not loop:
            self._loop = loop
            connections = self.max_in_flight + STATUS_CONNECTIONS
            self._client = httpx.AsyncClient(
                base_url=self.base_url, headers=self.channel_headers, transport=self._transport,
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, CONNECT_TIMEOUT)),
                limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections,
                                    keepalive_expiry=KEEPALIVE_SECONDS))
        return self._client

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[Reply]:
        """`metadata` reaches the custom actions as the message's metadata (Rasa's REST channel passes it on)."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        slots = self._slots_here()
        try:
            async with asyncio.timeout(self.timeout):  # httpx bounds each read; this bounds the whole turn
                try:
                    async with asyncio.timeout(self.timeout * (1 - self.SEND_MARGIN)):
                        await slots.acquire()
                except TimeoutError as exc:
                    raise RasaUnavailable(f"{self.max_in_flight} turns in flight: not sent") from exc
                try:
                    r = await self._http().post(WEBHOOK, content=content,
                                                headers={"Content-Type": "application/json"})
                finally:
                    slots.release()
        except (httpx.HTTPError, OSError, TimeoutError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if r.status_code != 200:
            raise RasaUnavailable(f"HTTP {r.status_code}")
        try:
            return merge_rest_output(r.json())
        except (ValueError, TypeError, AttributeError) as exc:
            raise RasaUnavailable("unreadable reply") from exc

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
                r = await self._http().get(STATUS, timeout=STATUS_TIMEOUT)
            r.raise_for_status()
            return dict(r.json())
        except TimeoutError as exc:
            raise RasaUnavailable(f"no answer within {STATUS_TIMEOUT} s") from exc
        except (httpx.HTTPError, OSError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc


def merge_rest_output(items: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's REST channel sends a custom payload as its own item; attach it to the message it belongs to."""
    out: list[Reply] = []
    for item in items:
        custom = item.get("custom")
        if isinstance(custom, dict) and "xinan" in custom and out and "text" not in item:
            extra = custom["xinan"] or {}
            out[-1].progress = extra.get("progress")
            out[-1].card = extra.get("card")
            out[-1].answered = extra.get("answered")
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
