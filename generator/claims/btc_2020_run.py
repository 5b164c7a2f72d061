"""BTC-2020-RUN: after the 2020 Russell 2000 breakout, BTC went from over $10,000 to $69,000."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from generator.bitcoin import (
    CYCLE_TOP_DAYS,
    close_nearest,
    cycle_top,
    protocol,
    readable_day,
    reference_fact,
    sources_note,
)
from generator.breakouts import DEFAULT_BREAKOUT, BreakoutRule, find_breakouts
from generator.charts.btc import price_with_events
from generator.claimkit.base import (
    ArticleFigure,
    Claim,
    Computation,
    Figure,
    Reading,
    Setting,
    Verdict,
    VerdictLabel,
)
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom, reading_value
from generator.formatting import format_value
from generator.market import MarketData
from generator.paths import REFERENCE_DIR, REPO_ROOT

CLAIMED_START, CLAIMED_TOP = 10_000.0, 69_000.0
START_NATURAL_BELOW = 12_500.0
"""'Over $10,000' describes a start from $10,000 up to (not including) $12,500."""
TOP_ACCURATE_PCT, TOP_MOSTLY_PCT = 5.0, 10.0
CHART_FROM, CHART_TO = "2020-01-01", "2022-06-30"
MONTHS_BELOW = (3, 6, 12, 18)
"""The robustness grid: the breakout rule with 3, 6, 12 and 18 months below the prior record."""
INSTITUTIONS_FILE = REFERENCE_DIR / "bitcoin_institutional_buying.json"


def institutions_entry() -> tuple[date, str, str]:
    """The day the first large company purchase the article names was announced, its publisher and URL."""
    fact = reference_fact(INSTITUTIONS_FILE.name, "microstrategy_first_purchase")
    return date.fromisoformat(fact["date"]), fact["source"], fact["url"]


def russell_2020_breakout(data: MarketData, rule: BreakoutRule = DEFAULT_BREAKOUT) -> pd.Timestamp:
    """The Russell 2000's 2020 breakout under the project's breakout rule (generator.breakouts): its first
    close above the prior all-time closing high after the 2020 crash."""
    found = [b.date for b in find_breakouts(data.close("rut"), rule) if b.date.year == 2020]
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
    return Reading(key, label, (
        Figure("start", "BTC close at the start", start, "USD", iso(start_day)),
        Figure("top_high", "Cycle top, intraday", high, "USD", iso(high_day)),
        Figure("top_close", "Cycle top, close", close, "USD", iso(close_day)),
        Figure("multiple", "Start to intraday top", high / start, "x", iso(high_day)),
    ), "start", False, explanation)


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
    entry_day, publisher, _ = institutions_entry()
    entry = pd.Timestamp(entry_day)
    if entry in close.index:
        readings.append(_reading(
            "at_institutions_entry", f"From MicroStrategy's first bitcoin purchase ({readable_day(entry)})", entry,
            float(close[entry]), tops,
            "The sentence credits institutions, naming MicroStrategy, with the run; its first purchase was "
            f"announced that day ({publisher}). BTC's close that day is the start."))
    evidence = btc.loc[(btc.index >= CHART_FROM) & (btc.index <= CHART_TO), ["close", "high"]].reset_index()
    evidence["reference"] = CLAIMED_START
    evidence["event"], evidence["event_price"] = "", evidence["close"]
    for day, label, column in ((breakout, "Russell 2000 breakout", "close"), (halving_day, "halving 2020", "close"),
                               (entry, "MicroStrategy's first purchase", "close"),
                               (tops["high"][0], "cycle top (intraday)", "high")):
        row = evidence["date"] == day
        evidence.loc[row, "event"] = label
        evidence.loc[row, "event_price"] = evidence.loc[row, column]
    sensitivity = []
    for months in MONTHS_BELOW:
        rule = replace(DEFAULT_BREAKOUT, min_months_below=months)
        day = russell_2020_breakout(data, rule)
        start, top = float(close[day]), cycle_top(high, day)[1]
        sensitivity.append(Setting(
            f"Breakout after {months} months below the prior record",
            run_label(start, top), f"breakout on {iso(day)}; BTC closed at ${start:,.0f} and topped at ${top:,.0f}",
            primary=months == DEFAULT_BREAKOUT.min_months_below))
    return Computation(
        readings, "at_russell_breakout", evidence, sensitivity=sensitivity,
        notes=[f"Russell 2000 breakout rule: {DEFAULT_BREAKOUT.describe()} (the same rule as the claim about the 2016 and 2020 breakouts)."
               f" In 2020 that is {iso(breakout)}.",
               f"Cycle top: the highest BTC close and intraday high in the {CYCLE_TOP_DAYS} days after the "
               "breakout. Intraday tops differ slightly between price sources; this is Yahoo's BTC-USD series.",
               sources_note(halving, what="2020 halving block"),
               f"MicroStrategy's first purchase: {INSTITUTIONS_FILE.relative_to(REPO_ROOT).as_posix()}, "
               f"checked against {institutions_entry()[2]}."],
    )


def run_label(start: float, top: float) -> VerdictLabel:
    """The rule applied to one start and one intraday top."""
    distance = top_distance_pct(top)
    begins = start_label(start)
    if begins == "Inaccurate" or distance > TOP_MOSTLY_PCT:
        return "Inaccurate"
    if begins == "Accurate" and distance <= TOP_ACCURATE_PCT:
        return "Accurate"
    return "Mostly accurate"


def _start_words(start: float) -> str:
    return {"Inaccurate": "below $10,000", "Accurate": "a little over $10,000",
            "Mostly accurate": "well above the article's 'over $10,000'"}[start_label(start)]


def judge(comp: Computation) -> Verdict:
    start, top = comp.number("start", comp.primary), comp.number("top_high", comp.primary)
    return Verdict(run_label(start, top),
                   f"Start ${start:,.0f} ({_start_words(start)}); intraday top ${top:,.0f}, "
                   f"{top_distance_pct(top):.1f}% from $69,000")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces the article's run if the rule rates its start and top Accurate."""
    start, top = reading_value(reading, "start"), reading_value(reading, "top_high")
    return None if start is None or top is None else run_label(start, top) == "Accurate"


