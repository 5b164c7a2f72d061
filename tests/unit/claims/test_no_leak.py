"""No claim can see data published after 2026-01-23 when it is checked as of publication.

For every claim in the registry: compute it as of publication, then scramble every observation dated after
that day (series and live datasets alike) and compute again. Nothing may move.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _live_datasets import with_datasets

from generator.article import PUBLICATION_DATE
from generator.claims import all_claims
from generator.claims.evaluate import evaluate
from generator.market import MarketData

PUB = pd.Timestamp(PUBLICATION_DATE)


def scramble_after(frame: pd.DataFrame, dates: pd.Series | pd.Index) -> pd.DataFrame:
    """Multiply every number dated after publication by 7.3: any leak would change a figure."""
    out = frame.copy()
    later = np.asarray(pd.to_datetime(dates) > PUB)
    for col in out.select_dtypes("number").columns:
        out.loc[later, col] = out.loc[later, col] * 7.3
    return out


@pytest.fixture(scope="module")
def full(market) -> MarketData:
    return with_datasets(market)


@pytest.fixture(scope="module")
def scrambled(full) -> MarketData:
    frames = {k: scramble_after(v, v.index) for k, v in full.frames.items()}
    datasets = {k: scramble_after(v, v.index if "date" not in v.columns else v["date"])
                for k, v in full.datasets.items()}
    return MarketData(frames, full.manifests, datasets)


@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_publication_check_ignores_everything_after_publication(claim, full, scrambled):
    before = evaluate(claim, full, "publication", PUBLICATION_DATE)
    after = evaluate(claim, scrambled, "publication", PUBLICATION_DATE)
    assert after.missing == before.missing
    if before.computation is None:
        return
    assert after.computation.readings == before.computation.readings
    assert after.verdict == before.verdict
    assert before.data_date is None or before.data_date <= PUBLICATION_DATE.isoformat()
    evidence = before.computation.evidence
    if evidence is not None and "date" in evidence.columns:
        assert pd.to_datetime(evidence["date"]).max() <= PUB


def test_the_scramble_would_show_up_in_a_latest_check(full, scrambled):
    """The test above can fail: the same scramble does change what the latest data say."""
    claim = next(c for c in all_claims() if c.id == "RUT-YTD-2026")
    latest, latest_scrambled = evaluate(claim, full, "latest"), evaluate(claim, scrambled, "latest")
    assert latest.computation.readings != latest_scrambled.computation.readings
