"""What a claim is: metadata from the article plus one function that computes its figures from data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import altair as alt
import pandas as pd

from generator.claimkit.vocabulary import VERDICTS, VerdictLabel
from generator.market import MarketData

__all__ = ["VERDICTS", "VerdictLabel"]

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

    ``matches_article`` says whether this reading makes the article's figure true. A claim marks a reading
    that is context only (not a reading of the article's figure) with None; for every other reading the
    evaluation sets it from the claim rule's ``matches`` test, the same test the verdict's reason reports, so
    the page and the verdict cannot disagree.
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

    comparison: Comparison | None = None
    """For a claim of cause or signal: the comparison that would expose a coincidence."""
    sensitivity: list[Setting] = field(default_factory=list)
    """The verdict under each other reasonable parameter (the robustness grid), as judged by the claim."""

    def figure(self, key: str, reading: str | None = None) -> Figure:
        readings = [self.reading(reading)] if reading else self.readings
        for r in readings:
            for fig in r.figures:
                if fig.key == key:
                    return fig
        raise KeyError(key)

    def number(self, key: str, reading: str | None = None) -> float:
        """A figure's value as a float; a clear error if it is not a number (a date, a missing value)."""
        value = self.figure(key, reading).value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"figure {key!r} is not a number: {value!r}")
        return float(value)

    def context_number(self, key: str) -> float:
        """A number from ``context``; a clear error if it is missing or not a number."""
        value = self.context.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"context value {key!r} is not a number: {value!r}")
        return float(value)

    def text(self, key: str, reading: str | None = None) -> str | None:
        """A figure's value as text (dates are ISO strings), or None when it has no value."""
        value = self.figure(key, reading).value
        return None if value is None else str(value)


@dataclass(frozen=True)
class Comparison:
    """The check that would show a signal or cause to be a coincidence (a base rate, the trend before).

    ``question`` is what a sceptic would ask; ``answer`` the plain sentence the data give, built from
    ``figures``. Shown on the claim's page next to the verdict.
    """

    question: str
    answer: str
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Setting:
    """The verdict under one other reasonable choice of a parameter (one cell of the robustness grid)."""

    parameter: str
    """The choice in words, e.g. "breakout after 12 months below the high, BTC over 12 months"."""
    label: VerdictLabel
    detail: str = ""
    primary: bool = False
    """True for the setting the verdict uses."""


@dataclass(frozen=True)
class Verdict:
    label: VerdictLabel
    reason: str

    def __post_init__(self) -> None:
        if self.label not in VERDICTS:
            raise ValueError(f"unknown verdict {self.label!r}")


@dataclass(frozen=True)
class Rule:
    """A verdict rule: its written statement (shown on the page) and the code that applies it.

    ``matches`` says whether one reading reproduces the article's figure (None: the rule has no single
    figure to reproduce). The evaluation applies it to every reading and reports the result both in the
    readings table and in the verdict's reason.
    """

    text: str
    apply: Callable[[Computation], Verdict]
    matches: Callable[[Reading], bool | None] | None = None
    summary: str = ""
    """The rule in one or two sentences, shown first; the full ``text`` is one click away. Empty: the text is
    short enough to show whole."""


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
    """Non-series inputs (datasets) the claim reads; a claim says on its page what it does when one is absent."""
    optional: tuple[str, ...] = ()
    """Series the claim reads when the build has them and does without otherwise (it says so on its page)."""
    references: tuple[str, ...] = ()
    """Reference files under data/reference/ (sourced facts such as the halving schedule) the claim uses."""
    kind: Literal["fact", "signal", "opinion"] = "fact"
    """``signal``: a claim of cause or signal ("followed by", "dampened", "first to benefit"). Such a claim
    is never Accurate unless its computation shows the :class:`Comparison` that would expose a coincidence."""
    finding: Callable[[Computation], str] | None = None
    """The answer in one plain sentence, built from the computation's own figures."""
    fixed_in_time: bool = False
    """True when the claim is about a closed window (the 2021 high, calendar 2025): new data cannot change
    what it says, so the "still true?" question does not apply."""

    @property
    def slug(self) -> str:
        return self.id.lower()
