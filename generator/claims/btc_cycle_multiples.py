"""BTC-CYCLE-MULTIPLES: the same period of the previous two cycles gave 5x and 27x (vs about 50% now)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from generator.bitcoin import CYCLE_TOP_DAYS, Halving, close_nearest, cycle_top, protocol, sources_note
from generator.charts.btc import multiples_since_halving
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso, window
from generator.claimkit.rules import custom
from generator.market import MarketData

CLAIMED = (5, 27)
"""The article's two multiples; a reading reproduces one if its multiple rounds to it (nearest whole x)."""
EARLIER, CURRENT = (420_000, 630_000), 840_000
LOW_LOOKBACK_DAYS = 730
SAMPLE_DAYS = 7


@dataclass(frozen=True)
class Cycle:
    """One halving's price path in the snapshot: base = the daily close nearest the halving block."""

    year: int
    halving: pd.Timestamp
    base_day: pd.Timestamp
    base: float
    close: pd.Series
    high: pd.Series

    def day(self, n: int) -> pd.Timestamp:
        return self.halving + pd.Timedelta(days=n)


def _cycle(btc: pd.DataFrame, halving: Halving) -> Cycle:
    base_day, base = close_nearest(btc["close"], halving.block_time)
    return Cycle(halving.date.year, pd.Timestamp(halving.date), base_day, base, btc["close"], btc["high"])


def _point(c: Cycle, n: int) -> tuple[float, pd.Timestamp]:
    return float(c.close[c.day(n)]) / c.base, c.day(n)


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
    ("point", "Multiple after the same number of days (close on that day / price at the halving)", _point,
     "The natural 'same period': the day as many days after each halving as the evaluation date is after "
     "the 2024 halving."),
    ("peak_close", "Highest close within that many days / price at the halving", _peak_close,
     "The best close reached within the same span."),
    ("peak_high", "Highest intraday price within that many days / price at the halving", _peak_high,
     "The best intraday price reached within the same span."),
    ("to_cycle_peak", f"Halving to the cycle top (highest close within {CYCLE_TOP_DAYS} days)", _to_cycle_peak,
     "Not the same period: the whole run from the halving to the cycle top; for the current cycle, the top "
     "so far."),
    ("low_to_peak", f"Cycle low (lowest close in the {LOW_LOOKBACK_DAYS} days before the halving) to the "
                    "cycle's highest close", _low_to_peak,
     "Not the same period: from the bear-market low before the halving to the cycle top, a common source "
     "of big 'cycle' multiples."),
)


def rounded_pair(m2016: float, m2020: float) -> list[int]:
    """The two earlier multiples rounded half up to whole numbers, smallest first (the article gives no
    order)."""
    return sorted(math.floor(m + 0.5) for m in (m2016, m2020))


def _reading(key: str, label: str, measure: Measure, explanation: str, cycles: list[Cycle], n: int) -> Reading:
    values = [measure(c, n) for c in cycles]
    figures = tuple(Figure(f"multiple_{c.year}", f"{c.year} halving", m, "x", iso(day))
                    for c, (m, day) in zip(cycles, values, strict=True))
    pair = Figure("pair", "2016 and 2020 cycles", f"{values[0][0]:.1f}x and {values[1][0]:.1f}x", "text")
    matches = rounded_pair(values[0][0], values[1][0]) == sorted(CLAIMED)
    return Reading(key, label, (pair, *figures), "pair", matches, explanation)


def _earlier(reading: Reading) -> tuple[float, float]:
    """The reading's 2016 and 2020 multiples."""
    values = {f.key: float(f.value) for f in reading.figures if f.key in ("multiple_2016", "multiple_2020")}  # type: ignore[arg-type]
    return values["multiple_2016"], values["multiple_2020"]


