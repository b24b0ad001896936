"""The employee's chat widget: the /chat page, the /embed.js snippet, its static assets and the hotline list."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.campaigns import service as campaigns
from app.db import session_scope
from app.deps import get_rt
from app.reports.orgs import link_problem
from app.runtime import Runtime
from app.safety.resources import load_resources
from app.web.headers import page_headers

CHAT = Path(__file__).resolve().parent / "chat"
LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"
STATIC_PREFIX = "/static/chat"
EMBED_STRING_KEYS = ("embed_open", "embed_close", "embed_button", "embed_frame_title")

router = APIRouter(tags=["widget"])
templates = Jinja2Templates(directory=CHAT / "templates")
static = StaticFiles(directory=CHAT / "static")
RtDep = Annotated[Runtime, Depends(get_rt)]
Locale = Literal["zh-CN", "en"]


@lru_cache
def strings(locale: str) -> dict[str, str]:
    """All widget strings of one locale, from its single file (shared by the page, the scripts and embed.js)."""
    return json.loads((CHAT / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))


def pick_locale(value: str | None) -> str:
    if not value:
        return DEFAULT_LOCALE
    for loc in LOCALES:
        if value.lower() == loc.lower() or value.lower().split("-")[0] == loc.lower().split("-")[0]:
            return loc
    return DEFAULT_LOCALE


def _clean(value: str | None) -> str:
    """org/unit come from a QR link: keep them short and printable (the API limits them to 64 characters)."""
    return "".join(ch for ch in (value or "") if ch.isprintable())[:64]


@router.get("/chat", response_class=HTMLResponse, include_in_schema=False)
def chat_page(request: Request, rt: RtDep, org: str | None = None, unit: str | None = None,
              locale: str | None = None, embed: str | None = None, campaign: str | None = None) -> Response:
    loc = pick_locale(locale)
    config = {"org": _clean(org) or None, "unit": _clean(unit) or None, "campaign": _clean(campaign) or None,
              "locale": loc,
              "embed": embed == "1", "maxChars": rt.settings.max_message_chars,
              "api": f"{request.scope.get('root_path', '')}/api/v1"}
    switch = (("org", config["org"]), ("unit", config["unit"]), ("campaign", config["campaign"]),
              ("locale", strings(loc)["switch_lang_locale"]),
              ("embed", "1" if config["embed"] else None))
    other = {k: v for k, v in switch if v}
    with session_scope() as db:
        problem = link_problem(db, config["org"], config["unit"])
        if problem is None and config["campaign"] is not None:
            problem = campaigns.link_problem(db, str(config["campaign"]), config["org"], config["unit"])
        header = campaigns.header(db, config["campaign"]) if problem is None and config["campaign"] else None
    if problem is not None:  # a friendly page, not a widget that cannot start a conversation
        return _bad_link(request, rt, loc, config["embed"], other)
    context = {"t": strings(loc), "locale": loc, "static": request.scope.get("root_path", "") + STATIC_PREFIX,
               "config_json": json.dumps(config, ensure_ascii=False), "max_chars": rt.settings.max_message_chars,
               "strings_json": json.dumps(strings(loc), ensure_ascii=False), "embed": config["embed"],
               "switch_url": "?" + urlencode(other), "campaign": header,
               "campaign_closes": _closes(header, loc) if header else None}
    return templates.TemplateResponse(request, "chat.html", context, headers=page_headers(rt.settings))


def _closes(header: dict[str, object], loc: str) -> str:
    """"Open until …" in the page's language (the date as people there write it)."""
    day = header["closes_on"]
    assert isinstance(day, date)
    text = f"{day.year}年{day.month}月{day.day}日" if loc == "zh-CN" else f"{day.day} {day:%B} {day.year}"
    return strings(loc)["campaign_closes"].replace("{date}", text)


def _bad_link(request: Request, rt: Runtime, loc: str, embed: bool, switch: dict[str, str]) -> Response:
    """404 for a QR code or link nobody registered (or of a unit of another org): what happened, the general link
    that needs no workplace, and the hotlines."""
    general = {"locale": loc} | ({"embed": "1"} if embed else {})
    context = {"t": strings(loc), "locale": loc, "static": request.scope.get("root_path", "") + STATIC_PREFIX,
               "embed": embed, "switch_url": "?" + urlencode(switch), "general_url": "?" + urlencode(general),
               "resources": load_resources(loc, rt.settings.crisis_resources_file)}
    return templates.TemplateResponse(request, "bad_link.html", context, status_code=404,
                                      headers=page_headers(rt.settings))


@router.get("/embed.js", include_in_schema=False)
def embed_script() -> Response:
    """The host-page snippet; its strings are filled in from the locale files so they live in one place."""
    texts = {loc: {k: strings(loc)[k] for k in EMBED_STRING_KEYS} for loc in LOCALES}
    body = (CHAT / "embed.js").read_text(encoding="utf-8").replace(
        "__XINAN_STRINGS__", json.dumps(texts, ensure_ascii=False))
    return Response(body, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@router.get(STATIC_PREFIX + "/{path:path}", include_in_schema=False)
async def chat_asset(path: str, request: Request) -> Response:
    """The widget's scripts and styles, revalidated on every load (ETag) so an update is seen at once."""
    response = await static.get_response(path, request.scope)
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/api/v1/resources", tags=["employee"])
def crisis_resources(rt: RtDep, locale: Annotated[Locale, Query()] = "zh-CN") -> dict[str, list[dict]]:
    """Crisis hotlines for the widget's help panel (the same list the bot's resources cards carry)."""
    return {"resources": [asdict(r) for r in load_resources(locale, rt.settings.crisis_resources_file)]}
