"""BTC-CYCLE-MULTIPLES: the same period of the previous two cycles gave 5x and 27x (vs about 50% now)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.bitcoin import (
    BTC_EARLY,
    CYCLE_TOP_DAYS,
    Halving,
    close_nearest,
    cycle_top,
    protocol,
    sources_note,
    spliced_close,
)
from generator.calendars import last_visible_day
from generator.charts.btc import multiples_since_halving
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict, VerdictLabel
from generator.claimkit.helpers import iso, on_or_before, window
from generator.claimkit.rules import band, custom
from generator.market import MarketData

CLAIMED = (5, 27)
"""The article's two multiples (it gives no order; the smaller is matched with the smaller)."""
ACCURATE_REL, MOSTLY_REL = 0.10, 0.25
"""Relative tolerance on each multiple: within 10% is a fair rounding of a whole-number multiple ("5x" for
4.5x to 5.5x, "27x" for 24.3x to 29.7x); within 25% the figure is off but of the right size."""
PREVIOUS = (420_000, 630_000)
"""'The previous two cycles': the halvings of 2016 and 2020."""
OLDER = 210_000
"""The 2012 halving, shown when the data reach back to it."""
CURRENT = 840_000
LOW_LOOKBACK_DAYS = 730
SAMPLE_DAYS = 7
PUBLICATION_DAYS = (pd.Timestamp(last_visible_day("crypto", PUBLISHED_AT))
                    - pd.Timestamp(protocol().halving_at(CURRENT).date)).days
"""Days from the 2024 halving to the last bitcoin close before the article (marked on the chart)."""


@dataclass(frozen=True)
class Cycle:
    """One halving's price path in the data: base = the daily close nearest the halving block."""

    year: int
    halving: pd.Timestamp
    base_day: pd.Timestamp
    base: float
    close: pd.Series
    high: pd.Series

    def day(self, n: int) -> pd.Timestamp:
        return self.halving + pd.Timedelta(days=n)


def _cycle(btc: pd.DataFrame, halving: Halving) -> Cycle | None:
    """The cycle, or None when the data do not hold the price at its halving."""
    close = btc["close"].dropna()
    try:
        base_day, base = close_nearest(close, halving.block_time)
    except ValueError:
        return None
    high = btc["high"].where(btc["high"].notna(), btc["close"]).dropna()
    return Cycle(halving.date.year, pd.Timestamp(halving.date), base_day, base, close, high)


def _point(c: Cycle, n: int) -> tuple[float, pd.Timestamp]:
    day, price = on_or_before(c.close, c.day(n))
    return price / c.base, day


def _peak_close(c: Cycle, n: int) -> tuple[float, pd.Timestamp]:
    part = window(c.close, c.halving, c.day(n))
    return float(part.max()) / c.base, part.idxmax()


def _peak_high(c: Cycle, n: int) -> tuple[float, pd.Timestamp]:
    part = window(c.high, c.halving, c.day(n))
    return float(part.max()) / c.base, part.idxmax()


def _to_cycle_peak(c: Cycle, n: int) -> tuple[float, pd.Timestamp]:
    day, top = cycle_top(c.close, c.halving)
    return top / c.base, day


def _low_to_peak(c: Cycle, n: int) -> tuple[float, pd.Timestamp]:
    low = window(c.close, c.halving - pd.Timedelta(days=LOW_LOOKBACK_DAYS), c.halving).min()
    peak, day = _to_cycle_peak(c, n)
    return peak * c.base / float(low), day


Measure = Callable[[Cycle, int], tuple[float, pd.Timestamp]]
MEASURES: tuple[tuple[str, str, Measure, str], ...] = (
    ("point", "Same number of days: close that day / price at the halving", _point,
     "The natural 'same period': the day as many days after each halving as the last close is after the "
     "2024 halving."),
    ("peak_close", "Highest close within those days / price at the halving", _peak_close,
     "The best close reached within the same span."),
    ("peak_high", "Highest intraday price within those days / price at the halving", _peak_high,
     "The best intraday price reached within the same span."),
    ("to_cycle_peak", f"Halving to the cycle top (highest close within {CYCLE_TOP_DAYS} days)", _to_cycle_peak,
     "Not the same period: the whole run from the halving to the cycle top."),
    ("low_to_peak", "Cycle low before the halving to the cycle top", _low_to_peak,
     f"Not the same period: from the bear-market low (lowest close in the {LOW_LOOKBACK_DAYS} days before the "
     "halving) to the cycle top, a common source of big 'cycle' multiples."),
)


