"""The direct safety question (safety_question.yaml): its wording, buttons, and how a typed answer is read.

A typed answer is read as yes, unsure or no only when the words say so; anything else is "unclear" and the bot asks
once more. A hedge ("not really", "基本没有") is unsure, never a silent no.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from app.language.normalize import CJK, normalize

QUESTION_FILE = Path(__file__).with_name("safety_question.yaml")
Answer = Literal["yes", "unsure", "no"]
ANSWERS: tuple[Answer, ...] = ("yes", "unsure", "no")
Locale = Literal["zh-CN", "en"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionFile(_Strict):
    version: int
    question: dict[Locale, str]
    buttons: dict[Answer, dict[Locale, str]]
    again: dict[Locale, str]
    no_thanks: dict[Locale, str]
    someone_else: dict[Locale, str]
    answers: dict[Answer, dict[Locale, list[str]]] = Field(min_length=3)


@lru_cache(maxsize=1)
def load_question(path: Path = QUESTION_FILE) -> QuestionFile:
    return QuestionFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _phrase(p: str) -> str:
    body = re.escape(p)
    return body if re.search(f"[{CJK}]", p) else rf"\b{body}\b"


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, Answer], re.Pattern[str]]:
    """Every answer word (normalised) and one alternation, longest first, so "没有" is read before "有". A single
    Chinese character ("有", "是") counts only as a whole clause: inside "只是很累" it says nothing."""
    q = load_question()
    words = {normalize(w): a for a in ANSWERS for loc in q.answers[a].values() for w in loc}
    inside = sorted((w for w in words if len(w) > 1 or not re.match(f"[{CJK}]", w)), key=len, reverse=True)
    return words, re.compile("|".join(_phrase(w) for w in inside))


_CLAUSE = re.compile(r"[，,。.!！?？;；、\s]+")


def read_answer(text: str) -> Answer | None:
    """yes / unsure / no from the employee's own words, or None when they say none of these."""
    norm = normalize(text).strip(" 。.!！?？~～…,，")
    if not norm:
        return None
    words, pattern = _phrases()
    if norm in words:  # the whole message is one of the words
        return words[norm]
    found = {words[c] for c in _CLAUSE.split(norm) if c in words}
    found |= {words[m.group(0)] for m in pattern.finditer(norm)}
    if "unsure" in found or {"yes", "no"} <= found:
        return "unsure"
    return next(iter(found), None)
