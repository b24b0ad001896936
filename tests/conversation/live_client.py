"""A tiny employee client for the live tests: one anonymous session talking to the running app."""
from __future__ import annotations

import uuid
from typing import Any

import httpx


class Employee:
    def __init__(self, base_url: str, locale: str = "zh-CN", **body: Any) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60)
        r = self.http.post("/api/v1/sessions", json={"locale": locale, **body})
        assert r.status_code == 201, r.text
        j = r.json()
        self.sid, self.auth = j["session_id"], {"Authorization": f"Bearer {j['token']}"}
        self.last: list[dict[str, Any]] = j["messages"]
        self.said: list[dict[str, Any]] = list(self.last)  # every message the API returned to this employee
        self.status = 201

    def send(self, text: str | None = None, payload: str | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"client_msg_id": uuid.uuid4().hex}
        body.update({"text": text} if text is not None else {"payload": payload})
        r = self.http.post(f"/api/v1/sessions/{self.sid}/messages", json=body, headers=self.auth)
        self.status = r.status_code
        assert r.status_code in (200, 503), r.text
        self.last = r.json()["messages"]
        self.said += self.last
        return self.last

    @property
    def buttons(self) -> list[dict[str, str]]:
        return next((m["buttons"] for m in reversed(self.last) if m["buttons"]), [])

    @property
    def progress(self) -> dict[str, Any] | None:
        return next((m["progress"] for m in reversed(self.last) if m["progress"]), None)

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.last)

    def tap(self, title_part: str) -> list[dict[str, Any]]:
        button = next((b for b in self.buttons if title_part in b["title"]), None)
        assert button is not None, f"no button with {title_part!r} in {[b['title'] for b in self.buttons]}"
        return self.send(payload=button["payload"])

    def results(self) -> list[dict[str, Any]]:
        return self.http.get(f"/api/v1/sessions/{self.sid}/results", headers=self.auth).json()["results"]

    def history(self) -> list[dict[str, Any]]:
        return self.http.get(f"/api/v1/sessions/{self.sid}/messages", headers=self.auth).json()["messages"]
