"""The add-ons that run inside the Rasa process (dialogs/addons), exercised in Rasa's own interpreter: the kept
connections to the action server (against a real HTTP server) and the log without message text."""
from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from app.dialogue.rasa_process import DIALOGS, RASA_BIN, ROOT

RASA_PYTHON = RASA_BIN.parent / "python"
pytestmark = pytest.mark.skipif(not RASA_PYTHON.exists(), reason="Rasa's virtualenv is not set up (make setup)")


def run_in_rasa(script: str) -> dict:
    """Run a script with Rasa's interpreter and the add-ons importable; it prints one JSON object."""
    prelude = f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(DIALOGS)!r}]\n"
    done = subprocess.run([str(RASA_PYTHON), "-c", prelude + textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=180, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_action_calls_reuse_one_connection_and_a_new_one_after_idling() -> None:
    out = run_in_rasa("""
        import asyncio, json
        from aiohttp import web
        from addons import kept_action_connections
        from rasa.utils.endpoints import EndpointConfig

        async def main():
            peers = []

            async def action(request):
                peers.append(request.transport.get_extra_info("peername")[1])
                return web.json_response({"events": [], "responses": []})

            app = web.Application()
            app.router.add_post("/webhook", action)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]
            endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="t")
            replies = [await endpoint.request(json={"n": i}, method="post") for i in range(3)]
            await asyncio.sleep(kept_action_connections.KEEPALIVE_SECONDS + 0.5)
            replies.append(await endpoint.request(json={"n": 3}, method="post"))
            await runner.cleanup()
            return {"peers": peers, "replies": replies}

        print(json.dumps(asyncio.run(main())))
    """)
    assert out["replies"] == [{"events": [], "responses": []}] * 4
    first, second, third, after_idle = out["peers"]
    assert first == second == third  # one connection for the three calls, not one each
    assert after_idle != first  # the idle one was let go before the server would close it


def test_rasa_logs_no_message_text() -> None:
    """Rasa logs the employee's text as an event field and in the locals of an exception's traceback; after the
    add-ons are imported (as the server does, after configuring its logging), neither reaches the log."""
    out = run_in_rasa("""
        import io, json, logging
        import structlog
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.INFO)
        log = structlog.get_logger()
        log.info("before.addons")  # a logger already in use keeps working and is redacted too
        import addons
        buffer = io.StringIO()
        logging.getLogger().handlers[0].setStream(buffer)

        def handle(text):
            raise ValueError("boom")
        try:
            handle("好几天 CANARY-30")
        except ValueError:
            log.exception("rest.message.received.failure", text="好几天 CANARY-31")
        log.error("rest.message.received.timeout", text="好几天 CANARY-32")
        log.info("slots.set", slot_values={"phq9_1": "CANARY-33"}, sender_id="s1")
        print(json.dumps({"log": buffer.getvalue()}))
    """)
    log = out["log"]
    assert all(e in log for e in ("rest.message.received.failure", "rest.message.received.timeout", "slots.set"))
    assert '"name": "handle"' in log and "ValueError" in log  # the traceback keeps its frames
    assert "CANARY" not in log and "[redacted]" in log
