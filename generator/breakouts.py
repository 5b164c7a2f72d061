"""A written, parameterised breakout rule, and what an asset did after a given day.

Breakout rule (:func:`find_breakouts`), stated exactly as the code applies it:

* A *record close* is a close strictly above every earlier close of the series (the first observation
  is the first record). A close equal to the record is not a new record.
* Between two consecutive record closes the series spends a *spell below its record*. The later record
  close is a **breakout** when

  1. it falls on or after the earlier record's date plus ``min_months_below`` calendar months (so a dip of
     exactly N months qualifies, one day less does not), and
  2. the earlier record (the prior peak) is at least ``min_rise_pct`` % above the lowest close in between
     (``peak / trough - 1 >= min_rise_pct / 100``); with the default 0 the depth is not restricted.

  The breakout date is that first close above the prior all-time closing high.
* "All-time" means: within the series given (a series that starts mid-history cannot see older highs).

Rally rule (:func:`rally_outcome`): from the close on a start day, the asset *rallied* if some close in
the following ``horizon_months`` calendar months (the start day excluded, the day exactly ``horizon_months``
later included) is at least ``threshold_pct`` % above the start close. The outcome is one of
``"rally"``, ``"no rally"`` (the whole window is in the data and no close reached the threshold),
``"pending"`` (no close has reached it yet, but the window is not over at the last date of the data) and
``"no data"`` (the series has no close on the start day).

Everything here is a pure function of the series it is given: nothing looks past its last observation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb
from typing import Literal

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 365.25 / 12
Outcome = Literal["rally", "no rally", "pending", "no data"]
OUTCOMES: tuple[Outcome, ...] = ("rally", "no rally", "pending", "no data")


@dataclass(frozen=True)
class BreakoutRule:
    """Parameters of the breakout rule (see the module docstring)."""

    min_months_below: int = 12
    """Calendar months from the prior record close to the breakout, at least."""
    min_rise_pct: float = 0.0
    """How far (in %) the prior peak must stand above the lowest close of the spell, at least."""

    def __post_init__(self) -> None:
        if self.min_months_below < 1:
            raise ValueError(f"min_months_below must be at least 1, not {self.min_months_below}")
        if self.min_rise_pct < 0:
            raise ValueError(f"min_rise_pct must not be negative, not {self.min_rise_pct}")

    def describe(self) -> str:
        depth = (f", with the prior peak at least {self.min_rise_pct:g}% above the lowest close in between"
                 if self.min_rise_pct > 0 else "")
        return (f"first close above the prior all-time closing high after at least {self.min_months_below} "
                f"months below it{depth}")


@dataclass(frozen=True)
class RallyRule:
    """Parameters of the rally rule (see the module docstring)."""

    threshold_pct: float = 100.0
    horizon_months: int = 12

    def __post_init__(self) -> None:
        if self.threshold_pct <= 0:
            raise ValueError(f"threshold_pct must be positive, not {self.threshold_pct}")
        if self.horizon_months < 1:
            raise ValueError(f"horizon_months must be at least 1, not {self.horizon_months}")

    def describe(self) -> str:
        return f"a close at least {self.threshold_pct:g}% above the start close within {self.horizon_months} months"


DEFAULT_BREAKOUT = BreakoutRule(min_months_below=12)
"""The rule the fact-check uses unless a sensitivity table says otherwise."""
DEFAULT_RALLY = RallyRule(threshold_pct=100.0, horizon_months=12)
"""A BTC "bull run": the price doubles (a close at least +100%) within 12 months."""


@dataclass(frozen=True)
class Spell:
    """The time between a record close and the next one (``end`` None: still below at the last date)."""

    peak_date: pd.Timestamp
    peak: float
    trough_date: pd.Timestamp
    trough: float
    end_date: pd.Timestamp | None
    end_close: float | None

    @property
    def rise_pct(self) -> float:
        """How far the peak stands above the trough, in %."""
        return (self.peak / self.trough - 1.0) * 100.0

    def months_below(self, until: pd.Timestamp | None = None) -> float:
        """Months from the peak to the end of the spell (or to ``until`` for an open spell)."""
        stop = self.end_date if self.end_date is not None else until
        if stop is None:
            raise ValueError("an open spell needs an 'until' date")
        return (stop - self.peak_date).days / DAYS_PER_MONTH


@dataclass(frozen=True)
class Breakout:
    """A breakout found by :func:`find_breakouts`: the spell it ended and the close that ended it."""

    date: pd.Timestamp
    close: float
    spell: Spell

    @property
    def months_below(self) -> float:
        return self.spell.months_below()


def _clean(close: pd.Series) -> pd.Series:
    if (close.dtype == np.float64 and isinstance(close.index, pd.DatetimeIndex) and close.index.is_unique
            and close.index.is_monotonic_increasing and not np.isnan(close.to_numpy()).any()):
        return close  # already clean: no copy (the rules only read it)
    series = close.dropna()
    if not isinstance(series.index, pd.DatetimeIndex):
        raise TypeError("the series needs a DatetimeIndex")
    if not series.index.is_monotonic_increasing or series.index.has_duplicates:
        raise ValueError("the series' dates must be strictly increasing")
    return series.astype(float)


@lru_cache(maxsize=8192)
def add_months(day: pd.Timestamp, months: int) -> pd.Timestamp:
    """``day + pd.DateOffset(months=months)`` (calendar months, the day clipped to the month's end), remembered:
    the rules ask for the same few dates thousands of times and the offset is slow to apply. A negative
    ``months`` is ``day - pd.DateOffset(months=-months)``."""
    return day + pd.DateOffset(months=months) if months >= 0 else day - pd.DateOffset(months=-months)


def _spell_bounds(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of every spell of a clean series: its record (peak), its lowest close, and the next record
    (``len(series)`` for an open spell). Records followed at once by another record have no spell."""
    values = series.to_numpy()
    if not len(values):
        empty = np.array([], dtype=np.intp)
        return empty, empty, empty
    earlier_max = np.maximum.accumulate(values)
    is_record = np.empty(len(values), dtype=bool)
    is_record[0] = True
    is_record[1:] = values[1:] > earlier_max[:-1]
    starts = np.flatnonzero(is_record)
    stops = np.append(starts[1:], len(values))
    keep = stops - starts >= 2
    starts, stops = starts[keep], stops[keep]
    lows = np.array([at + 1 + int(np.argmin(values[at + 1:stop])) for at, stop in zip(starts, stops, strict=True)],
                    dtype=np.intp)
    return starts, lows, stops


def _spell(series: pd.Series, at: int, low: int, stop: int) -> Spell:
    values, dates = series.to_numpy(), series.index
    ended = stop < len(series)
    return Spell(dates[at], float(values[at]), dates[low], float(values[low]),
                 dates[stop] if ended else None, float(values[stop]) if ended else None)


def record_closes(close: pd.Series) -> pd.Series:
    """Closes strictly above every earlier close (the first observation included)."""
    series = _clean(close)
    if series.empty:
        return series
    earlier_max = series.cummax().shift(1)
    is_record = series > earlier_max
    is_record.iloc[0] = True
    return series[is_record]


def spells(close: pd.Series) -> list[Spell]:
    """Every spell below a record, in date order; the last one is open if the series ends below its record."""
    series = _clean(close)
    return [_spell(series, *bounds) for bounds in zip(*_spell_bounds(series), strict=True)]


def qualifies(spell: Spell, rule: BreakoutRule) -> bool:
    """Whether a closed spell ends in a breakout under ``rule``."""
    if spell.end_date is None:
        return False
    long_enough = spell.end_date >= add_months(spell.peak_date, rule.min_months_below)
    return long_enough and spell.rise_pct >= rule.min_rise_pct


def find_breakouts(close: pd.Series, rule: BreakoutRule) -> list[Breakout]:
    """Every breakout of ``close`` under ``rule``, in date order (the spells that :func:`qualifies` accepts,
    tested on arrays first so that only the breakouts become objects)."""
    series = _clean(close)
    starts, lows, stops = _spell_bounds(series)
    ended = stops < len(series)
    starts, lows, stops = starts[ended], lows[ended], stops[ended]
    dates, values = series.index, series.to_numpy()
    long_enough = dates[stops] >= dates[starts] + pd.DateOffset(months=rule.min_months_below)
    deep_enough = (values[starts] / values[lows] - 1.0) * 100.0 >= rule.min_rise_pct
    found = [_spell(series, at, low, stop) for at, low, stop, ok
             in zip(starts, lows, stops, long_enough & deep_enough, strict=True) if ok]
    return [Breakout(s.end_date, float(s.end_close), s) for s in found
            if qualifies(s, rule) and s.end_date is not None and s.end_close is not None]


def open_spell(close: pd.Series) -> Spell | None:
    """The spell the series is in at its last date, if it ends below its record."""
    found = spells(close)
    return found[-1] if found and found[-1].end_date is None else None


def forward_return(close: pd.Series, start: pd.Timestamp, months: int) -> float | None:
    """% change from the close on ``start`` to the last close on or before ``start + months``.

    None when the series has no close on ``start`` or ends before ``start + months``.
    """
    series = _clean(close)
    if start not in series.index:
        return None
    end = add_months(start, months)
    if series.index[-1] < end:
        return None
    return (float(series.loc[:end].iloc[-1]) / float(series.loc[start]) - 1.0) * 100.0


def best_gain(close: pd.Series, start: pd.Timestamp, months: int) -> float | None:
    """Highest % gain of any close in (start, start + months] over the close on ``start`` (so far)."""
    series = _clean(close)
    if start not in series.index:
        return None
    at = series.index.get_loc(start)
    stop = int(series.index.searchsorted(add_months(start, months), side="right"))
    after = series.to_numpy()[at + 1:stop]
    if not len(after):
        return None
    return (float(after.max()) / float(series.iloc[at]) - 1.0) * 100.0


def rally_outcome(close: pd.Series, start: pd.Timestamp, rule: RallyRule) -> Outcome:
    """Whether the series rallied from ``start`` under ``rule`` (see the module docstring)."""
    series = _clean(close)
    if start not in series.index:
        return "no data"
    gain = best_gain(series, start, rule.horizon_months)
    if gain is not None and gain >= rule.threshold_pct:
        return "rally"
    if series.index[-1] < add_months(start, rule.horizon_months):
        return "pending"
    return "no rally"


def rally_flags(close: pd.Series, rule: RallyRule) -> pd.Series:
    """For every day whose whole window is in the data: True if a rally followed it (a base rate).

    Days whose window runs past the last observation are left out, rallied or not, so that the share is
    not biased towards days whose rally has already shown.
    """
    series = _clean(close)
    values = series.to_numpy()
    ends = series.index + pd.DateOffset(months=rule.horizon_months)
    complete = ends <= series.index[-1] if len(series) else np.array([], dtype=bool)
    stops = series.index.searchsorted(ends, side="right")
    starts = np.arange(1, len(values) + 1)
    best = range_max(values, starts, np.maximum(stops, starts))
    flags = (best >= values * (1 + rule.threshold_pct / 100))[complete]
    return pd.Series(flags, index=series.index[complete], dtype=bool, name="rallied")


def range_max(values: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """``values[starts[i]:stops[i]].max()`` for every i (-inf for an empty range), from a sparse table of
    maxima over power-of-two spans: O(n log n) in all instead of one pass per range."""
    values = np.asarray(values, dtype=float)
    starts, stops = np.asarray(starts, dtype=np.intp), np.asarray(stops, dtype=np.intp)
    lengths = stops - starts
    out = np.full(len(starts), -np.inf)
    if not len(values) or not (lengths > 0).any():
        return out
    table = [values]
    span = 1
    while span * 2 <= lengths.max():
        previous = table[-1]
        table.append(np.maximum(previous[:-span], previous[span:]))
        span *= 2
    some = lengths > 0
    level = np.zeros(len(starts), dtype=np.intp)
    level[some] = np.floor(np.log2(lengths[some])).astype(np.intp)
    for k in np.unique(level[some]):
        rows = some & (level == k)
        width = 1 << int(k)
        out[rows] = np.maximum(table[k][starts[rows]], table[k][stops[rows] - width])
    return out


def base_rate_pct(close: pd.Series, rule: RallyRule) -> float | None:
    """Share (in %) of all days with a complete window from which the series rallied under ``rule``."""
    flags = rally_flags(close, rule)
    return float(flags.mean()) * 100.0 if len(flags) else None


def chance_at_least(k: int, n: int, p: float) -> float:
    """P(at least ``k`` successes in ``n`` independent tries with probability ``p`` each), in %."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a probability must lie in [0, 1], not {p}")
    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)) * 100.0


def prior_return(close: pd.Series, day: pd.Timestamp, months: int) -> float | None:
    """% change from the last close on or before ``day - months`` to the close on ``day`` (how far the series
    had already moved before an event); None without a close on ``day`` or before the window."""
    series = _clean(close)
    before = int(series.index.searchsorted(add_months(day, -months), side="right"))
    if before == 0 or day not in series.index:
        return None
    return (float(series.loc[day]) / float(series.iloc[before - 1]) - 1.0) * 100.0
