"""Rasa 3.6 builds a new aiohttp session, and so opens a new TCP connection, for every call to the action server and
closes it afterwards (rasa.utils.endpoints.EndpointConfig.request): connecting costs about a twentieth of Rasa's CPU
per turn. Keep one session per endpoint and event loop, with its connections alive.

A kept connection is dropped after KEEPALIVE_SECONDS idle, before the app's server closes it (uvicorn: 5 s), so a
request is never sent on a connection the other side is closing."""
from __future__ import annotations

import asyncio
import weakref
from typing import Any

import aiohttp
from rasa.utils import endpoints
from rasa.utils.endpoints import EndpointConfig

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)
KEEPALIVE_SECONDS = 2.0

_Key = tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_Key, aiohttp.ClientSession]] = (
    weakref.WeakKeyDictionary())


class _Kept:
    """`async with endpoint.session() as s` yields the kept session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: Any) -> bool | None:
        return None


def _kept_session(self: EndpointConfig) -> _Kept:
    per_loop = _sessions.setdefault(asyncio.get_running_loop(), {})
    key = (str(self.url), tuple(sorted((self.headers or {}).items())),
           tuple(sorted((self.basic_auth or {}).items())))
    session = per_loop.get(key)
    if session is None or session.closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(headers=self.headers, auth=auth,
                                        timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
                                        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))
        per_loop[key] = session
    return _Kept(session)


def apply() -> None:
    EndpointConfig.session = _kept_session  # type: ignore[method-assign,assignment]
