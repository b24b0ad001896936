"""The widget's HTTP surface with TestClient: page, embed.js, assets, security headers and the hotline list."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web import router as web
from app.web.headers import content_security_policy, frame_ancestors
from tests.fakes import FakeRasa
from tests.network.helpers import WORLD_LINK, register_links

STATIC = Path(web.__file__).parent / "chat" / "static"


def _attr(page: str, name: str) -> dict:
    m = re.search(rf'{name}="([^"]*)"', page)
    assert m, name
    return json.loads(html.unescape(m.group(1)))


def _assert_security_headers(r, ancestors: str = "'self'") -> None:  # type: ignore[no-untyped-def]
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no hosts
    assert directives["frame-ancestors"] == ancestors
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_chat_page_zh_default(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    register_links(None, *WORLD_LINK)
    r = client.get("/chat?org=acme&unit=plant-1")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    _assert_security_headers(r)
    page = r.text
    assert '<html lang="zh-CN">' in page
    assert "<title>心安" in page
    assert 'role="log"' in page and 'aria-live="polite"' in page
    # No inline script: every <script> has a src on this app, and nothing points to another host.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="/static/chat/' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"""(src|href)="(https?:)?//""", page)
    config = _attr(page, "data-config")
    assert config == {"org": "acme", "unit": "plant-1", "campaign": None, "locale": "zh-CN", "embed": False,
                      "maxChars": 2000, "api": "/api/v1"}
    assert _attr(page, "data-strings") == json.loads((web.CHAT / "i18n" / "zh-CN.json").read_text())
    assert 'href="?org=acme&amp;unit=plant-1&amp;locale=en"' in page  # the language switch keeps org/unit


