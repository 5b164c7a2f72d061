"""The claims' fast lookups give exactly what the plain whole-series masks and resamples they replaced give.

Each fast path (bisection on a sorted index, one grouping per week, a range-maximum table, month offsets on
arrays, remembered cuts) is checked against the straightforward pandas expression, on random series with gaps
and missing values, and on dates before, inside and after the data.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from generator.breakouts import (
    BreakoutRule,
    RallyRule,
    add_months,
    best_gain,
    find_breakouts,
    prior_return,
    qualifies,
    rally_flags,
    range_max,
    spells,
)
from generator.claimkit.helpers import first_above, on_or_after, on_or_before, weekly, weekly_last, window
from generator.market import MarketData


def random_series(seed: int, n: int = 400, nan_share: float = 0.15) -> pd.Series:
    """Closes on random, gappy, increasing dates, some of them missing."""
    rng = np.random.default_rng(seed)
    days = np.sort(rng.choice(np.arange(3 * n), size=n, replace=False))
    index = pd.DatetimeIndex(pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D"), name="date")
    values = 100 * np.exp(np.cumsum(rng.normal(0, 0.03, size=n)))
    values[rng.random(n) < nan_share] = np.nan
    return pd.Series(values, index=index, name="close")


def probe_days(series: pd.Series) -> list[pd.Timestamp]:
    """Days to look up: before the data, on and between observations, after the data."""
    first, last = series.index[0], series.index[-1]
    inside = list(series.index[::37]) + [d + pd.Timedelta(days=1) for d in series.index[5::41]]
    return [first - pd.Timedelta(days=30), first, *inside, last, last + pd.Timedelta(days=9)]


def mask_on_or_before(series: pd.Series, day: pd.Timestamp) -> tuple[pd.Timestamp, float] | None:
    part = series.loc[series.index <= day].dropna()
    return None if part.empty else (part.index[-1], float(part.iloc[-1]))


def mask_on_or_after(series: pd.Series, day: pd.Timestamp) -> tuple[pd.Timestamp, float] | None:
    part = series.loc[series.index >= day].dropna()
    return None if part.empty else (part.index[0], float(part.iloc[0]))


def attempt(fn, *args):
    try:
        return fn(*args)
    except ValueError:
        return None


@pytest.mark.parametrize("seed", range(4))
def test_date_lookups_match_whole_series_masks(seed):
    series = random_series(seed)
    series.iloc[:3] = np.nan  # missing values at the edges too
    series.iloc[-2:] = np.nan
    for day in probe_days(series):
        assert attempt(on_or_before, series, day) == mask_on_or_before(series, day), day
        assert attempt(on_or_after, series, day) == mask_on_or_after(series, day), day
        level = float(series.median())
        part = series.loc[series.index > day]
        hits = part[part > level]
        assert first_above(series, level, day) == (None if hits.empty else (hits.index[0], float(hits.iloc[0])))
        for end in (day + pd.Timedelta(days=45), day - pd.Timedelta(days=3)):
            expected = series.loc[(series.index >= day) & (series.index <= end)]
            pd.testing.assert_series_equal(window(series, day, end), expected)


def test_an_unsorted_series_still_gets_the_right_answer():
    series = random_series(7).iloc[::-1]
    for day in probe_days(series.sort_index()):
        assert attempt(on_or_before, series, day) == mask_on_or_before(series, day)
        assert attempt(on_or_after, series, day) == mask_on_or_after(series, day)


@pytest.mark.parametrize("seed", range(3))
def test_weekly_grouping_matches_resample(seed):
    series = random_series(seed, n=700)
    frame = pd.DataFrame({"a": series, "b": series.shift(2) * 2, "day": series.index})
    pd.testing.assert_series_equal(weekly(series), series.resample("W-FRI").last().dropna())
    pd.testing.assert_frame_equal(weekly_last(frame), frame.resample("W-FRI").last().dropna())
    timed = series.copy()
    timed.index = timed.index + pd.Timedelta(hours=15)  # a time of day keeps the day's week
    pd.testing.assert_series_equal(weekly(timed), timed.resample("W-FRI").last().dropna())


def test_range_max_matches_slices():
    rng = np.random.default_rng(3)
    for n in (1, 2, 5, 64, 333):
        values = rng.normal(size=n)
        a, b = rng.integers(0, n + 1, size=200), rng.integers(0, n + 1, size=200)
        starts, stops = np.minimum(a, b), np.maximum(a, b)
        expected = [values[s:e].max(initial=-np.inf) for s, e in zip(starts, stops, strict=True)]
        assert range_max(values, starts, stops).tolist() == expected


def loop_rally_flags(close: pd.Series, rule: RallyRule) -> pd.Series:
    """The base-rate flags as first written: one slice per day."""
    series = close.dropna().astype(float)
    values = series.to_numpy()
    ends = series.index + pd.DateOffset(months=rule.horizon_months)
    complete = ends <= series.index[-1]
    stops = series.index.searchsorted(ends, side="right")
    flags = [bool(values[i + 1:stops[i]].max(initial=-np.inf) >= values[i] * (1 + rule.threshold_pct / 100))
             for i in range(len(series)) if complete[i]]
    return pd.Series(flags, index=series.index[complete], dtype=bool, name="rallied")


@pytest.mark.parametrize("seed", range(3))
def test_rally_flags_match_one_slice_per_day(seed):
    series = random_series(seed, n=900)
    for rule in (RallyRule(25, 6), RallyRule(100, 12), RallyRule(10, 1)):
        pd.testing.assert_series_equal(rally_flags(series, rule), loop_rally_flags(series, rule))


@pytest.mark.parametrize("seed", range(4))
def test_breakouts_are_the_spells_that_qualify(seed):
    series = random_series(seed, n=1500, nan_share=0.05)
    found = spells(series)
    for months in (1, 3, 6, 12, 18):
        for rise in (0.0, 10.0):
            rule = BreakoutRule(months, rise)
            expected = [(s.end_date, s.end_close) for s in found if qualifies(s, rule)]
            assert [(b.date, b.close) for b in find_breakouts(series, rule)] == expected


def test_month_offsets_on_arrays_and_remembered_match_pandas():
    days = pd.date_range("2019-12-25", "2021-03-05", freq="D")
    for months in (1, 3, 6, 12, 18):
        shifted = days + pd.DateOffset(months=months)
        assert list(shifted) == [d + pd.DateOffset(months=months) for d in days]
        assert [add_months(d, months) for d in days] == [d + pd.DateOffset(months=months) for d in days]
        assert [add_months(d, -months) for d in days] == [d - pd.DateOffset(months=months) for d in days]


def test_gains_and_prior_returns_match_masks():
    series = random_series(11, n=800, nan_share=0.0)
    for start in series.index[::53]:
        end = start + pd.DateOffset(months=6)
        after = series.loc[(series.index > start) & (series.index <= end)]
        expected = None if after.empty else (float(after.max()) / float(series.loc[start]) - 1.0) * 100.0
        assert best_gain(series, start, 6) == expected
        before = series.loc[series.index <= start - pd.DateOffset(months=3)]
        expected = None if before.empty else (float(series.loc[start]) / float(before.iloc[-1]) - 1.0) * 100.0
        assert prior_return(series, start, 3) == expected


def test_a_cut_is_made_once_per_moment_and_equals_a_fresh_one():
    series = random_series(1)
    data = MarketData({"rut": series.to_frame()})
    moment = datetime(2015, 6, 1, 4, tzinfo=UTC)
    first = data.cut(moment)
    assert data.cut(moment) is first
    fresh = MarketData({"rut": series.to_frame()}).cut(moment)
    pd.testing.assert_frame_equal(first.frames["rut"], fresh.frames["rut"])
    assert data.cut("2015-06-01") is data.cut(pd.Timestamp("2015-06-01"))
    assert data.cut("2015-06-02") is not data.cut("2015-06-01")
