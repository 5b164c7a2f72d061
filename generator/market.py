"""The data a claim sees: validated series, optionally cut at a date so later data cannot leak in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from generator.calendars import last_visible_day
from generator.catalog import spec
from generator.snapshot.manifest import Manifest


class MissingData(Exception):
    """A claim needs a series (or dataset) the build does not have; it then needs live data."""

    def __init__(self, name: str, why: str = "no stored copy in this build") -> None:
        self.name = name
        self.why = why
        super().__init__(f"{name}: {why}")


def _ts(day: date | str | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).normalize()


@dataclass(frozen=True)
class MarketData:
    """Series by id (DatetimeIndex, float columns), their manifests, and an optional cut-off date.

    ``datasets`` holds non-series inputs (fund holdings, shares outstanding...) keyed by name; each is
    a DataFrame with a ``date`` column or DatetimeIndex so that :meth:`cut` can apply to it too.
    """

    frames: Mapping[str, pd.DataFrame]
    manifests: Mapping[str, Manifest] = field(default_factory=dict)
    datasets: Mapping[str, Any] = field(default_factory=dict)
    as_of: pd.Timestamp | None = None
    _cuts: dict[tuple[str, Any], MarketData] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Cuts already made, by moment: every claim is cut at the same few moments, and the data never change."""

    def cut(self, as_of: date | str | pd.Timestamp | datetime) -> MarketData:
        """What existed at ``as_of``.

        Given a moment (a datetime with a time zone), each series keeps the bars that had closed by then,
        under its own calendar's closing rule (:func:`generator.calendars.available_utc`): a US close at
        16:00 New York, bitcoin's UTC day at midnight UTC, a FRED value on the next weekday. Datasets follow
        the FRED rule (a row dated D counts from the next weekday). Given a date, every row dated on or before
        it is kept (whole days, for tests and tools that think in days).
        """
        moment = isinstance(as_of, datetime) and not isinstance(as_of, pd.Timestamp) and as_of.tzinfo is not None
        key = ("moment", as_of) if moment else ("day", _ts(as_of))
        if key not in self._cuts:
            self._cuts[key] = self._cut(as_of, moment)
        return self._cuts[key]

    def _cut(self, as_of: date | str | pd.Timestamp | datetime, moment: bool) -> MarketData:
        if moment and isinstance(as_of, datetime):
            frames = {k: v.loc[v.index <= _ts(last_visible_day(spec(k).calendar, as_of))]
                      for k, v in self.frames.items()}
            dataset_limit = _ts(last_visible_day("business", as_of))
            datasets = {k: _cut_dataset(v, dataset_limit) for k, v in self.datasets.items()}
            return MarketData(frames, self.manifests, datasets, _ts(as_of.date()))
        limit = _ts(as_of)
        frames = {k: v.loc[v.index <= limit] for k, v in self.frames.items()}
        datasets = {k: _cut_dataset(v, limit) for k, v in self.datasets.items()}
        return MarketData(frames, self.manifests, datasets, limit)

    def frame(self, series_id: str) -> pd.DataFrame:
        spec(series_id)
        frame = self.frames.get(series_id)
        if frame is None:
            raise MissingData(series_id)
        if frame.empty:
            raise MissingData(series_id, "no rows on or before the cut-off date")
        return frame

    def close(self, series_id: str) -> pd.Series:
        """The closing price (or the value, for a rate) of a series."""
        return self.frame(series_id)[spec(series_id).price_column]

    def dataset(self, name: str) -> Any:
        if name not in self.datasets:
            raise MissingData(name, "needs live data (no stored copy in this build)")
        return self.datasets[name]

    def last_date(self, series_id: str) -> str:
        return self.frame(series_id).index[-1].strftime("%Y-%m-%d")


def _cut_dataset(value: Any, limit: pd.Timestamp) -> Any:
    if isinstance(value, pd.DataFrame):
        if isinstance(value.index, pd.DatetimeIndex):
            return value.loc[value.index <= limit]
        if "date" in value.columns:
            return value.loc[pd.to_datetime(value["date"]) <= limit]
    return value
