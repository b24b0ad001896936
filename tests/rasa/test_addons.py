"""The add-ons that run inside the Rasa process (dialogs/addons), exercised in Rasa's own interpreter: the kept
connections to the action server (against a real HTTP server), the log without message text, the encrypted tracker
store on a pooled, write-ahead-logged SQLite file, the remembered event classes, button payloads parsed
without the NLU graph (against the trained model), and action calls with this turn's events and the domain's
forms and slots only."""
from __future__ import annotations

import base64
import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from app.config import Settings
from app.crypto import Keyring, new_key
from app.rasa.process import DIALOGS, RASA_BIN, ROOT, model_path

RASA_PYTHON = RASA_BIN.parent / "python"
pytestmark = pytest.mark.skipif(not RASA_PYTHON.exists(), reason="Rasa's virtualenv is not set up (make setup)")


def run_in_rasa(script: str, env: dict[str, str] | None = None) -> dict:
    """Run a script with Rasa's interpreter and the add-ons importable; it prints one JSON object."""
    prelude = f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(DIALOGS)!r}]\n"
    done = subprocess.run([str(RASA_PYTHON), "-c", prelude + textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=180, env={"PATH": "/usr/bin:/bin", **(env or {})})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_action_calls_reuse_one_connection_and_a_new_one_after_idling() -> None:
    out = run_in_rasa("""
        import asyncio, json
        from aiohttp import web
        from addons import kept_action_connections
        kept_action_connections.apply()
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
    add-on is activated (as the server does, after configuring its logging), neither reaches the log."""
    out = run_in_rasa("""
        import io, json, logging
        import structlog
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.INFO)
        log = structlog.get_logger()
        log.info("before.addons")  # a logger already in use keeps working and is redacted too
        from addons.activation import activate
        activate(["redacted_logs"])  # as the app channel does at Rasa's start
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


def test_the_sqlite_tracker_store_is_pooled_in_wal_mode_and_still_encrypted(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    keys = Keyring.parse("k1:" + base64.urlsafe_b64encode(new_key()).decode())
    out = run_in_rasa(f"""
        import asyncio, json, sqlite3
        from addons.encrypted_tracker_store import EncryptedSQLTrackerStore
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.events import UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        async def main():
            store = EncryptedSQLTrackerStore(Domain.empty(), dialect="sqlite", db={str(db)!r})
            tracker = DialogueStateTracker("s1", [])
            tracker.update(UserUttered("我最近睡不好"))
            await store.save(tracker)
            tracker.update(UserUttered("第二句"))
            await store.save(tracker)
            back = await store.retrieve("s1")
            with sqlite3.connect({str(db)!r}) as raw:
                stored = [r[0] for r in raw.execute("select data from events order by id")]
                mode = raw.execute("pragma journal_mode").fetchone()[0]
            return {{"pool": type(store.engine.pool).__name__, "mode": mode, "stored": stored,
                    "connections": store.engine.pool.checkedin(),
                    "texts": [e.text for e in back.events if isinstance(e, UserUttered)]}}

        print(json.dumps(asyncio.run(main()), ensure_ascii=False))
    """, env={"XINAN_ENCRYPTION_KEYS": keys.serialize()})
    assert out["pool"] == "QueuePool" and out["connections"] == 1  # one kept connection served all four units
    assert out["mode"] == "wal"
    assert out["texts"] == ["我最近睡不好", "第二句"]
    assert len(out["stored"]) == 2 and all("睡不好" not in row and "第二句" not in row for row in out["stored"])
    assert json.loads(keys.decrypt(out["stored"][0], aad="s1"))["text"] == "我最近睡不好"


def test_the_remembered_event_classes_are_the_ones_rasas_walk_finds() -> None:
    out = run_in_rasa("""
        import json
        from addons import fast_event_lookup
        fast_event_lookup.apply()
        from rasa.shared.core.events import Event, SlotSet
        from rasa.shared.utils.common import all_subclasses

        names = sorted({c.type_name for c in all_subclasses(Event)})
        twice = [[Event.resolve_by_type(n) is fast_event_lookup._walk(n) for n in names] for _ in range(2)]
        try:
            Event.resolve_by_type("no such event")
            unknown = "no error"
        except ValueError as e:
            unknown = str(e)
        print(json.dumps({"names": len(names), "same": twice, "remembered": len(fast_event_lookup._found),
                          "topic": repr(Event.resolve_by_type("topic")), "unknown": unknown,
                          "default": Event.resolve_by_type("no such event", SlotSet) is SlotSet}))
    """)
    assert out["names"] > 20
    assert all(all(row) for row in out["same"])
    assert out["remembered"] == out["names"]
    assert out["topic"] == "None" and out["default"] is True
    assert out["unknown"] == "Unknown event name 'no such event'."


def test_action_calls_carry_this_turn_and_the_forms_and_otherwise_what_rasa_sends() -> None:
    """The lean call against Rasa's own format for the same tracker: the events are this turn's, the domain is its
    forms and slots (what the questionnaire form's validation reads), the rest is the same."""
    out = run_in_rasa(f"""
        import json
        from rasa.core.actions.action import RemoteAction
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker
        from rasa.utils.endpoints import EndpointConfig

        original = RemoteAction._action_call_format
        from addons import lean_action_calls
        lean_action_calls.apply()

        domain = Domain.load({str(DIALOGS / "domain.yml")!r})
        tracker = DialogueStateTracker.from_events("s1", [
            ActionExecuted("action_listen"),
            UserUttered("好几天", {{"name": "answer", "confidence": 0.9}}, metadata={{"xinan_message_id": "m1"}}),
            ActionExecuted("action_answer"), BotUttered("下一题", {{"buttons": []}}), ActionExecuted("action_listen"),
            UserUttered("/agree", {{"name": "agree", "confidence": 1.0}}, metadata={{"xinan_message_id": "m2"}})])
        action = RemoteAction("action_agree", EndpointConfig("http://127.0.0.1:9/webhook"))
        full, lean = original(action, tracker, domain), action._action_call_format(tracker, domain)
        print(json.dumps({{"full": full, "lean": lean, "full_bytes": len(json.dumps(full)),
                          "lean_bytes": len(json.dumps(lean))}}, default=str))
    """)
    full, lean = out["full"], out["lean"]
    assert len(full["tracker"]["events"]) == 6 and full["domain"]["intents"]
    assert lean["tracker"]["events"] == full["tracker"]["events"][-1:]
    assert lean["domain"] == {"forms": full["domain"]["forms"], "slots": full["domain"]["slots"]}
    assert lean["domain"]["forms"]["questionnaire_form"]["required_slots"] == ["item_answer"]
    assert {k: v for k, v in lean["tracker"].items() if k != "events"} == \
        {k: v for k, v in full["tracker"].items() if k != "events"}
    assert lean["tracker"]["latest_message"]["metadata"] == {"xinan_message_id": "m2"}
    assert {k: v for k, v in lean.items() if k not in ("tracker", "domain")} == \
        {k: v for k, v in full.items() if k not in ("tracker", "domain")}
    assert out["lean_bytes"] * 2 < out["full_bytes"]  # 6 events here; the history grows with the conversation


def test_button_payloads_parse_as_the_graph_would_without_running_it() -> None:
    """Each message is parsed by Rasa's own graph (the original method) and by the add-on: the same parse data for
    every kind, and the graph runs only for what is not a valid payload."""
    model = model_path(Settings(rasa_models_dir=ROOT / "var" / "models"))  # type: ignore[call-arg]
    if not model.exists():
        pytest.skip("the Rasa model is not trained (make setup)")
    texts = ['/answer{"option": "phq9:0:2"}', ' /agree', '/request_scale{"scale": "gad7"}', '/answer@0.5',
             '/no_such_intent', '/answer{"option": ', '/', '我最近睡不好', 'two', '']
    out = run_in_rasa(f"""
        import asyncio, json, logging
        logging.disable(logging.WARNING)
        from rasa.core.agent import load_agent
        from rasa.core.channels.channel import UserMessage
        from rasa.shared.core.trackers import DialogueStateTracker
        from addons import fast_slash_messages
        fast_slash_messages.apply()

        async def main():
            processor = (await load_agent(model_path={str(model)!r})).processor
            runs = []
            graph = processor.graph_runner
            original_run = graph.run
            graph.run = lambda *a, **k: runs.append(1) or original_run(*a, **k)
            tracker = DialogueStateTracker("s1", [])
            rows = []
            for text in {texts!r}:
                message = UserMessage(text, sender_id="s1", message_id="m1", metadata={{"xinan_message_id": "e1"}})
                before = len(runs)
                fast = processor._parse_message_with_graph(message, tracker)
                graph_used = len(runs) > before
                slow = fast_slash_messages._with_graph(processor, message, tracker)
                rows.append({{"text": text, "same": fast == slow, "graph": graph_used, "intent": fast["intent"],
                             "entities": fast["entities"]}})
            return rows

        print(json.dumps(asyncio.run(main()), ensure_ascii=False))
    """)
    by_text = {row["text"]: row for row in out}
    assert all(row["same"] for row in out), [row for row in out if not row["same"]]
    skipped = {t for t, row in by_text.items() if not row["graph"]}
    # a known intent with a broken rest is still a payload to Rasa (it warns and drops the rest): the same here
    assert skipped == {'/answer{"option": "phq9:0:2"}', ' /agree', '/request_scale{"scale": "gad7"}', '/answer@0.5',
                       '/answer{"option": '}
    assert by_text['/answer{"option": "phq9:0:2"}']["entities"][0]["value"] == "phq9:0:2"
    assert by_text['/answer@0.5']["intent"] == {"name": "answer", "confidence": 0.5}
