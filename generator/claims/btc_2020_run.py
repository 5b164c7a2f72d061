"""BTC-2020-RUN: after the 2020 Russell 2000 breakout, BTC went from over $10,000 to $69,000."""

from __future__ import annotations

import pandas as pd

from generator.bitcoin import CYCLE_TOP_DAYS, close_nearest, cycle_top, protocol, sources_note
from generator.breakouts import DEFAULT_BREAKOUT, find_breakouts
from generator.charts.btc import price_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict, VerdictLabel
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.market import MarketData

CLAIMED_START, CLAIMED_TOP = 10_000.0, 69_000.0
START_NATURAL_BELOW = 12_500.0
"""'Over $10,000' describes a start from $10,000 up to (not including) $12,500."""
TOP_ACCURATE_PCT, TOP_MOSTLY_PCT = 5.0, 10.0
CHART_FROM, CHART_TO = "2020-01-01", "2022-06-30"


def russell_2020_breakout(data: MarketData) -> pd.Timestamp:
    """The Russell 2000's 2020 breakout under the project's breakout rule (generator.breakouts): its first
    close above the prior all-time closing high after the 2020 crash."""
    found = [b.date for b in find_breakouts(data.close("rut"), DEFAULT_BREAKOUT) if b.date.year == 2020]
    if not found:
        raise ValueError("no Russell 2000 breakout in 2020 in the data")
    return found[0]


def start_label(start: float) -> VerdictLabel:
    if start < CLAIMED_START:
        return "Inaccurate"
    return "Accurate" if start < START_NATURAL_BELOW else "Mostly accurate"


def top_distance_pct(top: float) -> float:
    """How far the top is from $69,000, in % (rounded to 1e-9 so an exact boundary is not lost to float noise)."""
    return round(abs(top / CLAIMED_TOP - 1) * 100, 9)


def _reading(key: str, label: str, start_day: pd.Timestamp, start: float, tops: dict[str, tuple],
             explanation: str) -> Reading:
    (high_day, high), (close_day, close) = tops["high"], tops["close"]
    matches = start_label(start) == "Accurate" and top_distance_pct(high) <= TOP_ACCURATE_PCT
    return Reading(key, label, (
        Figure("start", "BTC close at the start", start, "USD", iso(start_day)),
        Figure("top_high", "Cycle top, intraday", high, "USD", iso(high_day)),
        Figure("top_close", "Cycle top, close", close, "USD", iso(close_day)),
        Figure("multiple", "Start to intraday top", high / start, "x", iso(high_day)),
    ), "start", matches, explanation)


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    close, high = btc["close"], btc["high"]
    breakout = russell_2020_breakout(data)
    halving = protocol().halving_at(630_000)
    halving_day, at_halving = close_nearest(close, halving.block_time)
    tops = {"high": cycle_top(high, breakout), "close": cycle_top(close, breakout)}
    readings = [
        _reading("at_russell_breakout", "From the day the Russell 2000 broke out in 2020", breakout,
                 float(close[breakout]), tops,
                 "The article ties BTC's run to the Russell 2000's 2020 breakout; the start is BTC's close "
                 "that day."),
        _reading("at_2020_halving", "From the May 2020 halving", halving_day, at_halving, tops,
                 "Another common start of 'the 2020 run': the price at the halving block."),
    ]
    evidence = btc.loc[(btc.index >= CHART_FROM) & (btc.index <= CHART_TO), ["close", "high"]].reset_index()
    evidence["reference"] = CLAIMED_START
    evidence["event"], evidence["event_price"] = "", evidence["close"]
    for day, label, column in ((breakout, "Russell 2000 breakout", "close"), (halving_day, "halving 2020", "close"),
                               (tops["high"][0], "cycle top (intraday)", "high")):
        row = evidence["date"] == day
        evidence.loc[row, "event"] = label
        evidence.loc[row, "event_price"] = evidence.loc[row, column]
    return Computation(
        readings, "at_russell_breakout", evidence,
        notes=[f"Russell 2000 breakout rule: {DEFAULT_BREAKOUT.describe()} (shared with RUT-BREAKOUTS-2016-2020)."
               f" In 2020 that is {iso(breakout)}.",
               f"Cycle top: the highest BTC close and intraday high in the {CYCLE_TOP_DAYS} days after the "
               "breakout. Intraday tops differ slightly between price sources; this is Yahoo's BTC-USD series.",
               sources_note(halving, what="2020 halving block")],
    )


def judge(comp: Computation) -> Verdict:
    start = float(comp.figure("start", comp.primary).value)  # type: ignore[arg-type]
    top = float(comp.figure("top_high", comp.primary).value)  # type: ignore[arg-type]
    distance = top_distance_pct(top)
    begins = start_label(start)
    if begins == "Inaccurate" or distance > TOP_MOSTLY_PCT:
        label: VerdictLabel = "Inaccurate"
    elif begins == "Accurate" and distance <= TOP_ACCURATE_PCT:
        label = "Accurate"
    else:
        label = "Mostly accurate"
    return Verdict(label, f"start ${start:,.0f} (over $10,000: {'yes' if start >= CLAIMED_START else 'no'}"
                          f"{', but well above it' if begins == 'Mostly accurate' else ''}); intraday top "
                          f"${top:,.0f}, {distance:.1f}% from $69,000")


CLAIM = Claim(
    id="BTC-2020-RUN",
    order=8,
    title="BTC from over $10,000 to $69,000 after the 2020 breakout",
    section="2016 and 2020: Two Breakouts",
    quote="from over $10,000 to $69,000",
    paraphrase="After the Russell 2000's 2020 breakout, with institutions buying, bitcoin climbed from a "
               "little over $10,000 to about $69,000.",
    article=(ArticleFigure("start", "Start of the run", CLAIMED_START, "USD", "over $10,000"),
             ArticleFigure("top", "Top of the run", CLAIMED_TOP, "USD", "to $69,000")),
    needs=("btc-usd", "rut"),
    method="The Russell 2000's 2020 breakout (first close above its prior all-time closing high after the "
           "2020 crash, by the project's breakout rule); BTC's close that day; the highest BTC close and "
           "intraday high in the two years after (with dates). A second reading starts at the May 2020 halving.",
    compute=compute,
    rule=custom(
        "Start: BTC's close on the Russell 2000's 2020 breakout day against 'over $10,000'. Top: the highest "
        f"intraday price in the {CYCLE_TOP_DAYS} days after against $69,000. Accurate if the start is at "
        f"least $10,000 and under ${START_NATURAL_BELOW:,.0f} (where 'over $10,000' is the natural wording) "
        f"and the top is within {TOP_ACCURATE_PCT:g}% of $69,000; Mostly accurate if the start is at least "
        f"$10,000 and the top within {TOP_MOSTLY_PCT:g}% (a start of ${START_NATURAL_BELOW:,.0f} or more is "
        "true but understated); Inaccurate if the start is below $10,000 or the top more than "
        f"{TOP_MOSTLY_PCT:g}% away.",
        judge,
    ),
    chart=lambda df: price_with_events(df, "close", "BTC (USD, log)", "reference", "$10,000", log=True,
                                       second="high", event_value="event_price", mark_publication=False),
    chart_title="Bitcoin close (solid) and intraday high (dashed), 2020 to mid-2022",
)
