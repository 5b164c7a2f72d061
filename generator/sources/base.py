"""The small interface every upstream implements, and the one error type a failed fetch raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import pandas as pd

from generator.catalog import SeriesSpec


class FetchError(Exception):
    """A fetch failed: network, an empty answer, a missing column, a parse error. Never 'no data'.

    The message names the series and what was wrong, in one line.
    """

    def __init__(self, series: str, source: str, problem: str) -> None:
        self.series = series
        self.source = source
        self.problem = problem
        super().__init__(f"{source} {series}: {problem}")


@dataclass(frozen=True)
class Fetched:
    """Rows fetched for one series, in the snapshot's columns, with where and when they came from."""

    series: str
    frame: pd.DataFrame
    location: str
    retrieved_at: str
    publisher: str


class Source(Protocol):
    """An upstream that can return daily rows for a catalogue series."""

    name: str

    def fetch(self, spec: SeriesSpec, start: date | None = None) -> Fetched:
        """Rows on or after ``start`` (all history if None); raises :class:`FetchError` on any failure."""
        ...
