"""Security suite fixtures: one running app per module (see world.py), and the `audit` marker."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.security.world import World, running_app


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "audit: pip-audit of both virtualenvs against the PyPI advisory database")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_app(tmp_path_factory.mktemp("security")) as w:
        yield w
