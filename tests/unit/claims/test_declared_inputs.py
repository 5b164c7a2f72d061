"""Every claim declares every input it reads: series it needs, series it reads when present (optional), and
datasets. Reads are recorded on the committed snapshot plus every dataset (committed and fixture)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest
from _live_datasets import DATASETS as FIXTURE_DATASETS

from generator.claimkit.evaluate import evaluate
from generator.claims import all_claims
from generator.datasets.store import DATASETS_DIR
from generator.market import MarketData
from generator.store import load_datasets


class Recording(dict):
    """A dict that remembers which keys were asked for (by [], get or in)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.asked: set[Hashable] = set()

    def __getitem__(self, key: Hashable) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key: Hashable, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.asked.add(key)  # type: ignore[arg-type]
        return super().__contains__(key)


@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_a_claim_reads_only_what_it_declares(market, claim):
    frames = Recording(market.frames)
    datasets = Recording({**FIXTURE_DATASETS, **load_datasets(DATASETS_DIR)})
    evaluate(claim, MarketData(frames, market.manifests, datasets), "latest")
    undeclared_series = frames.asked - set(claim.needs) - set(claim.optional)
    undeclared_datasets = datasets.asked - set(claim.datasets)
    assert not undeclared_series, f"{claim.id} reads series it does not declare: {sorted(undeclared_series)}"
    assert not undeclared_datasets, f"{claim.id} reads datasets it does not declare: {sorted(undeclared_datasets)}"


def test_the_recording_catches_an_undeclared_read(market):
    from dataclasses import replace

    from generator.claims import get

    claim = replace(get("BTC-RUT-CORRELATION"), optional=())  # as it was before it declared PSCT
    frames = Recording(market.frames)
    evaluate(claim, MarketData(frames, market.manifests, Recording()), "latest")
    assert frames.asked - set(claim.needs) == {"psct"}
