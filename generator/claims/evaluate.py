"""Run a claim's function on data cut at a date and judge the result by the claim's rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from generator.claims.base import Claim, Computation, Verdict
from generator.market import MarketData, MissingData

Moment = Literal["publication", "latest"]


@dataclass
class ClaimResult:
    """One claim evaluated at one moment."""

    claim: Claim
    moment: Moment
    as_of: str
    """The cut-off date: data after it was not visible to the computation."""
    data_date: str | None
    """The last day of the claim's main series (the first of ``needs``) that the computation had."""
    computation: Computation | None
    verdict: Verdict | None
    missing: str | None = None
    """Why the claim could not be computed (a series or dataset that needs live data)."""

    @property
    def status(self) -> Literal["computed", "needs-live-data"]:
        return "computed" if self.computation is not None else "needs-live-data"

    @property
    def verdict_label(self) -> str:
        return self.verdict.label if self.verdict else "Needs live data"


def _dataset_date(data: MarketData, names: tuple[str, ...]) -> str | None:
    """For a claim computed from datasets only: the newest date among them (after the cut)."""
    import pandas as pd

    newest = []
    for name in names:
        frame = data.datasets.get(name)
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            dates = frame.index if isinstance(frame.index, pd.DatetimeIndex) else pd.to_datetime(frame["date"])
            newest.append(pd.Timestamp(dates.max()).strftime("%Y-%m-%d"))
    return max(newest) if newest else None


def evaluate(claim: Claim, data: MarketData, moment: Moment, as_of: date | None = None) -> ClaimResult:
    """Compute and judge ``claim`` on ``data`` cut at ``as_of`` (or on all of it)."""
    cut = data.cut(as_of) if as_of is not None else data
    try:
        dates = [cut.last_date(series) for series in claim.needs]
        computation = claim.compute(cut)
    except MissingData as missing:
        stamp = as_of.isoformat() if as_of else None
        return ClaimResult(claim, moment, stamp or "latest", None, None, None, str(missing))
    data_date = dates[0] if dates else _dataset_date(cut, claim.datasets)
    verdict = claim.rule.apply(computation)
    stamp = as_of.isoformat() if as_of else (max(dates) if dates else "latest")
    return ClaimResult(claim, moment, stamp, data_date, computation, verdict)