def pair_distance(first: float, second: float) -> float:
    """How far a pair of multiples is from the article's 5x and 27x: the larger relative gap, matching the
    smaller multiple with 5x and the larger with 27x."""
    low, high = sorted((first, second))
    return max(abs(low / CLAIMED[0] - 1), abs(high / CLAIMED[1] - 1))


def pair_label(first: float, second: float) -> VerdictLabel:
    return band(pair_distance(first, second), ACCURATE_REL, MOSTLY_REL)


def earlier_multiples(reading: Reading) -> dict[int, float]:
    """The earlier cycles' multiples a reading gives, by halving year."""
    return {int(f.key.removeprefix("multiple_")): float(f.value)  # type: ignore[arg-type]
            for f in reading.figures if f.key.startswith("multiple_") and isinstance(f.value, int | float)}


def _reading(key: str, label: str, measure: Measure, explanation: str, cycles: list[Cycle], n: int) -> Reading:
    values = [measure(c, n) for c in cycles]
    figures = tuple(Figure(f"multiple_{c.year}", f"{c.year} halving", m, "x", iso(day))
                    for c, (m, day) in zip(cycles, values, strict=True))
    pair = Figure("pair", " and ".join(f"{c.year}" for c in cycles) + " cycles",
                  " and ".join(f"{m:.1f}x" for m, _ in values), "text")
    return Reading(key, label, (pair, *figures), "pair", False, explanation)


def _evidence(cycles: list[Cycle], n: int) -> pd.DataFrame:
    days = sorted(set(range(0, n + 1, SAMPLE_DAYS)) | {n})
    rows = []
    for c in cycles:
        for d in days:
            day, price = on_or_before(c.close, c.day(d))
            rows.append({"cycle": f"{c.year} halving", "days_since_halving": d, "date": day, "close": price,
                         "multiple": price / c.base})
    return pd.DataFrame(rows)


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    spliced, splice = spliced_close(data)  # closes before Yahoo's first day from CryptoQuant, when present
    prices = pd.DataFrame({"close": spliced, "high": btc["high"].reindex(spliced.index)})
    p = protocol()
    current = _cycle(prices, p.halving_at(CURRENT))
    previous = [_cycle(prices, p.halving_at(h)) for h in PREVIOUS]
    if current is None or any(c is None for c in previous):
        raise ValueError("BTC data do not hold the prices at the 2016, 2020 and 2024 halvings")
    earlier: list[Cycle] = [c for c in previous if c is not None]
    last = btc["close"].dropna().index[-1]
    n = (last - current.halving).days
    readings = [_reading(key, label, fn, why, earlier, n) for key, label, fn, why in MEASURES]
    older = _cycle(prices, p.halving_at(OLDER))
    if older is not None and older.close.index[-1] >= older.day(n):
        readings.append(_reading(
            "point_2012_2016", "If 'the previous two cycles' meant 2012 and 2016: multiple after the same "
            "number of days", _point, "Counts one cycle further back; the 2020 cycle is then left out.",
            [older, earlier[0]], n))
    shown = ([older] if older is not None else []) + earlier + [current]
    current_multiple = float(btc["close"].dropna().iloc[-1]) / current.base
    first = spliced.dropna().index[0]
    notes = [f"Window: {n} days, from the 2024 halving ({iso(current.halving)}) to the last close; the same number "
             "of days is counted from each earlier halving. The price at each halving is the daily close "
             "nearest the halving block's time (block times from the protocol reference file).",
             "Price at each halving: " + "; ".join(f"{c.year}: ${c.base:,.2f} (close of {iso(c.base_day)})"
                                                    for c in shown) + "."]
    if older is None:
        notes.append(f"The 2012 halving cannot be shown: the BTC prices here start on {iso(first)}.")
    if splice is not None:
        notes.append(f"Closes before {iso(splice)} are CryptoQuant's all-exchange daily closes, spliced in front of "
                     "Yahoo Finance's series (its first day); before it there are no intraday highs, so the close "
                     "stands in for the high. The data page shows the splice and how the two series agree.")
    used = ((OLDER,) if older is not None else ()) + (*PREVIOUS, CURRENT)
    notes.append(sources_note(*(p.halving_at(h) for h in used), what="Halving blocks"))
    return Computation(
        readings, "point", _evidence(shown, n), notes=notes,
        context={"days": n, "current_multiple": current_multiple},
    )


