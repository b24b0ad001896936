"""End to end with the real Rasa server and Debian's Chromium: a PHQ-9 with item 9 > 0 raises an urgent escalation
that appears in the console with a visible and audible alert; the counsellor claims it and writes; the message
shows in the employee's widget; the employee's reply shows in the console and never reaches Rasa; resolving hands
the employee back to the bot, which greets them and answers again."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.config import ROOT
from scripts.devstack import Stack
from tests.network.helpers import register_links
from tests.rasa_tracker import stored_user_texts
from tests.web.browser import PHONE, Requests, shot

pytestmark = pytest.mark.browser
PASSWORD = "console-e2e-" + uuid.uuid4().hex[:8]


def _create_counsellor(stack: Stack, username: str) -> None:
    env = {**os.environ, "XINAN_DATA_DIR": str(stack.settings.resolved_data_dir)}
    if stack.settings.database_url:
        env["XINAN_DATABASE_URL"] = stack.settings.database_url
    subprocess.run([sys.executable, "-m", "app", "centres", "create", "--id", "city", "--name", "City"], cwd=ROOT,
                   env=env, capture_output=True, text=True, timeout=120)  # the root centre (exit 1 if it exists)
    out = subprocess.run([sys.executable, "-m", "app", "users", "create", "--username", username, "--role",
                          "counsellor", "--centre", "city"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, input=f"{PASSWORD}\n")
    assert out.returncode == 0, out.stdout + out.stderr


def _rasa_user_texts(stack: Stack, escalation_id: str) -> list[str]:
    """What Rasa's tracker received from this employee (the test reads the store to find the session)."""
    engine = create_engine(stack.settings.sqlalchemy_url)
    with engine.connect() as c:
        sid = c.execute(text("SELECT session_id FROM escalation WHERE id = :id"), {"id": escalation_id}).scalar_one()
    engine.dispose()
    return stored_user_texts(stack.settings, sid)  # Rasa has no HTTP API: read its (encrypted) store


