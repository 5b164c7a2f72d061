"""No claim can see a bar that had not closed when the article appeared.

Publication is a moment (noon Beijing time, 2026-01-23). For every claim in the registry: compute it as of
that moment, then scramble every observation that closed after it, under each series' own closing rule
(series and datasets alike), and compute again. Nothing may move, except the one reading that says what the
writer would have seen with one more day of data, which is labelled as not the verdict.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from _live_datasets import with_datasets

from generator.article import PUBLISHED_AT
from generator.calendars import last_visible_day
from generator.catalog import spec
from generator.claimkit.evaluate import ONE_MORE_DAY, evaluate
from generator.claims import all_claims
from generator.market import MarketData


def scramble_after(frame: pd.DataFrame, dates: pd.Series | pd.Index, calendar: str) -> pd.DataFrame:
    """Multiply every number that closed after publication by 7.3: any leak would change a figure."""
    out = frame.copy()
    later = np.asarray(pd.to_datetime(dates) > pd.Timestamp(last_visible_day(calendar, PUBLISHED_AT)))
    for col in out.select_dtypes("number").columns:
        out[col] = out[col].astype(float)
        out.loc[later, col] = out.loc[later, col] * 7.3
    return out


@pytest.fixture(scope="module")
def full(market) -> MarketData:
    return with_datasets(market)


@pytest.fixture(scope="module")
def scrambled(full) -> MarketData:
    frames = {k: scramble_after(v, v.index, spec(k).calendar) for k, v in full.frames.items()}
    datasets = {k: scramble_after(v, v.index if "date" not in v.columns else v["date"], "business")
                for k, v in full.datasets.items()}
    return MarketData(frames, full.manifests, datasets)


def seen(result) -> list:
    return [r for r in result.computation.readings if r.key != ONE_MORE_DAY]


@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_publication_check_ignores_every_bar_that_closed_after_publication(claim, full, scrambled):
    before = evaluate(claim, full, "publication", PUBLISHED_AT)
    after = evaluate(claim, scrambled, "publication", PUBLISHED_AT)
    assert after.missing == before.missing
    if before.computation is None:
        return
    assert seen(after) == seen(before)
    assert after.verdict.label == before.verdict.label
    assert [a for a in after.alternatives if "one more day" not in a.what] == \
        [a for a in before.alternatives if "one more day" not in a.what]
    last_close = last_visible_day("nyse", PUBLISHED_AT).isoformat()
    assert before.data_date is None or before.data_date <= last_close
    evidence = before.computation.evidence
    if evidence is not None and "date" in evidence.columns:
        # weekly evidence is labelled by its week's Friday, which may be the publication day itself
        assert pd.to_datetime(evidence["date"]).max() <= pd.Timestamp(PUBLISHED_AT.date())


def test_the_cut_is_at_the_bar_close():
    """The US close of 2026-01-22 (21:00 UTC) and bitcoin's UTC day of the 22nd had closed at publication
    (04:00 UTC on the 23rd); the US close of the 23rd and bitcoin's day of the 23rd had not; FRED's values
    for the 22nd are published on the 23rd."""
    assert last_visible_day("nyse", PUBLISHED_AT).isoformat() == "2026-01-22"
    assert last_visible_day("crypto", PUBLISHED_AT).isoformat() == "2026-01-22"
    assert last_visible_day("business", PUBLISHED_AT).isoformat() == "2026-01-21"
    just_after_close = datetime(2026, 1, 22, 21, 0, tzinfo=UTC)
    assert last_visible_day("nyse", just_after_close).isoformat() == "2026-01-22"
    assert last_visible_day("nyse", just_after_close - timedelta(seconds=1)).isoformat() == "2026-01-21"
    midnight = datetime(2026, 1, 23, 0, 0, tzinfo=UTC)
    assert last_visible_day("crypto", midnight).isoformat() == "2026-01-22"
    assert last_visible_day("crypto", midnight - timedelta(seconds=1)).isoformat() == "2026-01-21"


def test_one_more_day_is_a_reading_not_the_verdict(full):
    """RUT-YTD-2026: the 2026-01-23 close (back under 2,700) is shown as a reading; the verdict uses the 22nd."""
    claim = next(c for c in all_claims() if c.id == "RUT-YTD-2026")
    result = evaluate(claim, full, "publication", PUBLISHED_AT)
    assert result.computation.primary_reading.headline_figure.date == "2026-01-22"
    extra = result.computation.reading(ONE_MORE_DAY)
    assert extra.headline_figure.date == "2026-01-23" and extra.key != result.computation.primary


def test_the_scramble_would_show_up_in_a_latest_check(full, scrambled):
    """The test above can fail: the same scramble does change what the latest data say."""
    claim = next(c for c in all_claims() if c.id == "RUT-YTD-2026")
    latest, latest_scrambled = evaluate(claim, full, "latest"), evaluate(claim, scrambled, "latest")
    assert latest.computation.readings != latest_scrambled.computation.readings
