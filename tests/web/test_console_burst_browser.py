"""The console in Chromium during a flood: crisis messages from several fresh sessions of one client, at
once, raise one alert with a count (one beep), and the queue marks each case of the burst."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid

import httpx
import pytest

from app.config import ROOT, Settings
from tests.network.helpers import register_links, root_centre_args
from tests.web.browser import shot
from tests.web.conftest import PlainApp

pytestmark = pytest.mark.browser
BURST = 5


def test_a_burst_of_crises_is_one_alert_with_a_count(browser: object, plain_app: PlainApp) -> None:
    from playwright.sync_api import expect

    username, password = f"flood-{uuid.uuid4().hex[:6]}", "burst watch " + uuid.uuid4().hex[:8]
    env = {**os.environ, "XINAN_DATA_DIR": str(plain_app.data_dir)}
    subprocess.run([sys.executable, "-m", "app", "users", "create", "--username", username, "--role", "counsellor",
                    *root_centre_args(env)], cwd=ROOT, env=env, input=password + "\n",
                   text=True, check=True, capture_output=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en")  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{plain_app.url}/console?lang=en")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#live.on")).to_be_visible(timeout=15000)
    page.wait_for_timeout(500)
    if page.locator("#alert").is_visible():  # urgent cases other tests left open
        page.locator("#alert-dismiss").click()
    beeps = int(page.locator("body").get_attribute("data-beeps") or 0)

    unit = f"flood-{uuid.uuid4().hex[:6]}"
    register_links(Settings(data_dir=plain_app.data_dir), "acme", unit)  # type: ignore[call-arg]
    with httpx.Client(base_url=plain_app.url, timeout=30) as http:
        for _ in range(BURST):  # all from 127.0.0.1: one client
            r = http.post("/api/v1/sessions", json={"org": "acme", "unit": unit, "locale": "zh-CN"})
            assert r.status_code == 201, r.text
            sid, auth = r.json()["session_id"], {"Authorization": f"Bearer {r.json()['token']}"}
            http.post(f"/api/v1/sessions/{sid}/messages", json={"payload": "/agree"}, headers=auth)
            said = http.post(f"/api/v1/sessions/{sid}/messages", json={"text": "我不想活了"}, headers=auth)
            assert said.status_code == 200, said.text

    expect(page.locator("#alert-text")).to_have_text(f"{BURST} urgent cases in a burst from one source! "
                                                     "Check and claim them.", timeout=15000)
    rows = page.locator("#queue tbody tr", has_text=unit)
    expect(rows).to_have_count(BURST)
    expect(rows.locator(".badge.burst").first).to_have_text(f"burst ×{BURST}", timeout=10000)
    assert int(page.locator("body").get_attribute("data-beeps") or 0) == beeps + 1, "one beep for the burst"
    shot(page, "console-burst-alert")
    context.close()
    assert not errors, errors
