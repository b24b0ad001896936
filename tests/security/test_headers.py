"""Security headers on every page and every API response, and no staff cookies anywhere."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.security.matrix import TABLE
from tests.security.world import World, running_app

HOST_PAGE = "https://intranet.example.com"
PAGES = ("/chat", "/console", "/hr")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Embedding allowed for one host page, plus a value that tries to smuggle a directive into the CSP."""
    origins = f"{HOST_PAGE} https://evil.example;script-src * javascript:alert(1)"
    with running_app(tmp_path_factory.mktemp("headers"), embed_allowed_origins=origins) as w:
        yield w


def _directives(csp: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            assert words[0] not in out, f"directive {words[0]} twice in {csp!r}"
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("path", PAGES)
def test_html_pages_carry_csp_nosniff_and_referrer_policy(world: World, path: str) -> None:
    r = world.client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = _directives(r.headers["content-security-policy"])
    assert "frame-ancestors" in csp and "'unsafe-inline'" not in " ".join(csp.get("script-src", csp["default-src"]))
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    if path == "/chat":  # only the configured host page (and the app itself) may frame the widget
        assert csp["frame-ancestors"] == ["'self'", HOST_PAGE]
    else:  # staff pages are never framed
        assert csp["frame-ancestors"] == ["'none'"]


def _allowed_calls() -> list[tuple[str, str, str]]:
    out = []
    for (method, path), rule in TABLE.items():
        role = next((r for r, s in rule.expect.items() if s < 400), "anonymous")
        if path.startswith("/api/") and not rule.stream:
            out.append((method, path, role))
    return out


@pytest.mark.parametrize(("method", "path", "role"), _allowed_calls(), ids=[f"{m} {p}" for m, p, _ in _allowed_calls()])
def test_api_responses_are_never_cached_and_set_no_cookie(world: World, method: str, path: str, role: str) -> None:
    """Successful and refused alike: an API response may hold personal data, so no cache keeps it."""
    objs = world.objects()
    for who in (role, "anonymous"):
        request = TABLE[(method, path)].build(world, objs)
        r = world.client.request(request.pop("method"), request.pop("url"), headers=world.headers(who, objs),
                                 **request)
        assert r.headers.get("cache-control") == "no-store", f"{method} {path} as {who}: {r.status_code}"
        assert "set-cookie" not in r.headers, f"{method} {path} sets a cookie"
        assert r.headers["x-content-type-options"] == "nosniff"


def test_login_sets_no_cookie_and_the_token_is_only_in_the_body(world: World) -> None:
    r = world.client.post("/api/v1/auth/token", data={"username": "admin", "password": "a long test password"})
    assert r.status_code == 200 and "set-cookie" not in r.headers and not world.client.cookies
    assert r.headers["cache-control"] == "no-store"


def test_error_pages_carry_the_headers_too(world: World) -> None:
    for path in ("/api/v1/nowhere", "/console/static/../../config.py", "/hr/static/%2e%2e/router.py"):
        r = world.client.get(path)
        assert r.status_code == 404 and r.headers["x-content-type-options"] == "nosniff"
        assert "XINAN" not in r.text and "import" not in r.text
