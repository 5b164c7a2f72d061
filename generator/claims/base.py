"""What a claim is: metadata from the article plus one function that computes its figures from data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import altair as alt
import pandas as pd

from generator.market import MarketData

VerdictLabel = Literal["Accurate", "Mostly accurate", "Misleading", "Inaccurate", "Unverifiable", "Opinion"]
VERDICTS: tuple[VerdictLabel, ...] = (
    "Accurate", "Mostly accurate", "Misleading", "Inaccurate", "Unverifiable", "Opinion",
)

Value = float | int | str | None


@dataclass(frozen=True)
class Figure:
    """One computed number (or date) with its unit. ``unit`` is one of: %, USD, points, x, BTC, date,
    days, count, percent (a rate level), pp (percentage points), ratio."""

    key: str
    label: str
    value: Value
    unit: str
    date: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ArticleFigure:
    """A figure as the article states it (a fact about the article, quoted from it)."""

    key: str
    label: str
    value: Value
    unit: str
    phrase: str


@dataclass(frozen=True)
class Reading:
    """One plausible interpretation of the claim, with the figures it gives.

    ``matches_article`` says whether this reading makes the article's figure true (None: not applicable).
    """

    key: str
    label: str
    figures: tuple[Figure, ...]
    headline: str
    matches_article: bool | None = None
    explanation: str = ""

    @property
    def headline_figure(self) -> Figure:
        for fig in self.figures:
            if fig.key == self.headline:
                return fig
        raise KeyError(f"reading {self.key}: headline {self.headline!r} is not one of its figures")


@dataclass
class Computation:
    """What a claim's function returns for one cut of the data."""

    readings: list[Reading]
    primary: str
    """Key of the most natural reading: the one the verdict uses."""
    evidence: pd.DataFrame | None = None
    """Exactly the data behind the chart; written next to the page as CSV."""
    notes: list[str] = field(default_factory=list)
    context: dict[str, Value] = field(default_factory=dict)
    """Extra numbers for the verdict rule or the page (name -> value)."""

    def reading(self, key: str) -> Reading:
        for reading in self.readings:
            if reading.key == key:
                return reading
        raise KeyError(key)

    @property
    def primary_reading(self) -> Reading:
        return self.reading(self.primary)

    def figure(self, key: str, reading: str | None = None) -> Figure:
        readings = [self.reading(reading)] if reading else self.readings
        for r in readings:
            for fig in r.figures:
                if fig.key == key:
                    return fig
        raise KeyError(key)


@dataclass(frozen=True)
class Verdict:
    label: VerdictLabel
    reason: str

    def __post_init__(self) -> None:
        if self.label not in VERDICTS:
            raise ValueError(f"unknown verdict {self.label!r}")


@dataclass(frozen=True)
class Rule:
    """A verdict rule: its written statement (shown on the page) and the code that applies it."""

    text: str
    apply: Callable[[Computation], Verdict]


ChartFn = Callable[[pd.DataFrame], alt.TopLevelMixin]


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the article.

    ``compute`` gets data already cut at the evaluation date and must not look past it.
    """

    id: str
    order: int
    title: str
    section: str
    quote: str
    paraphrase: str
    article: tuple[ArticleFigure, ...]
    needs: tuple[str, ...]
    """Series ids the claim reads; the first is its main series, whose last date is the claim's data date."""
    method: str
    compute: Callable[[MarketData], Computation]
    rule: Rule
    chart: ChartFn | None = None
    chart_title: str = ""
    datasets: tuple[str, ...] = ()
    """Non-series inputs (live-only datasets) the claim needs."""
    references: tuple[str, ...] = ()
    """Reference files under data/reference/ (sourced facts such as the halving schedule) the claim uses."""
    kind: Literal["fact", "opinion"] = "fact"

    @property
    def slug(self) -> str:
        return self.id.lower()
