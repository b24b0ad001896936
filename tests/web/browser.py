"""Helpers of the widget's browser tests: Debian's Chromium through Playwright, request recording, screenshots."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.config import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-output" / "screenshots"
PHONE = {"width": 360, "height": 640}


def require_chromium() -> None:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium); "
                    "the tests never download a browser")


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shot(page: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


class Requests:
    """Every request a page (and its frames) makes, to assert that nothing leaves the app's host."""

    def __init__(self, context: object) -> None:
        self.urls: list[str] = []
        context.on("request", lambda r: self.urls.append(r.url))  # type: ignore[attr-defined]

    def hosts(self) -> set[str]:
        return {urlsplit(u).netloc for u in self.urls if not u.startswith("data:")}

    def assert_only(self, *hosts: str) -> None:
        assert self.urls, "no request was recorded"
        stray = [u for u in self.urls if not u.startswith("data:") and urlsplit(u).netloc not in hosts]
        assert not stray, f"requests to other hosts: {stray}"


def digits(text: str) -> str:
    return re.sub(r"[^0-9+]", "", text)


def in_log(page: object, selector: str) -> dict[str, float]:
    """Where the first `selector` sits in the widget's visible conversation: its top and bottom measured from the
    top of the visible part, and that part's height."""
    return page.evaluate(f"""() => {{
        const l = document.getElementById('log').getBoundingClientRect();
        const r = document.querySelector('{selector}').getBoundingClientRect();
        return {{top: r.top - l.top, bottom: r.bottom - l.top, height: l.height}};
      }}""")  # type: ignore[attr-defined, no-any-return]
