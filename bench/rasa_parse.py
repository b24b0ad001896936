"""Rasa's intent for each message, with the trained model, as the crisis decision bench needs it.

Runs in Rasa's own interpreter (.venv-rasa, Python 3.10): reads one JSON list of texts from IN_FILE and writes one JSON
list of {"intent": name, "confidence": c} in the same order to OUT_FILE (Rasa's own log goes to stdout).
Usage: rasa_parse.py MODEL IN_FILE OUT_FILE; started by bench/crisis_decision_bench.py.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
import sys


async def main(model: str, in_file: str, out_file: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    out = []
    with open(in_file, encoding="utf-8") as f:
        texts = json.load(f)
    for text in texts:
        parsed = agent.parse_message(text)
        if inspect.isawaitable(parsed):
            parsed = await parsed
        intent = parsed.get("intent") or {}
        out.append({"intent": intent.get("name"), "confidence": float(intent.get("confidence") or 0.0)})
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    asyncio.run(main(*sys.argv[1:4]))