def test_phq9_item9_to_console_chat_and_back_to_the_bot(browser: object, live_stack: Stack) -> None:
    from playwright.sync_api import expect

    url = live_stack.app_url
    username = f"wang-{uuid.uuid4().hex[:6]}"
    _create_counsellor(live_stack, username)
    unit = f"e2e-{uuid.uuid4().hex[:6]}"
    register_links(live_stack.settings, "acme", unit)
    errors: list[str] = []

    # The counsellor signs in first and waits for the live feed.
    console_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    requests = Requests(console_ctx)
    console = console_ctx.new_page()
    console.on("pageerror", lambda e: errors.append(f"console: {e}"))
    console.goto(f"{url}/console?lang=zh-CN")
    console.get_by_label("用户名").fill(username)
    console.get_by_label("密码", exact=True).fill(PASSWORD)
    console.get_by_role("button", name="登录").click()
    expect(console.locator("#live")).to_have_text("实时更新已连接", timeout=15000)
    console.wait_for_timeout(500)
    if console.locator("#alert").is_visible():  # urgent cases other tests of this run left open
        console.locator("#alert-dismiss").click()
    beeps_before = int(console.locator("body").get_attribute("data-beeps") or 0)

    # The employee takes the PHQ-9 in the widget and answers item 9 with "好几天".
    widget_ctx = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[attr-defined]
    widget = widget_ctx.new_page()
    widget.on("pageerror", lambda e: errors.append(f"widget: {e}"))
    widget.goto(f"{url}/chat?org=acme&unit={unit}")
    widget.get_by_role("button", name="同意", exact=True).click()
    widget.locator(".chip:not([disabled])", has_text="PHQ-9").click()
    progress = widget.locator("#progress-text")
    for i in range(9):
        expect(progress).to_have_text(f"{i} / 9", timeout=20000)
        label = "好几天" if i == 8 else "完全不会"
        widget.locator(".chip:not([disabled])").get_by_text(label, exact=True).click()
    expect(widget.locator(".card-result")).to_be_visible(timeout=20000)

    # Without a reload, the console shows it on top, alerts (banner and beep), and the counsellor claims it.
    row = console.locator("#queue tbody tr", has_text=unit)
    expect(row).to_be_visible(timeout=15000)
    expect(row).to_contain_text("紧急")
    expect(row).to_contain_text("PHQ-9")  # the scale file's short name, not its id
    expect(row).to_have_class(re.compile(r"\bp-urgent\b"))
    expect(console.locator("#alert")).to_be_visible()
    assert int(console.locator("body").get_attribute("data-beeps") or 0) == beeps_before + 1
    shot(console, "console-urgent-alert")
    escalation_id = row.get_attribute("data-id")
    assert escalation_id
    assert console.locator("#alert").get_attribute("data-id") == escalation_id
    console.locator("#alert-dismiss").click()  # opens the case it announced
    expect(console.locator("#detail-body")).to_have_attribute("data-id", escalation_id)
    row.get_by_role("button", name="认领").click()
    expect(console.locator("#chat-form")).to_be_visible()
    expect(console.locator("#results")).to_contain_text("PHQ-9")
    answers = console.locator("#answers ol.answers li")
    expect(answers).to_have_count(9)
    expect(answers.nth(8)).to_contain_text("好几天")
    expect(console.locator("#chat .from-employee").first).to_be_visible()  # the transcript so far

    console.locator("#chat-form textarea").fill("你好，我是咨询师小王。刚才的回答让我有些担心你，愿意聊聊吗？")
    console.get_by_role("button", name="发送").click()
    expect(console.locator("#chat .from-counsellor")).to_have_count(1)

    # The widget receives it as the counsellor's, after the "counsellor joined" notice.
    counsellor_msg = widget.locator(".msg.counsellor")
    expect(counsellor_msg).to_have_count(1, timeout=15000)
    expect(counsellor_msg).to_contain_text("愿意聊聊吗")
    expect(widget.locator(".msg.system", has_text="心理咨询师已加入对话")).to_have_count(1)
    bots_before = widget.locator(".msg.bot").count()
    widget.locator("#input").fill("谢谢你，我最近真的很难受")
    widget.keyboard.press("Enter")
    expect(console.locator("#chat .from-employee", has_text="我最近真的很难受")).to_have_count(1, timeout=15000)
    shot(widget, "widget-counsellor-chat")
    shot(console, "console-live-chat")
    assert not any("我最近真的很难受" in t for t in _rasa_user_texts(live_stack, escalation_id))
    assert widget.locator(".msg.bot").count() == bots_before  # the bot stayed quiet during the handoff

    # A private note, then resolve: the employee is handed back to the bot, which greets them and answers again.
    console.locator("#note-form textarea").fill("约定明天上午再联系")
    console.get_by_role("button", name="保存备注").click()
    expect(console.locator("#notes li")).to_have_count(1)
    console.locator("#resolve-form select").select_option("contacted")
    console.locator("#btn-resolve").click()
    expect(console.locator("#case-summary")).to_contain_text("已结案", timeout=10000)
    expect(console.locator("#resolved-info")).to_contain_text("已联系并沟通")
    expect(console.locator(f'#queue tbody tr[data-id="{escalation_id}"]')).to_have_count(0)
    back = widget.locator(".msg.system", has_text="又回来陪你了")
    expect(back).to_have_count(1, timeout=15000)
    widget.locator("#input").fill("你好")
    widget.keyboard.press("Enter")
    expect(widget.locator(".msg.bot").nth(bots_before)).to_be_visible(timeout=20000)
    deadline = time.monotonic() + 20  # the widget may render an earlier bot row first; Rasa's tracker is the proof
    while "你好" not in _rasa_user_texts(live_stack, escalation_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "你好" in _rasa_user_texts(live_stack, escalation_id)
    shot(widget, "widget-back-to-bot")
    shot(console, "console-resolved")

    console.locator("#lang").click()  # the same console in English, strings from i18n/en.json
    expect(console.locator(".queue h2")).to_have_text("Queue")
    expect(console.locator("#resolved-info")).to_contain_text("Resolved: Contacted")
    shot(console, "console-resolved-en")

    assert errors == []
    requests.assert_only(httpx.URL(url).netloc.decode())
    widget_ctx.close()
    console_ctx.close()
