"""BTC-INFLATION: after the fourth halving BTC's annual inflation rate fell from 1.7% to 0.85%."""

from __future__ import annotations

from generator.bitcoin import (
    annual_issuance_btc,
    end_of_day,
    epoch_blocks_per_day,
    estimate_height,
    inflation_pct,
    mined_sat,
    protocol,
    readable_day,
    schedule_timeline,
    sources_note,
    subsidy_sat,
    to_btc,
)
from generator.charts.btc import schedule_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import band, custom, reading_value
from generator.formatting import format_value
from generator.market import MarketData

CLAIMED_BEFORE, CLAIMED_AFTER = 1.7, 0.85
ACCURATE_PP, MOSTLY_PP = 0.05, 0.15
HALVING_HEIGHT = 840_000
CHART_FROM = "2012-01-01"


def distance_pp(before: float, after: float) -> float:
    """The larger of the two gaps to the article's figures, in percentage points."""
    return max(abs(before - CLAIMED_BEFORE), abs(after - CLAIMED_AFTER))


def _halving_reading(key: str, label: str, blocks_per_day: float, explanation: str) -> Reading:
    supply = to_btc(mined_sat(HALVING_HEIGHT))
    before_btc = annual_issuance_btc(HALVING_HEIGHT - 1, blocks_per_day)
    after_btc = annual_issuance_btc(HALVING_HEIGHT, blocks_per_day)
    before, after = inflation_pct(before_btc, supply), inflation_pct(after_btc, supply)
    day = iso(protocol().halving_at(HALVING_HEIGHT).date)
    new, old = to_btc(subsidy_sat(HALVING_HEIGHT)), to_btc(subsidy_sat(HALVING_HEIGHT - 1))
    figures = (
        Figure("after_pct", f"Annual inflation after block {HALVING_HEIGHT:,} ({new:g} BTC a block)", after,
               "percent", day),
        Figure("before_pct", f"Annual inflation before it ({old:g} BTC a block)", before, "percent", day),
        Figure("supply_btc", "Supply when block 840,000 was mined", supply, "BTC", day),
        Figure("issuance_before_btc", "New BTC a year before the halving", before_btc, "BTC"),
        Figure("issuance_after_btc", "New BTC a year after the halving", after_btc, "BTC"),
        Figure("blocks_per_day", "Blocks a day assumed", blocks_per_day, "blocks"),
    )
    return Reading(key, label, figures, "after_pct", False, explanation)


def _now_reading(day_iso: str, blocks_per_day: float) -> Reading:
    height = int(estimate_height(end_of_day(day_iso)))
    supply = to_btc(mined_sat(height))
    issuance = annual_issuance_btc(height, blocks_per_day)
    return Reading(
        "at_evaluation_date", "For context: the same rate on the last day of data (supply has grown since)",
        (Figure("after_pct", "Annual inflation", inflation_pct(issuance, supply), "percent", day_iso),
         Figure("supply_btc", "Supply (from an estimated block height)", supply, "BTC", day_iso),
         Figure("height_estimate", "Estimated block height", height, "count", day_iso)),
        "after_pct", None,
        "Uses the target 144 blocks a day for issuance and an estimated height for the supply.")


def compute(data: MarketData) -> Computation:
    p = protocol()
    observed = epoch_blocks_per_day(p)[-1][2]
    day_iso = data.last_date("btc-usd")
    readings = [
        _halving_reading("target_rate", "At block 840,000, with the target 144 blocks a day",
                         p.nominal_blocks_per_day,
                         "The textbook reading: 6.25 or 3.125 BTC a block, 144 blocks a day, 365 days, over the "
                         "supply when the halving block was mined."),
        _halving_reading("observed_rate", "At block 840,000, with the block rate observed over 2020-2024",
                         observed,
                         "Blocks came faster than the target between the 2020 and 2024 halvings (hash rate "
                         "kept rising); this reading uses that observed mean rate."),
        _now_reading(day_iso, p.nominal_blocks_per_day),
    ]
    evidence = schedule_timeline(CHART_FROM, day_iso, p)[["date", "height_estimate", "supply_btc",
                                                          "inflation_pct", "event"]]
    return Computation(
        readings, "target_rate", evidence,
        notes=["'Annual inflation' = new coins created in a year at the block subsidy / coins already in "
               "existence, both from the protocol's schedule (exact integer satoshi arithmetic). Supply counts "
               "the genesis block's 50 BTC and every subsidy in full; the handful of coins miners failed to "
               "claim change nothing at this precision.",
               "The chart's heights between halvings are interpolated between the halving blocks' timestamps "
               "and extrapolated after the last one: estimates, used only for the time axis and the context "
               "reading.",
               sources_note(p.initial_subsidy_sat, p.halving_interval_blocks, p.target_block_spacing_seconds,
                            *p.halvings, what="Schedule and halving blocks")],
    )


