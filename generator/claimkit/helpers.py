"""Small, tested building blocks shared by claim functions."""

from __future__ import annotations

from datetime import date

import pandas as pd


def ts(day: date | str | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).normalize()


def iso(day: pd.Timestamp | None) -> str | None:
    return None if day is None else pd.Timestamp(day).strftime("%Y-%m-%d")


def on_or_before(series: pd.Series, day: date | str | pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The last observation dated on or before ``day``."""
    part = series.loc[series.index <= ts(day)].dropna()
    if part.empty:
        raise ValueError(f"{series.name}: no observation on or before {iso(ts(day))}")
    return part.index[-1], float(part.iloc[-1])


def on_or_after(series: pd.Series, day: date | str | pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The first observation dated on or after ``day``."""
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
    part = series if after is None else series.loc[series.index > ts(after)]
    hits = part[part > level]
    if hits.empty:
        return None
    return hits.index[0], float(hits.iloc[0])


def pct_change(start: float, end: float) -> float:
    """Percentage change from ``start`` to ``end`` (in %)."""
    return (end / start - 1.0) * 100.0


def window(series: pd.Series, start: date | str | pd.Timestamp, end: date | str | pd.Timestamp) -> pd.Series:
    return series.loc[(series.index >= ts(start)) & (series.index <= ts(end))]


def weekly(series: pd.Series) -> pd.Series:
    """Last observation of each week (Friday-ending), to keep long chart histories light."""
    return series.resample("W-FRI").last().dropna()
