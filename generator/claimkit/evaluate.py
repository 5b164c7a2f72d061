"""Run a claim's function on the data visible at a moment and judge the result by the claim's rule.

The verdict framework lives here, the same for all 22 claims:

1. ``matches``: every reading that is not context is tested by the rule's one ``matches`` function; the
   readings table and the verdict's reason both report that result.
2. Other readings and settings: the rule is applied to each other judgeable reading, to the robustness grid
   the claim computed, and (as of publication) to the data with one more day. A verdict that would flip says
   so in its reason.
3. Caps: a claim of cause or signal without a comparison cannot be Accurate, and neither can a verdict that
   holds under just one setting of the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal

import pandas as pd

from generator.claimkit.base import Claim, Computation, Reading, Verdict
from generator.claimkit.vocabulary import NEEDS_DATA, VerdictLabel
from generator.market import MarketData, MissingData

Moment = Literal["publication", "latest"]
ONE_MORE_DAY = "one_more_day"
"""Key of the reading added at publication: the same claim if its writer had seen one more day of data."""


@dataclass(frozen=True)
class Alternative:
    """The verdict the claim's rule gives under another reading or setting."""

    what: str
    label: VerdictLabel
    kind: Literal["reading", "setting", "day"] = "reading"


@dataclass
class ClaimResult:
    """One claim evaluated at one moment."""

    claim: Claim
    moment: Moment
    as_of: str
    """The cut-off: a moment (ISO 8601 with its offset) as of publication, or the newest data date."""
    data_date: str | None
    """The last day of the claim's main series (the first of ``needs``) that the computation had."""
    computation: Computation | None
    verdict: Verdict | None
    missing: str | None = None
    """Why the claim could not be computed (a series or dataset that needs live data)."""
    alternatives: list[Alternative] = field(default_factory=list)
    """Verdicts under the other readings and settings that differ from ``verdict``."""

    @property
    def status(self) -> Literal["computed", "needs-live-data"]:
        return "computed" if self.computation is not None else "needs-live-data"

    @property
    def verdict_label(self) -> str:
        return self.verdict.label if self.verdict else NEEDS_DATA

    @property
    def matching_readings(self) -> list[Reading]:
        return [r for r in self.computation.readings if r.matches_article] if self.computation else []

    @property
    def missing_text(self) -> str:
        """Why the claim was not computed, in reader's words: the input named, never by its id."""
        if not self.missing:
            return ""
        from generator.catalog import BY_ID

        what = self.missing.split(":", 1)[0].strip()
        name = BY_ID[what].name if what in BY_ID else what.replace("_", " ").replace("-", " ")
        return f"This build has no copy of one of its inputs ({name}), so it could not be computed here."

    @property
    def finding(self) -> str:
        """The answer in one plain sentence (the claim's own, built from its figures)."""
        if self.computation is None:
            return self.missing_text
        if self.claim.finding is None:
            raise TypeError(f"claim {self.claim.id} has no finding: every claim answers in one sentence")
        return self.claim.finding(self.computation)


def _dataset_date(data: MarketData, names: tuple[str, ...]) -> str | None:
    """For a claim computed from datasets only: the newest date among them (after the cut)."""
    newest = []
    for name in names:
        frame = data.datasets.get(name)
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            dates = frame.index if isinstance(frame.index, pd.DatetimeIndex) else pd.to_datetime(frame["date"])
            newest.append(pd.Timestamp(dates.max()).strftime("%Y-%m-%d"))
    return max(newest) if newest else None


def with_matches(comp: Computation, claim: Claim) -> Computation:
    """Set ``matches_article`` on every judgeable reading from one function, the rule's ``matches`` test."""
    test = claim.rule.matches
    if test is None:
        return comp

    def reproduces(reading: Reading) -> bool | None:
        return test(reading)

    readings = [reading if reading.matches_article is None else replace(reading, matches_article=reproduces(reading))
                for reading in comp.readings]
    return replace(comp, readings=readings)


def reproduction_sentence(comp: Computation) -> str:
    """What the readings table says about the article's figure, as one sentence of the verdict's reason."""
    judged = [r for r in comp.readings if r.matches_article is not None]
    if not judged:
        return ""
    hits = [r.label for r in judged if r.matches_article]
    if not hits:
        return "No reading reproduces the article's figure."
    if comp.primary_reading.matches_article:
        others = [h for h in hits if h != comp.primary_reading.label]
        if not others:
            return "The main reading reproduces the article's figure."
        return (f"The main reading reproduces the article's figure, and so "
                f"{'does one other reading' if len(others) == 1 else f'do {len(others)} other readings'}.")
    return "Only another reading reproduces the article's figure: " + "; ".join(hits) + "."


