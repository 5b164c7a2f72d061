"""The hand-written live datasets under tests/fixtures/datasets, and MarketData that carries them.

Shared by the tests of the claims that need live-only data (holdings, fundamentals, ETF shares).
"""

from __future__ import annotations

from pathlib import Path

from generator.datasets.store import load_datasets
from generator.market import MarketData

FIXTURE_DATASETS = Path(__file__).parents[2] / "fixtures" / "datasets"
DATASETS = load_datasets(FIXTURE_DATASETS)


def with_datasets(market: MarketData, **replace) -> MarketData:
    """The snapshot's series plus the fixture datasets (any of them replaced by keyword)."""
    return MarketData(market.frames, market.manifests, {**DATASETS, **replace})
