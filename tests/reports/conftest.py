"""Report fixtures: `zero_noise` makes OpenDP's draws zero and the API's budget generous (epsilon 10, so margins and
the noise floor of suppression are about 1), for tests that check exact figures and structure; the noise itself
and the default budget are tested in test_privacy_budget.py and test_padding_attacker.py."""
from __future__ import annotations

import pytest

from app.reports import noise, router
from app.reports.noise import Budget


@pytest.fixture
def zero_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(noise, "draw", lambda scale, n: [0] * n)
    monkeypatch.setattr(router, "budget_of", lambda settings: Budget(10.0, 10.0, 0.5))