def _alternatives(claim: Claim, comp: Computation, verdict: Verdict) -> list[Alternative]:
    out: list[Alternative] = []
    for reading in comp.readings:
        if reading.key == comp.primary or reading.matches_article is None or reading.key == ONE_MORE_DAY:
            continue
        try:
            label = claim.rule.apply(replace(comp, primary=reading.key)).label
        except (KeyError, TypeError, ValueError):
            continue
        if label != verdict.label:
            out.append(Alternative(f"the reading “{reading.label}”", label))
    for setting in comp.sensitivity:
        if not setting.primary and setting.label != verdict.label:
            out.append(Alternative(setting.parameter, setting.label, "setting"))
    return out


def framework_caps(claim: Claim, comp: Computation, verdict: Verdict) -> Verdict:
    """The rules every claim obeys on top of its own (see the module docstring)."""
    if verdict.label != "Accurate":
        return verdict
    if claim.kind == "signal" and comp.comparison is None:
        return Verdict("Mostly accurate", f"{verdict.reason} A claim of cause or signal is not rated Accurate "
                                          "without the comparison that would expose a coincidence.")
    if comp.sensitivity:
        holding = [s for s in comp.sensitivity if s.label == "Accurate"]
        if len(holding) <= 1:
            return Verdict("Mostly accurate", f"{verdict.reason} It is Accurate under only one of the "
                                              f"{len(comp.sensitivity)} settings tried, so it is capped at "
                                              "Mostly accurate.")
    return verdict


def flip_sentence(alternatives: list[Alternative], settings: int = 0) -> str:
    """Readings and the extra day are named one by one; settings of the grid are counted by verdict."""
    parts = [f"{a.label} under {a.what}" for a in alternatives if a.kind != "setting"][:3]
    flipped = [a for a in alternatives if a.kind == "setting"]
    if len(flipped) == 1:
        parts.append(f"{flipped[0].label} under {flipped[0].what}")
    elif flipped:
        counts: dict[str, int] = {}
        for a in flipped:
            counts[a.label] = counts.get(a.label, 0) + 1
        parts.append(" and ".join(f"{label} under {n} of the {settings} settings tried"
                                  for label, n in counts.items()))
    return ("It would be " + "; ".join(parts) + ".") if parts else ""


def _one_more_day(claim: Claim, data: MarketData, seen: MarketData, as_of: datetime, comp: Computation
                  ) -> tuple[Reading, Alternative] | None:
    """The same claim computed with one more day of data than its writer could have seen."""
    later = data.cut(as_of + timedelta(days=1))
    try:
        if all(later.last_date(s) == seen.last_date(s) for s in claim.needs):
            return None
        more = with_matches(claim.compute(later), claim)
        verdict = framework_caps(claim, more, claim.rule.apply(more))
    except MissingData:
        return None
    primary = more.primary_reading
    now = comp.primary_reading
    if primary.headline_figure.value == now.headline_figure.value:
        return None
    day = max(later.last_date(s) for s in claim.needs)
    reading = Reading(ONE_MORE_DAY, f"If the writer had seen one more day of data (through {day})",
                      primary.figures, primary.headline, primary.matches_article,
                      f"Not the verdict: the article could not have seen these bars. Under this reading the "
                      f"rule gives {verdict.label}.")
    return reading, Alternative(f"one more day of data (through {day})", verdict.label, "day")


def evaluate(claim: Claim, data: MarketData, moment: Moment, as_of: date | datetime | None = None) -> ClaimResult:
    """Compute and judge ``claim`` on ``data`` cut at ``as_of`` (a moment, or a whole day) or on all of it."""
    cut = data.cut(as_of) if as_of is not None else data
    stamp = (as_of.isoformat() if as_of is not None else None)
    try:
        dates = [cut.last_date(series) for series in claim.needs]
        computation = with_matches(claim.compute(cut), claim)
    except MissingData as missing:
        return ClaimResult(claim, moment, stamp or "latest", None, None, None, str(missing))
    data_date = dates[0] if dates else _dataset_date(cut, claim.datasets)
    verdict = framework_caps(claim, computation, claim.rule.apply(computation))
    alternatives = _alternatives(claim, computation, verdict)
    if moment == "publication" and isinstance(as_of, datetime):
        extra = _one_more_day(claim, data, cut, as_of, computation)
        if extra is not None:
            reading, alternative = extra
            computation = replace(computation, readings=[*computation.readings, reading])
            if alternative.label != verdict.label:
                alternatives.append(alternative)
    own = verdict.reason.strip().rstrip(".")
    own = own[:1].upper() + own[1:]
    reason = " ".join(p for p in (own + ".", reproduction_sentence(computation),
                                  flip_sentence(alternatives, len(computation.sensitivity))) if p)
    verdict = Verdict(verdict.label, reason)
    stamp = stamp or (max(dates) if dates else "latest")
    return ClaimResult(claim, moment, stamp, data_date, computation, verdict, None, alternatives)
