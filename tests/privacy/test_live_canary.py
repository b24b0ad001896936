"""A canary typed by an employee appears in no log line and in no file under the data dir in plaintext — Rasa's
tracker store included — and neither does the session token."""
from __future__ import annotations

import pytest

from app.config import ROOT
from scripts.devstack import Stack
from tests.conversation.live_client import Employee

pytestmark = pytest.mark.rasa


def test_canary_is_nowhere_in_plaintext(live_stack: Stack) -> None:
    canary = "CANARY-7c1e-金丝雀-Qx93"
    emp = Employee(live_stack.app_url, "zh-CN")
    emp.tap("同意")
    emp.send(text=f"{canary} 你好")
    emp.tap("GAD-7")
    emp.send(text=f"好几天 {canary}")
    assert any(canary in m["text"] for m in emp.history())  # it was stored (and reads back decrypted)
    token = emp.auth["Authorization"].split()[1]
    data_dir = live_stack.settings.resolved_data_dir
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "rasa_tracker.db" for p in files) and any(p.name.startswith("xinan.db") for p in files)
    logs = [p for p in (ROOT / "test-output" / "logs").glob("*.log")]
    assert logs, "the live stack writes its logs under test-output/logs"
    for path in files + logs:
        blob = path.read_bytes()
        for secret in (canary, token):
            for enc in ("utf-8", "utf-16-le"):
                assert secret.encode(enc) not in blob, f"{secret[:8]}… in plaintext in {path}"
        assert "金丝雀".encode("unicode_escape") not in blob, f"escaped canary in {path}"
