from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.staff import router


@pytest.fixture(autouse=True)
def fresh_login_limits() -> Iterator[None]:
    """Login limits live in process memory; each test starts, and leaves, with none spent."""
    router._failures.clear()
    router._blocked_clients.clear()
    yield
    router._failures.clear()
    router._blocked_clients.clear()
