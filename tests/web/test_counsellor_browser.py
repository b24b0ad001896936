"""A counsellor's message reaches the open widget by polling and is shown as the counsellor's, against the running
service: a crisis phrase opens an urgent escalation, a counsellor claims it and writes, the employee answers."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid

import httpx
import pytest

from app.config import ROOT
from scripts.devstack import Stack
from tests.network.helpers import register_links, root_centre_args
from tests.web.browser import PHONE, Requests, in_log, shot

pytestmark = pytest.mark.browser


def _counsellor_token(stack: Stack) -> str:
    name, password = f"web-c-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex + "Aa1!"
    env = {**os.environ, "XINAN_DATA_DIR": str(stack.settings.resolved_data_dir)}
    subprocess.run([sys.executable, "-m", "app", "users", "create", "--username", name, "--role", "counsellor",
                    *root_centre_args(env)], cwd=ROOT, env=env, check=True, capture_output=True,
                   input=f"{password}\n", text=True)
    r = httpx.post(f"{stack.app_url}/api/v1/auth/token", data={"username": name, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _top_in_view(page: object, selector: str) -> bool:
    """The first `selector` row begins inside the top third of the conversation's visible part."""
    box = in_log(page, selector)
    return -1 <= box["top"] <= box["height"] / 3


def test_counsellor_messages_arrive_and_look_different(browser: object, live_stack: Stack) -> None:
    from playwright.sync_api import expect

    url = live_stack.app_url
    unit = f"web-{uuid.uuid4().hex[:8]}"
    register_links(live_stack.settings, "acme", unit)
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    requests = Requests(context)
    page = context.new_page()
    page.goto(f"{url}/chat?org=acme&unit={unit}")
    page.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator(".chip:not([disabled])", has_text="GAD-7")).to_be_visible()
    page.locator("#input").fill("我觉得活着没有意义")
    page.keyboard.press("Enter")
    expect(page.locator(".card-resources").last).to_be_visible()  # crisis answer with tap-to-call hotlines
    expect(page.locator("#crisis-bar")).to_be_visible()  # "call now" pinned above the conversation
    assert _top_in_view(page, ".msg.kind-crisis")  # the reply is read from its start, not its end
    page.wait_for_timeout(5000)  # a poll (every 4 s) with nothing new leaves the reader where they are
    assert _top_in_view(page, ".msg.kind-crisis")

    auth = {"Authorization": f"Bearer {_counsellor_token(live_stack)}"}
    escalations = httpx.get(f"{url}/api/v1/escalations", params={"status": "open"}, headers=auth).json()
    mine = [e for e in escalations["escalations"] if e.get("unit") == unit]
    assert len(mine) == 1 and mine[0]["priority"] == "urgent", escalations
    esc = mine[0]["id"]
    assert httpx.post(f"{url}/api/v1/escalations/{esc}/claim", headers=auth).status_code == 200
    r = httpx.post(f"{url}/api/v1/escalations/{esc}/messages", json={"text": "你好，我是咨询师，我在这里陪你。"},
                   headers=auth)
    assert r.status_code == 201, r.text

    counsellor = page.locator(".msg.counsellor")
    expect(counsellor).to_have_count(1, timeout=15000)  # polled every few seconds
    expect(counsellor.locator(".sender-name")).to_have_text("心理咨询师")
    expect(counsellor.locator(".avatar")).to_have_text("咨")
    expect(counsellor.locator(".bubble")).to_contain_text("我在这里陪你")
    page.locator("#input").fill("谢谢你")
    page.keyboard.press("Enter")
    page.wait_for_timeout(5000)  # a poll after the handed-off turn must not duplicate the employee's message
    expect(page.locator(".msg.mine", has_text="谢谢你")).to_have_count(1)
    expect(page.get_by_role("alert")).to_have_count(0)
    shot(page, "widget-counsellor")
    transcript = httpx.get(f"{url}/api/v1/escalations/{esc}/messages", headers=auth)
    assert transcript.status_code == 200 and "谢谢你" in transcript.text
    requests.assert_only(httpx.URL(url).netloc.decode())
    context.close()
