"""The only way the app talks to Rasa: its REST channel, with a short explicit timeout on every call."""
from __future__ import annotations

import json
from typing import Any

import httpx

from app.sessions.service import Reply


class RasaUnavailable(Exception):
    """Rasa is down, timed out or answered with an error; the turn falls back to the safety reply."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float, api_token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_params = {"token": api_token} if api_token else {}
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)))

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[Reply]:
        """`metadata` reaches the custom actions as the message's metadata (Rasa's REST channel passes it on)."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            r = await self.client.post(f"{self.base_url}/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if r.status_code != 200:
            raise RasaUnavailable(f"HTTP {r.status_code}")
        try:
            return merge_rest_output(r.json())
        except (ValueError, TypeError, AttributeError) as exc:
            raise RasaUnavailable("unreadable reply") from exc

    async def status(self) -> dict[str, Any]:
        """Rasa's /status (model loaded?); raises RasaUnavailable."""
        try:
            r = await self.client.get(f"{self.base_url}/status", params=self.api_params)
            r.raise_for_status()
            return dict(r.json())
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc

    async def aclose(self) -> None:
        await self.client.aclose()


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
            continue
        if "text" in item:
            buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                       for b in item.get("buttons") or []]
            out.append(Reply(text=str(item["text"]), buttons=buttons))
        elif custom is not None:
            out.append(Reply(text=json.dumps(custom, ensure_ascii=False)))
    return out
