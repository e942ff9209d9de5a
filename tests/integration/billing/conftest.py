"""Fixtures of the billing comparisons: the recorder runs (statistics are what is compared)."""

from __future__ import annotations

import pytest


@pytest.fixture
def uses_statistics() -> bool:
    """Every billing test compares statistics: the harness's recorder runs."""
    return True
