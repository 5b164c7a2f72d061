"""Shared fixtures. Tests never touch the network: pytest-socket is on for every test (see pyproject)."""

from __future__ import annotations

import pytest

from generator.load import load_snapshot
from generator.market import MarketData
from generator.paths import SHARED_RAW_DIR, SNAPSHOT_DIR
from generator.snapshot.store import SnapshotStore


@pytest.fixture(scope="session")
def market() -> MarketData:
    """The committed embedded snapshot, validated, as the build sees it."""
    return load_snapshot(SnapshotStore(SNAPSHOT_DIR)).data


@pytest.fixture(scope="session")
def shared_raw():
    """The raw collectors' files, for cross-checks; tests using it skip on a clone without ../shared."""
    if not SHARED_RAW_DIR.exists():
        pytest.skip("../shared/data/raw is not present (fresh clone)")
    return SHARED_RAW_DIR
