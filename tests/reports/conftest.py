"""Report fixtures: `zero_noise` makes OpenDP's draws zero, for tests that check exact figures and structure (the
noise itself is tested in test_privacy_budget.py and test_padding_attacker.py)."""
from __future__ import annotations

import pytest

from app.reports import noise


@pytest.fixture
def zero_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