def finding(comp: Computation) -> str:
    main = comp.primary
    start, top = comp.number("start", main), comp.number("top_high", main)
    start_day, top_day = comp.figure("start", main).date, comp.figure("top_high", main).date
    return (f"Bitcoin closed at {format_value(start, 'USD')} when the Russell 2000 broke out "
            f"({readable_day(start_day)}), {_start_words(start)}, and topped at {format_value(top, 'USD')} "
            f"({readable_day(top_day)}), {top_distance_pct(top):.1f}% from $69,000" + _institutions_clause(comp) + ".")


def _institutions_clause(comp: Computation) -> str:
    """The start the sentence's own subject (institutional buying) gives, when that reading exists."""
    try:
        start = comp.number("start", "at_institutions_entry")
    except KeyError:
        return ""
    day = comp.figure("start", "at_institutions_entry").date
    return (f"; from MicroStrategy's first purchase ({readable_day(day)}, {format_value(start, 'USD')}) the "
            f"start is {_start_words(start)}")


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
           "intraday high in the two years after (with dates). A start of $12,500 or more is true but "
           "understates the run, hence Mostly accurate. Other readings start at the May 2020 halving and "
           "on the day MicroStrategy announced its first bitcoin purchase (the institutions the sentence names). "
           "The verdict starts at the breakout because the article offers the run as the bitcoin rally that "
           "followed the Russell 2000's breakout.",
    compute=compute,
    rule=custom(
        f"Accurate if BTC's close on the Russell 2000's 2020 breakout day is $10,000 to "
        f"${START_NATURAL_BELOW - 1:,.0f} (a natural 'over $10,000') and its intraday top in the next two years is "
        f"within {TOP_ACCURATE_PCT:g}% of $69,000; Mostly accurate if the start is higher or the top within "
        f"{TOP_MOSTLY_PCT:g}%; Inaccurate if the start is below $10,000 or the top further off.",
        judge,
        matches,
    ),
    chart=lambda df: price_with_events(df, "close", "BTC (USD, log)", "reference", "article: $10,000", log=True,
                                       second="high", event_value="event_price", mark_publication=False,
                                       levels=((CLAIMED_TOP, "article: $69,000"),)),
    chart_title="Bitcoin close (solid) and intraday high (dashed), 2020 to mid-2022",
    references=("bitcoin_protocol.json", "bitcoin_institutional_buying.json"),
    finding=finding,
    fixed_in_time=True,
)
