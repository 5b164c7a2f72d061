"""BTC-ATH-BEFORE-HALVING: BTC broke its previous high in March 2024, the first time before a halving."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator.bitcoin import CYCLE_TOP_DAYS, Halving, cycle_top, protocol, sources_note
from generator.charts.btc import price_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.market import MarketData

CLAIMED_MONTH = "2024-03"
SAMPLE_DAYS = 7


@dataclass(frozen=True)
class Break:
    """The first time a price series went above the previous cycle's top, relative to a halving."""

    halving: Halving
    top_day: pd.Timestamp
    top: float
    day: pd.Timestamp | None

    @property
    def before_halving(self) -> bool | None:
        return None if self.day is None else self.day < pd.Timestamp(self.halving.date)


def first_break(series: pd.Series, previous: Halving, halving: Halving) -> Break | None:
    """When ``series`` first exceeded the top of the cycle that began at ``previous``; None if the data do
    not cover that whole cycle top window."""
    start = pd.Timestamp(previous.date)
    if series.index[0] > start:
        return None
    top_day, top = cycle_top(series, start)
    above = series[(series.index > top_day) & (series > top)]
    return Break(halving, top_day, top, above.index[0] if not above.empty else None)


def _break_figures(b: Break, what: str) -> tuple[Figure, ...]:
    halving_day = pd.Timestamp(b.halving.date)
    return (
        Figure("first_above", f"First {what} above the previous record", iso(b.day), "date"),
        Figure("previous_record", f"Previous record {what}", b.top, "USD", iso(b.top_day)),
        Figure("days_from_halving", "Days from the halving (negative = before)",
               None if b.day is None else (b.day - halving_day).days, "days"),
    )


def _current_reading(key: str, label: str, b: Break, what: str) -> Reading:
    matches = b.day is not None and iso(b.day)[:7] == CLAIMED_MONTH and bool(b.before_halving)  # type: ignore[index]
    return Reading(key, label, _break_figures(b, what), "first_above", matches,
                   f"The previous record is the {what} top of the cycle after the 2020 halving, set on "
                   f"{iso(b.top_day)}.")


def _earlier_reading(previous: Halving, halving: Halving, close: pd.Series) -> Reading:
    key = f"halving_{halving.date.year}"
    label = f"{halving.date.year} halving: was the previous record broken before or after it?"
    b = first_break(close, previous, halving)
    if b is None:
        return Reading(key, label, (Figure("first_above", "First close above the previous record", None, "date",
                                           note="previous cycle top predates the data"),),
                       "first_above", None,
                       f"The previous cycle's top came after the {previous.date.year} halving, before the "
                       f"snapshot's BTC prices begin ({iso(close.index[0])}): not checkable here.")
    return Reading(key, label, _break_figures(b, "close"), "first_above",
                   None if b.before_halving is None else not b.before_halving,
                   "The article implies earlier records fell only after their halving.")


def _evidence(close: pd.Series, marks: dict[pd.Timestamp, str]) -> pd.DataFrame:
    days = set(close.index[::SAMPLE_DAYS]) | {d for d in marks if d in close.index} | {close.index[-1]}
    evidence = close.loc[sorted(days)].rename("close").reset_index()
    evidence["event"] = evidence["date"].map(marks).fillna("")
    return evidence


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    close, high = btc["close"], btc["high"]
    p = protocol()
    halvings = p.halvings
    current, previous = halvings[-1], halvings[-2]
    by_close, by_high = first_break(close, previous, current), first_break(high, previous, current)
    if by_close is None or by_high is None:
        raise ValueError("BTC data do not cover the 2020-2022 cycle top")
    readings = [
        _current_reading("close", f"First daily close above the {by_close.top_day:%B %Y} record close",
                         by_close, "close"),
        _current_reading("intraday", f"First intraday high above the {by_high.top_day:%B %Y} record high",
                         by_high, "intraday high"),
        Reading("halving_2012", "2012 halving: was the previous record broken before or after it?",
                (Figure("first_above", "First close above the previous record", None, "date",
                        note="before the data"),), "first_above", None,
                f"The 2012 halving and the record before it both predate the snapshot's BTC prices "
                f"({iso(close.index[0])} on): not checkable here."),
        *[_earlier_reading(prev, h, close) for prev, h in zip(halvings[:-2], halvings[1:-1], strict=True)],
    ]
    earlier = [r for r in readings if r.key.startswith("halving_")]
    marks = {pd.Timestamp(h.date): f"halving {h.date.year}" for h in halvings}
    for r in (readings[0], *earlier):
        if r.headline_figure.value:
            marks[pd.Timestamp(str(r.headline_figure.value))] = "record broken"
    return Computation(
        readings, "close", _evidence(close, marks),
        notes=["'Previous high' is the top of the previous cycle: the highest close (or intraday high) in the "
               f"{CYCLE_TOP_DAYS} days after the previous halving. 'Before a halving' means on a day before "
               "the halving's date.",
               sources_note(*halvings, what="Halving dates")],
        context={"date_ok": bool(readings[0].matches_article),
                 "earlier_after": sum(r.matches_article is True for r in earlier),
                 "earlier_before": sum(r.matches_article is False for r in earlier),
                 "earlier_unchecked": sum(r.matches_article is None for r in earlier)},
    )


def judge(comp: Computation) -> Verdict:
    ctx = comp.context
    first = comp.figure("first_above", comp.primary).value
    if not ctx["date_ok"] or ctx["earlier_before"]:
        label = "Inaccurate"
    elif ctx["earlier_unchecked"]:
        label = "Mostly accurate"
    else:
        label = "Accurate"
    return Verdict(label, f"first close above the 2021 record: {first} (before the 2024 halving: "
                          f"{'yes' if ctx['date_ok'] else 'no'}); earlier halvings with the record broken after "
                          f"them: {ctx['earlier_after']}, before: {ctx['earlier_before']}, not checkable from the "
                          f"data: {ctx['earlier_unchecked']}")


CLAIM = Claim(
    id="BTC-ATH-BEFORE-HALVING",
    order=16,
    title="A new BTC record in March 2024, the first before a halving",
    section="2016 and 2020: Two Breakouts",
    quote="broke its previous high in March 2024",
    paraphrase="Bitcoin set a new all-time high in March 2024, a month before the halving; the article says "
               "no earlier cycle had broken its previous record before the halving.",
    article=(ArticleFigure("month", "Month of the new record", CLAIMED_MONTH, "text", "in March 2024"),),
    needs=("btc-usd",),
    method="BTC-USD daily closes and highs. The previous record is the top of the previous cycle (highest "
           f"price in the {CYCLE_TOP_DAYS} days after the previous halving); the first day above it is "
           "compared with the halving date, for 2024 (close and intraday) and for each earlier halving the "
           "data cover.",
    compute=compute,
    rule=custom(
        "Inaccurate if BTC's first close above its November 2021 record was not in March 2024 or not before "
        "the April 2024 halving, or if any earlier halving the data can check had its previous record broken "
        "before it. Otherwise Accurate if all three earlier halvings (2012, 2016, 2020) could be checked and "
        "each record fell after its halving, and Mostly accurate if some of them predate the data (the "
        "checkable part is right, the rest is not verified here).",
        judge,
    ),
    chart=lambda df: price_with_events(df, "close", "BTC close (USD, log)", log=True),
    chart_title="Bitcoin close (weekly sample, log scale) with the halvings and the days records were broken",
    references=("bitcoin_protocol.json",),
)
