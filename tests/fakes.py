"""A fake Rasa for fast tests: it parses payloads and a few keywords, then follows dialogs/data/rules.yml and the
questionnaire form as Rasa does (the form validates, rejects to the rules "inside the questionnaire" or asks the
next item), calling the app's real action endpoint (action-server protocol), so the real actions, conversation and
store are exercised."""
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
FORM = "questionnaire_form"
DOMAIN = {k: v for k, v in yaml.safe_load((ROOT / "dialogs/domain.yml").read_text()).items() if k in ("forms", "slots")}
# (intent, inside the form) -> the action after it; the rule ending a completed form is the form loop below
RULES = {(r["steps"][0]["intent"], {"active_loop": FORM} in r.get("condition", [])): r["steps"][1]["action"]
         for r in yaml.safe_load((ROOT / "dialogs/data/rules.yml").read_text())["rules"] if "intent" in r["steps"][0]}
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
        self.trackers: dict[str, dict[str, Any]] = {}  # per sender: slots and active loop, as Rasa's tracker store

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

        tracker = self.trackers.setdefault(body["sender"], {"slots": {}, "active_loop": {}})
        return httpx.Response(200, json=await rest_turn(body, call_actions, tracker))


async def rest_turn(body: dict[str, Any], call_actions: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]],
                    state: dict[str, Any]) -> list[dict[str, Any]]:
    """One message to Rasa's REST channel: classify it; with the form active, validate (slot events: the answer was
    read, then ask unless the form is done) or, rejected, run the rule inside the form; otherwise the intent's rule.
    After an action that leaves the form active, the form runs again (no validation) and asks. Answers with the
    actions' responses as the REST channel does (a custom payload as an item of its own)."""
    intent, entities, conf = classify(body["message"])
    latest = {"text": body["message"], "intent": {"name": intent, "confidence": conf}, "entities": entities,
              "metadata": body.get("metadata") or {}}
    responses: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = [{"event": "user", "text": body["message"]}]  # this turn's, as the add-on sends

    async def run(action: str) -> list[dict[str, Any]]:
        call = {"next_action": action, "sender_id": body["sender"], "version": "3.6.21", "domain": DOMAIN,
                "tracker": {"sender_id": body["sender"], "slots": dict(state["slots"]), "paused": False,
                            "events": list(events), "latest_message": latest,
                            "active_loop": dict(state["active_loop"]), "latest_action_name": "action_listen",
                            "latest_event_time": None}}
        out = await call_actions(call)
        responses.extend(out["responses"])
        events.extend([*out.get("events", []), {"event": "action", "name": action}])
        for e in out.get("events", []):
            if e["event"] == "slot":
                state["slots"][e["name"]] = e["value"]
            elif e["event"] == "active_loop":
                state["active_loop"] = {"name": e["name"]} if e.get("name") else {}
        return list(out.get("events", []))

    async def ask() -> None:  # the form requests its slot, or completes when it is filled
        state["slots"]["requested_slot"] = "item_answer"
        if state["slots"].get("item_answer") is None:
            await run("action_ask_item_answer")
        if state["slots"].get("item_answer") is not None or not state["active_loop"]:
            state["active_loop"], state["slots"]["requested_slot"] = {}, None

    in_form = state["active_loop"].get("name") == FORM
    validated = in_form and any(e["event"] == "slot" and e["name"] == "item_answer"
                                for e in await run(f"validate_{FORM}"))
    if validated:
        await ask()
    else:
        await run(RULES.get((intent, in_form)) or RULES.get((intent, False)) or "action_answer")
        if state["active_loop"].get("name") == FORM:  # returned to, or opened by the action
            await ask()
    out: list[dict[str, Any]] = []
    for resp in responses:
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
