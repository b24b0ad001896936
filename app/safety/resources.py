"""Crisis hotlines as configuration: the default file ships with the app; XINAN_CRISIS_RESOURCES_FILE overrides it.

A malformed file raises ResourceFileError naming the file and the field, so a bad override is caught at start-up
rather than when someone in crisis needs the numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.language.data_file import DataFileError, load_data_file

DEFAULT_RESOURCES = Path(__file__).with_name("default_resources.yaml")
DEFAULT_LOCALE = "zh-CN"
_NUMBER = r"^\+?[0-9]+(?:[ -][0-9]+)*$"  # digits, optionally grouped by single spaces or hyphens


class ResourceFileError(ValueError):
    """The crisis resources file is unreadable or invalid; the message names the file and the field."""


@dataclass(frozen=True)
class CrisisResource:
    name: str
    number: str
    tel: str  # the "tel:" URI, dialling exactly the digits of `number`
    hours: str
    note: str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Resource(_Strict):
    name: str = Field(min_length=1)
    number: str = Field(pattern=_NUMBER)
    hours: str = Field(min_length=1)
    note: str = ""


class _LocaleResources(_Strict):
    intro: str = Field(min_length=1)
    resources: list[_Resource] = Field(min_length=1)


class _ResourcesFile(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    zh_CN: _LocaleResources = Field(alias="zh-CN")
    en: _LocaleResources


def tel_uri(number: str) -> str:
    """`tel:` URI for a displayed number: keep a leading + and the digits, drop the visual separators."""
    return "tel:" + ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> _ResourcesFile:
    try:
        return load_data_file(path, _ResourcesFile)
    except DataFileError as exc:
        raise ResourceFileError(str(exc)) from exc


def _resolve(path: Path | None) -> Path:
    if path is not None:
        return path
    from app.config import get_settings

    return get_settings().crisis_resources_file or DEFAULT_RESOURCES


def _locale_block(locale: str, path: Path | None) -> _LocaleResources:
    resolved = _resolve(path)
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise ResourceFileError(f"{resolved}: cannot read crisis resources: {exc}") from exc
    data = _load(resolved, mtime)
    return data.en if locale.lower().startswith("en") else data.zh_CN


def load_resources(locale: str, path: Path | None = None) -> list[CrisisResource]:
    """The hotlines for `locale` (en* → en, anything else → zh-CN) from `path`, the configured file or the default."""
    return [
        CrisisResource(r.name, r.number, tel_uri(r.number), r.hours, r.note)
        for r in _locale_block(locale, path).resources
    ]


def resources_text(locale: str, path: Path | None = None) -> str:
    """One calm paragraph, then one line per hotline, ready to send as a bot message."""
    block = _locale_block(locale, path)
    lines = [block.intro.strip()]
    for r in load_resources(locale, path):
        if locale.lower().startswith("en"):
            lines.append(f"• {r.name}: {r.number} ({r.hours}). {r.note}".rstrip())
        else:
            lines.append(f"• {r.name}：{r.number}（{r.hours}）{r.note}".rstrip())
    return "\n".join(lines)
