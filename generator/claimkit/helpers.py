"""Small, tested building blocks shared by claim functions."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import numpy as np
import pandas as pd

Frame = TypeVar("Frame", pd.Series, pd.DataFrame)


def ts(day: date | str | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).normalize()


def iso(day: pd.Timestamp | None) -> str | None:
    return None if day is None else pd.Timestamp(day).strftime("%Y-%m-%d")


def _sorted_index(series: pd.Series) -> bool:
    """Whether ``series`` has a DatetimeIndex in increasing order (so a date is found by bisection)."""
    return isinstance(series.index, pd.DatetimeIndex) and series.index.is_monotonic_increasing


def _last_valid(values: np.ndarray, stop: int) -> int:
    """The position of the last non-missing value before ``stop``, or -1."""
    if stop > 0 and not pd.isna(values[stop - 1]):
        return stop - 1
    found = np.flatnonzero(pd.notna(values[:stop]))
    return int(found[-1]) if len(found) else -1


def _first_valid(values: np.ndarray, start: int) -> int:
    """The position of the first non-missing value at or after ``start``, or -1."""
    if start < len(values) and not pd.isna(values[start]):
        return start
    found = np.flatnonzero(pd.notna(values[start:]))
    return start + int(found[0]) if len(found) else -1


def on_or_before(series: pd.Series, day: date | str | pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The last observation dated on or before ``day``."""
    if _sorted_index(series):
        values = series.to_numpy()
        at = _last_valid(values, int(series.index.searchsorted(ts(day), side="right")))
        if at < 0:
            raise ValueError(f"{series.name}: no observation on or before {iso(ts(day))}")
        return series.index[at], float(values[at])
    part = series.loc[series.index <= ts(day)].dropna()
    if part.empty:
        raise ValueError(f"{series.name}: no observation on or before {iso(ts(day))}")
    return part.index[-1], float(part.iloc[-1])


def on_or_after(series: pd.Series, day: date | str | pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The first observation dated on or after ``day``."""
    if _sorted_index(series):
        values = series.to_numpy()
        at = _first_valid(values, int(series.index.searchsorted(ts(day), side="left")))
        if at < 0:
            raise ValueError(f"{series.name}: no observation on or after {iso(ts(day))}")
        return series.index[at], float(values[at])
    part = series.loc[series.index >= ts(day)].dropna()
    if part.empty:
        raise ValueError(f"{series.name}: no observation on or after {iso(ts(day))}")
    return part.index[0], float(part.iloc[0])


def year_end(series: pd.Series, year: int) -> tuple[pd.Timestamp, float]:
    """The last observation of calendar ``year``."""
    return on_or_before(series, f"{year}-12-31")


def first_above(series: pd.Series, level: float, after: date | str | pd.Timestamp | None = None
                ) -> tuple[pd.Timestamp, float] | None:
    """The first observation strictly above ``level`` (after ``after``, exclusive), or None."""
    if after is None:
        part = series
    elif _sorted_index(series):
        part = series.iloc[int(series.index.searchsorted(ts(after), side="right")):]
    else:
        part = series.loc[series.index > ts(after)]
    hits = part[part > level]
    if hits.empty:
        return None
    return hits.index[0], float(hits.iloc[0])


def pct_change(start: float, end: float) -> float:
    """Percentage change from ``start`` to ``end`` (in %)."""
    return (end / start - 1.0) * 100.0


def window(series: pd.Series, start: date | str | pd.Timestamp, end: date | str | pd.Timestamp) -> pd.Series:
    """The observations dated from ``start`` to ``end``, both included."""
    if _sorted_index(series):
        lo = int(series.index.searchsorted(ts(start), side="left"))
        hi = int(series.index.searchsorted(ts(end), side="right"))
        return series.iloc[lo:max(lo, hi)]
    return series.loc[(series.index >= ts(start)) & (series.index <= ts(end))]


def week_ending(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The Friday that ends each date's week (a Friday is its own; Saturday belongs to the next Friday): the
    labels of ``resample("W-FRI")``."""
    days = index.normalize()
    return days + pd.to_timedelta((4 - days.day_of_week) % 7, unit="D")


def weekly_last(values: Frame) -> Frame:
    """The last non-missing value of each Friday-ending week, per column; weeks without one are dropped.

    The same as ``values.resample("W-FRI").last().dropna()`` but in one grouping: pandas builds the weekly
    bins of a resample one week at a time, which dominated the claims' run time.
    """
    if not isinstance(values.index, pd.DatetimeIndex) or not values.index.is_monotonic_increasing:
        return values.resample("W-FRI").last().dropna()
    labels = week_ending(values.index).rename(values.index.name)
    out = values.groupby(labels).last().dropna()
    out.index = pd.DatetimeIndex(out.index, freq=None, name=values.index.name)
    return out


def weekly(series: pd.Series) -> pd.Series:
    """Last observation of each week (Friday-ending), to keep long chart histories light."""
    return weekly_last(series)
