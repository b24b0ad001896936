"""Fixtures for the scale tests: the real scales/ folder, loaded once, and a helper to write broken copies."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.scales.registry import ScaleRegistry

REPO = Path(__file__).resolve().parents[2]
SCALES_DIR = REPO / "scales"


@pytest.fixture(scope="session")
def registry() -> ScaleRegistry:
    return ScaleRegistry.from_dir(SCALES_DIR)
