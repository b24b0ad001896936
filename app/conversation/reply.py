"""One bot message as the dialogue builds it (replies.py, the actions, Rasa's REST output), before it is stored."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """One outgoing message before it is stored."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    progress: dict[str, Any] | None = None
    card: dict[str, Any] | None = None
    sender: str = "bot"
    kind: str = "text"  # API.md: "crisis", "safety_question" or "text"; README adds "erase_offer"
    # The option this turn recorded for the previous item ({item, value, label}): the widget marks that button.
    answered: dict[str, Any] | None = None
    stored: dict[str, Any] | None = None  # where a custom action stored it: id, seq, created_at, reply_to
