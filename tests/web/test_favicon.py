"""/favicon.ico is served (browsers fetch it on every page) and each HTML page points at it."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def client(app_client: tuple[TestClient, object]) -> TestClient:
    return app_client[0]


def test_favicon_is_an_icon(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00", "an ICO file header"
    assert 0 < len(r.content) < 10_000


@pytest.mark.parametrize("page", ["/chat", "/console", "/hr"])
def test_every_page_links_the_icon(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200
    assert '<link rel="icon" href="/favicon.ico">' in r.text