def test_chat_page_english_and_embed(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    r = client.get("/chat", params={"locale": "en", "embed": "1"})
    page = r.text
    assert '<html lang="en">' in page
    assert "Type a message" in page and "发送" not in page
    assert 'id="close-widget"' in page
    assert _attr(page, "data-config")["embed"] is True
    assert 'href="?locale=zh-CN&amp;embed=1"' in page


def test_chat_page_escapes_org_and_unit(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    evil = '"><script>alert(1)</script>'
    refused = client.get("/chat", params={"org": evil, "unit": "x" * 200, "locale": "fr"})
    assert refused.status_code == 404 and "<script>alert(1)" not in refused.text  # the bad-link page escapes too
    register_links(None, evil)  # an admin could register such an id
    page = client.get("/chat", params={"org": evil, "locale": "fr"}).text
    assert "<script>alert(1)" not in page
    config = _attr(page, "data-config")
    assert config["org"] == evil and config["unit"] is None
    assert config["locale"] == "zh-CN"  # unknown locales fall back to Chinese


def test_frame_ancestors_from_settings(app_client: tuple[TestClient, FakeRasa], settings: Settings) -> None:
    client, _ = app_client
    settings.embed_allowed_origins = "https://intranet.example.com http://127.0.0.1:9999 bad;origin"
    r = client.get("/chat")
    _assert_security_headers(r, "'self' https://intranet.example.com http://127.0.0.1:9999")


def test_frame_ancestors_rules() -> None:
    assert frame_ancestors(Settings(embed_allowed_origins="")) == "'self'"
    assert frame_ancestors(Settings(embed_allowed_origins="'none'")) == "'none'"
    assert frame_ancestors(Settings(embed_allowed_origins="https://*.corp.cn self")) == "'self' https://*.corp.cn"
    assert "script-src 'self';" in content_security_policy(Settings())


def test_embed_js(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    r = client.get("/embed.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["x-content-type-options"] == "nosniff"
    body = r.text
    assert "__XINAN_STRINGS__" not in body
    strings = json.loads(re.search(r"var STRINGS = (\{.*?\});\n", body).group(1))  # type: ignore[union-attr]
    assert strings["zh-CN"]["embed_open"] == "打开心安聊天"
    assert strings["en"]["embed_close"] == "Close the Xin'an chat"
    assert '"/chat?"' in body and "postMessage" not in body  # it only listens; the chat page posts "close"


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC.iterdir()))
def test_every_asset_is_served(app_client: tuple[TestClient, FakeRasa], name: str) -> None:
    client, _ = app_client
    r = client.get(f"/static/chat/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] in {"text/javascript", "application/javascript", "text/css"}
    assert r.headers["cache-control"] == "no-cache"
    assert r.content == (STATIC / name).read_bytes()
    assert not re.search(r"https?://", r.text.replace("http://www.w3.org/2000/svg", ""))  # no CDN, no host
    again = client.get(f"/static/chat/{name}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_module_imports_resolve() -> None:
    """Every relative import of the ES modules names a file that exists (there is no build step to catch it)."""
    for path in STATIC.glob("*.js"):
        for target in re.findall(r'from "\./([\w.-]+)"', path.read_text()):
            assert (STATIC / target).is_file(), f"{path.name} imports missing {target}"


def test_assets_do_not_escape_their_folder(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    assert client.get("/static/chat/missing.js").status_code == 404
    assert client.get("/static/chat/..%2Frouter.py").status_code == 404
    assert client.get("/static/chat/../i18n/en.json").status_code == 404


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_resources_endpoint(app_client: tuple[TestClient, FakeRasa], locale: str) -> None:
    client, _ = app_client
    r = client.get("/api/v1/resources", params={"locale": locale})
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    resources = r.json()["resources"]
    assert resources
    for res in resources:
        assert set(res) == {"name", "number", "tel", "hours", "note"}
        assert res["tel"] == "tel:" + re.sub(r"[^+0-9]", "", res["number"])


def test_resources_endpoint_rejects_unknown_locale(app_client: tuple[TestClient, FakeRasa]) -> None:
    client, _ = app_client
    assert client.get("/api/v1/resources", params={"locale": "fr"}).status_code == 422
    assert client.get("/api/v1/resources").json() == client.get("/api/v1/resources?locale=zh-CN").json()


def test_locale_files_have_the_same_keys() -> None:
    zh = json.loads((web.CHAT / "i18n" / "zh-CN.json").read_text())
    en = json.loads((web.CHAT / "i18n" / "en.json").read_text())
    assert set(zh) == set(en)
    assert all(isinstance(v, str) and v for v in [*zh.values(), *en.values()])


def test_every_string_the_scripts_use_exists() -> None:
    keys = set(json.loads((web.CHAT / "i18n" / "zh-CN.json").read_text()))
    used: set[str] = set()
    for path in STATIC.glob("*.js"):
        used |= set(re.findall(r"\bS\.(\w+)", path.read_text()))
        used |= {f"{prefix}_{s}" for prefix in re.findall(r"S\[`(\w+)_\$\{sender\}`\]", path.read_text())
                 for s in ("bot", "counsellor", "system", "employee") if (prefix, s) != ("avatar", "employee")}
    assert used and used <= keys, used - keys


@pytest.mark.parametrize(("query", "lang"), [("org=ghost&unit=plant-1", "zh-CN"),
                                             ("org=acme&unit=nope&locale=en", "en"), ("unit=plant-1", "zh-CN")])
def test_a_bad_link_gets_a_friendly_page_with_hotlines(app_client: tuple[TestClient, FakeRasa], query: str,
                                                       lang: str) -> None:
    client, _ = app_client
    r = client.get(f"/chat?{query}")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    _assert_security_headers(r)
    page = r.text
    words = web.strings(lang)
    assert html.escape(words["bad_link_title"]) in page and f'lang="{lang}"' in page
    resources = client.get("/api/v1/resources", params={"locale": lang}).json()["resources"]
    assert resources and all(f'href="{x["tel"]}"' in page for x in resources)  # every hotline, tap to call
    general = re.search(r'class="primary-link" href="([^"]*)"', page)
    assert general and "org" not in general.group(1) and "unit" not in general.group(1)
    assert client.get("/chat" + html.unescape(general.group(1))).status_code == 200  # the general link works
    assert "data-config" not in page  # no widget that could not start a conversation