def figure_parts(multiples: dict[int, float]) -> list[str]:
    """For each of the article's figures, matched smaller with smaller: does the cycle's multiple agree?"""
    parts = []
    for claimed, (year, value) in zip(CLAIMED, sorted(multiples.items(), key=lambda item: item[1]), strict=True):
        if abs(value / claimed - 1) <= ACCURATE_REL:
            parts.append(f"{claimed}x matches the {year} cycle")
        else:
            parts.append(f"the {year} cycle gained {value:.1f}x, not {claimed}x")
    return parts


def judge(comp: Computation) -> Verdict:
    multiples = earlier_multiples(comp.primary_reading)
    current = comp.context_number("current_multiple")
    (y1, m1), (y2, m2) = sorted(multiples.items())
    days = comp.context["days"]
    if not all(m > current for m in (m1, m2)):
        return Verdict("Inaccurate", f"Over the same {days} days the {y1} cycle gained {m1:.1f}x and the {y2} "
                                     f"cycle {m2:.1f}x, against {current:.2f}x in this one: an earlier cycle did "
                                     "not gain more than this one")
    distance = pair_distance(m1, m2)
    return Verdict(pair_label(m1, m2), f"Over the same {days} days both earlier cycles gained more than this one "
                   f"({current:.2f}x); " + "; ".join(figure_parts(multiples)) + f" (the larger gap is {distance:.0%})")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces the article's figures if both its earlier multiples are within the Accurate band
    of 5x and 27x (the smaller matched with 5x)."""
    multiples = earlier_multiples(reading)
    if len(multiples) != 2:
        return None
    return pair_label(*multiples.values()) == "Accurate"


def finding(comp: Computation) -> str:
    by_year = earlier_multiples(comp.primary_reading)
    multiples = sorted(by_year.items(), key=lambda item: item[1])
    current = comp.context_number("current_multiple")
    parts = figure_parts(by_year)
    lagging = all(value > current for _, value in multiples)
    return (f"Over the same {comp.context['days']} days after their halvings, bitcoin multiplied "
            + " and ".join(f"{value:.1f}x in the {year} cycle" for year, value in sorted(multiples))
            + f", against {current:.2f}x in this one: "
            + ("earlier cycles did gain far more, but " if lagging else "the current cycle did not lag both, and ")
            + "; ".join(parts) + ".")


CLAIM = Claim(
    id="BTC-CYCLE-MULTIPLES",
    order=11,
    title="Previous cycles gained 5x and 27x over the same period",
    section="2016 and 2020: Two Breakouts",
    quote="the 5x and 27x gains in the same period",
    paraphrase="Over the same stretch after the two previous halvings, bitcoin multiplied about 5 times and "
               "27 times, far more than this cycle's roughly 50%.",
    article=(ArticleFigure("multiple_a", "One earlier cycle", CLAIMED[0], "x", "5x"),
             ArticleFigure("multiple_b", "The other earlier cycle", CLAIMED[1], "x", "27x")),
    needs=("btc-usd",),
    datasets=(BTC_EARLY,),
    method="BTC-USD daily closes and highs. For the 2016 and 2020 halvings (and the 2024 one, for contrast): "
           "the multiple after the same number of days as from 20 April 2024 to the last close (22 January "
           "2026 for the article), the best close and best intraday price within that span, the run from the "
           "halving to the cycle top, and from the cycle low before the halving to the top. Each is divided by "
           "the close nearest the halving block. Where the prices reach back to 2012, that cycle is shown too. "
           "'The previous two cycles' are read as the two before this one, 2016 and 2020. Within 10% is a fair "
           "rounding of a whole-number multiple (4.5x to 5.5x for '5x'); beyond 25% a figure is wrong even when "
           "the contrast with this cycle is right.",
    compute=compute,
    rule=custom(
        "Inaccurate if an earlier cycle (2016, 2020) did not gain more than this one over the same number of "
        f"days. Otherwise both multiples are compared with 5x and 27x, smaller with smaller: Accurate if both are "
        f"within {ACCURATE_REL:.0%}, Mostly accurate if within {MOSTLY_REL:.0%}, otherwise Inaccurate.",
        judge,
        matches,
    ),
    chart=lambda df: multiples_since_halving(
        df, levels=tuple((float(m), f"article: {m}x") for m in CLAIMED), publication_days=PUBLICATION_DAYS),
    chart_title="Bitcoin price as a multiple of its price at each halving, by days since the halving (log)",
    references=("bitcoin_protocol.json",),
    finding=finding,
)