def judge(comp: Computation) -> Verdict:
    before, after = comp.number("before_pct", comp.primary), comp.number("after_pct", comp.primary)
    distance = distance_pp(before, after)
    return Verdict(band(distance, ACCURATE_PP, MOSTLY_PP),
                   f"At the halving block the rate went from {before:.3f}% to {after:.3f}% a year, against the "
                   f"article's {CLAIMED_BEFORE:g}% and {CLAIMED_AFTER:g}%: at most {distance:.3f} percentage "
                   "points apart")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces the article's pair if both its rates are within the Accurate band."""
    before, after = reading_value(reading, "before_pct"), reading_value(reading, "after_pct")
    if before is None or after is None or not any(f.key == "before_pct" for f in reading.figures):
        return None
    return band(distance_pp(before, after), ACCURATE_PP, MOSTLY_PP) == "Accurate"


def finding(comp: Computation) -> str:
    main = comp.primary_reading
    before, after = comp.number("before_pct", main.key), comp.number("after_pct", main.key)
    day = comp.figure("after_pct", main.key).date
    verdict = band(distance_pp(before, after), ACCURATE_PP, MOSTLY_PP)
    agree = {"Accurate": "as the article says", "Mostly accurate": "close to the article's figures",
             "Inaccurate": "not the article's figures"}[verdict]
    return (f"At the halving of {readable_day(day)}, new bitcoin a year fell from "
            f"{format_value(before, 'percent')} to {format_value(after, 'percent')} of the coins already in "
            f"existence (at the target 144 blocks a day), {agree} ({CLAIMED_BEFORE:g}% to {CLAIMED_AFTER:g}%).")


CLAIM = Claim(
    id="BTC-INFLATION",
    order=14,
    title="BTC inflation fell from 1.7% to 0.85% at the fourth halving",
    section="2016 and 2020: Two Breakouts",
    quote="dropped from 1.7% to 0.85%",
    paraphrase="The fourth halving (April 2024) cut bitcoin's annual supply growth roughly in half, from about "
               "1.7% to about 0.85% a year.",
    article=(ArticleFigure("before_pct", "Inflation before the halving", CLAIMED_BEFORE, "percent", "from 1.7%"),
             ArticleFigure("after_pct", "Inflation after the halving", CLAIMED_AFTER, "percent", "to 0.85%")),
    needs=("btc-usd",),
    method="From the issuance schedule in the protocol reference file (50 BTC a block, halved every 210,000 "
           "blocks): supply when block 840,000 was mined, and a year of new coins at the old (6.25 BTC) and "
           "new (3.125 BTC) subsidy, at the target 144 blocks a day and at the rate observed between the "
           "2020 and 2024 halvings. No prices are used; the BTC series only fixes the last day of the "
           "context reading.",
    compute=compute,
    rule=custom(
        f"Accurate if both rates at block 840,000 with the target 144 blocks a day are within "
        f"{ACCURATE_PP:g} percentage points of the article's 1.7% and 0.85%; Mostly accurate if both are within "
        f"{MOSTLY_PP:g} points; otherwise Inaccurate. The figures are rounded to two digits, so a "
        f"{ACCURATE_PP:g}-point band is rounding; the readings table shows the same test on each reading.",
        judge,
        matches,
    ),
    chart=lambda df: schedule_with_events(
        df, "inflation_pct", "New BTC a year, % of supply (log)", log=True,
        levels=((CLAIMED_BEFORE, f"article: {CLAIMED_BEFORE:g}%"), (CLAIMED_AFTER, f"article: {CLAIMED_AFTER:g}%"))),
    chart_title="Bitcoin's annual supply growth from the issuance schedule, with the halvings",
    references=("bitcoin_protocol.json",),
    finding=finding,
    fixed_in_time=True,
)