def _evidence(cycles: list[Cycle], n: int) -> pd.DataFrame:
    days = sorted(set(range(0, n + 1, SAMPLE_DAYS)) | {n})
    rows = [{"cycle": f"{c.year} halving", "days_since_halving": d, "date": c.day(d),
             "close": float(c.close[c.day(d)]), "multiple": float(c.close[c.day(d)]) / c.base}
            for c in cycles for d in days]
    return pd.DataFrame(rows)


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    p = protocol()
    halvings = [p.halving_at(h) for h in (*EARLIER, CURRENT)]
    cycles = [_cycle(btc, h) for h in halvings]
    last = btc.index[-1]
    n = (last - cycles[-1].halving).days
    readings = [_reading(key, label, fn, why, cycles, n) for key, label, fn, why in MEASURES]
    found = {claimed: [r.key for r in readings if claimed in rounded_pair(*_earlier(r))] for claimed in CLAIMED}
    first = btc.index[0]
    return Computation(
        readings, "point", _evidence(cycles, n),
        notes=[f"Window: {n} days, from the 2024 halving ({iso(cycles[-1].halving)}) to the evaluation date; the same number "
               "of days is counted from the 2016 and 2020 halvings. The price at each halving is the daily "
               "close nearest the halving block's time (block times from the protocol reference file).",
               "A reading reproduces one of the article's figures if its multiple rounds to it. "
               + "; ".join(f"{claimed}x: " + (", ".join(keys) if keys else "no reading")
                           for claimed, keys in found.items()) + ".",
               f"The 2012 halving cannot be checked: the snapshot's BTC prices start on {iso(first)}. A daily "
               "BTC/USD series reaching back to November 2012 (for example an early exchange's trade "
               "history) would settle that cycle.",
               "Price at each halving: " + "; ".join(f"{c.year}: ${c.base:,.2f} (close of {iso(c.base_day)})"
                                                      for c in cycles) + ".",
               sources_note(*halvings, what="Halving blocks")],
        context={"days": n, "current_multiple": float(btc["close"].iloc[-1]) / cycles[-1].base,
                 "reproduced_5x": bool(found[5]), "reproduced_27x": bool(found[27])},
    )


def judge(comp: Computation) -> Verdict:
    primary = comp.primary_reading
    current = float(comp.context["current_multiple"])  # type: ignore[arg-type]
    earlier = _earlier(primary)
    direction = all(m > current for m in earlier)
    any_reading = any(r.matches_article for r in comp.readings)
    each_somewhere = bool(comp.context["reproduced_5x"]) and bool(comp.context["reproduced_27x"])
    if primary.matches_article:
        label = "Accurate"
    elif not direction:
        label = "Inaccurate"
    elif any_reading or each_somewhere:
        label = "Mostly accurate"
    else:
        label = "Misleading"
    return Verdict(label, f"same-day multiples {earlier[0]:.1f}x (2016) and {earlier[1]:.1f}x (2020) vs "
                          f"{current:.2f}x now; 5x reproduced: {'yes' if comp.context['reproduced_5x'] else 'no'}, "
                          f"27x reproduced: {'yes' if comp.context['reproduced_27x'] else 'no'}")


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
    method="BTC-USD daily closes and highs. For the 2016 and 2020 halvings (and the 2024 one, for contrast): "
           "the multiple after the same number of days as from 20 April 2024 to the evaluation date, the best "
           "close and best intraday price within that span, the run from the halving to the cycle top, and "
           "from the cycle low before the halving to the top. Each is divided by the close nearest the "
           "halving block.",
    compute=compute,
    rule=custom(
        "A reading reproduces the article's figures if the 2016 and 2020 multiples, rounded to a whole "
        "number, are 5 and 27 (in either order). Accurate if the same-number-of-days reading reproduces "
        "both; Inaccurate if, on that reading, either earlier cycle did not gain more than the current one "
        "(the comparison fails); Mostly accurate if another single reading reproduces both, or each figure "
        "is reproduced by some reading; Misleading if the comparison holds but at least one figure is "
        "reproduced by no reading.",
        judge,
    ),
    chart=multiples_since_halving,
    chart_title="Bitcoin price as a multiple of its price at each halving, by days since the halving (log)",
    references=("bitcoin_protocol.json",),
)
