"""A fake Rasa for fast tests: it parses payloads and a few keywords, then calls the app's real action endpoint
exactly as Rasa does (action-server protocol), so the real actions, conversation and store are exercised."""
from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

from app.rasa.client import CHANNEL_HEADER, STATUS, WEBHOOK
from app.rasa.process import ACTION_SECRET, CHANNEL_SECRET, secret

ROOT = Path(__file__).resolve().parents[1]
RULES = {s["steps"][0]["intent"]: s["steps"][1]["action"]
         for s in yaml.safe_load((ROOT / "dialogs/data/rules.yml").read_text())["rules"]}
KEYWORDS = [("crisis", r"不想活|自杀|kill myself|want to die"), ("back", r"上一题|^back$"), ("pause", r"暂停|^pause$"),
            ("resume", r"继续|^continue$|resume"), ("why", r"为什么|^why"), ("stop", r"不想做了|^stop$"),
            ("agree", r"^(同意|好的|yes|i agree|ok)$"), ("decline", r"^(不同意|no|i decline)$"),
            ("request_scale", r"测|压力|焦虑|心情|test|stress|anxious"), ("greet", r"^(你好|hi|hello)$")]


def classify(message: str) -> tuple[str, list[dict[str, Any]], float]:
    m = re.match(r"^/(\w+)(\{.*\})?$", message)
    if m:
        ents = json.loads(m.group(2)) if m.group(2) else {}
        return m.group(1), [{"entity": k, "value": v} for k, v in ents.items()], 1.0
    low = message.lower().strip()
    for intent, pattern in KEYWORDS:
        if re.search(pattern, low):
            return intent, [], 0.9
    return "answer", [], 0.5


class FakeRasa:
    """Mounted as the RasaClient transport; `down` makes it fail like a stopped server."""

    def __init__(self, app: Any, pepper: bytes) -> None:
        self.app, self.token = app, secret(pepper, ACTION_SECRET)
        self.channel_token = secret(pepper, CHANNEL_SECRET)
        self.down = False
        self.calls: list[str] = []

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("fake rasa is down")
        if request.headers.get(CHANNEL_HEADER) != self.channel_token:  # as dialogs/addons/app_channel.py
            return httpx.Response(401, json={"error": "this channel answers only the Xin'an app"})
        if request.url.path == STATUS:
            return httpx.Response(200, json={"model_loaded": True})
        assert request.url.path == WEBHOOK, request.url.path
        body = json.loads(request.content)
        self.calls.append(body["message"])

        async def call_actions(call: dict[str, Any]) -> dict[str, Any]:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://app") as c:
                r = await c.post("/webhook", params={"token": self.token}, json=call)
            r.raise_for_status()
            return dict(r.json())

        return httpx.Response(200, json=await rest_turn(body, call_actions))


async def rest_turn(body: dict[str, Any], call_actions: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
                    ) -> list[dict[str, Any]]:
    """One message to Rasa's REST channel: classify it, call the action its rule names (action-server protocol)
    and answer with the actions' responses as the REST channel does (a custom payload as an item of its own)."""
    intent, entities, conf = classify(body["message"])
    action = RULES.get(intent, "action_answer")
    call = {"next_action": action, "sender_id": body["sender"], "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": body["sender"], "slots": {}, "events": [], "paused": False,
                        "latest_message": {"text": body["message"], "intent": {"name": intent, "confidence": conf},
                                           "entities": entities, "metadata": body.get("metadata") or {}},
                        "active_loop": {},
                        "latest_action_name": "action_listen", "latest_event_time": None}}
    out: list[dict[str, Any]] = []
    for resp in (await call_actions(call))["responses"]:
        item: dict[str, Any] = {"recipient_id": body["sender"], "text": resp.get("text")}
        if resp.get("buttons"):
            item["buttons"] = resp["buttons"]
        out.append(item)
        if resp.get("custom"):
            out.append({"recipient_id": body["sender"], "custom": resp["custom"]})
    return out


class ScoredClassifier:
    """A stand-in crisis classifier: P(crisis) looked up by text, `default` for anything else, so tests set each
    signal."""

    def __init__(self, scores: dict[str, float] | None = None, default: float = 0.0) -> None:
        self.scores = scores if scores is not None else {}
        self.default = default

    def score(self, text: str) -> float:
        return self.scores.get(text, self.default)
