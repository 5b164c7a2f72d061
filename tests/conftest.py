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
        pytest.skip("needs ../shared/data/raw, the collectors' raw files kept next to the repository "
                    "(absent on a fresh clone; the embedded snapshot in data/ does not need it)")
    return SHARED_RAW_DIR


class NetworkBlocked(RuntimeError):
    """Raised when a test reaches for the network through libcurl."""


@pytest.fixture(autouse=True)
def _no_curl_network(monkeypatch):
    """pytest-socket cannot see libcurl's own sockets (yfinance and our HTTP sources use curl_cffi), so the
    one call that sends a request, ``Curl.perform``, fails in every test. Fakes answer before reaching it."""
    import curl_cffi.curl

    def blocked(*_args, **_kwargs):
        raise NetworkBlocked("network access is disabled in tests (curl_cffi)")

    monkeypatch.setattr(curl_cffi.curl.Curl, "perform", blocked)


@pytest.fixture(autouse=True)
def _fresh_probes():
    """Each test starts a new "run": no host has been probed or reported yet."""
    from generator.sources.net import PROBES

    PROBES.clear()
    yield
    PROBES.clear()
