"""BTC-MINED-SHARE: 94% of all bitcoin has already been mined."""

from __future__ import annotations

from generator.bitcoin import (
    RateMethod,
    end_of_day,
    epoch_blocks_per_day,
    estimate_height,
    mined_sat,
    protocol,
    readable_day,
    schedule_timeline,
    sources_note,
    subsidy_sat,
    to_btc,
)
from generator.charts.btc import schedule_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading
from generator.claimkit.helpers import iso
from generator.claimkit.rules import absolute_tolerance, band
from generator.formatting import format_value
from generator.market import MarketData

CLAIMED_SHARE = 94.0
ACCURATE_PP, MOSTLY_PP = 0.5, 2.0
HALVING_HEIGHT = 840_000
CHART_FROM = "2009-01-31"


def _share_reading(key: str, label: str, height: int, day: str, explanation: str,
                   extra: tuple[Figure, ...] = (), height_label: str = "Block height") -> Reading:
    supply = to_btc(mined_sat(height))
    share = supply / protocol().max_money_btc.value * 100.0
    return Reading(
        key, label,
        (Figure("share_pct", "Share of 21 million BTC mined", share, "%", day),
         Figure("supply_btc", "Supply", supply, "BTC", day),
         Figure("height", height_label, height, "count", day), *extra),
        "share_pct", False, explanation)


def _estimated(day: str, method: RateMethod, label: str, explanation: str) -> Reading:
    height = int(estimate_height(end_of_day(day), method))
    rate = epoch_blocks_per_day()[-1][2] if method == "observed" else protocol().nominal_blocks_per_day
    return _share_reading(f"now_{method}", label, height, day, explanation,
                          (Figure("blocks_per_day", "Blocks a day since the halving (assumed)", rate, "blocks"),),
                          "Block height (estimated)")


def compute(data: MarketData) -> Computation:
    p = protocol()
    day = data.last_date("btc-usd")
    halving = p.halving_at(HALVING_HEIGHT)
    readings = [
        _estimated(day, "observed", "On the last day of data, height estimated at the 2020-2024 block rate",
                   "The article speaks in the present tense. The height is an estimate: block 840,000 plus the "
                   "days since, at the mean rate observed between the 2020 and 2024 halvings."),
        _estimated(day, "nominal", "On the last day of data, height estimated at 144 blocks a day",
                   "The same estimate at the protocol's target rate."),
        _share_reading("at_halving", "When block 840,000 was mined (April 2024 halving)", HALVING_HEIGHT,
                       iso(halving.date), "An exact figure from the schedule: four full epochs of subsidies."),
    ]
    thousand_blocks_pp = 1000 * to_btc(subsidy_sat(HALVING_HEIGHT)) / p.max_money_btc.value * 100
    evidence = schedule_timeline(CHART_FROM, day, p)[["date", "height_estimate", "supply_btc",
                                                     "share_of_21m_pct", "event"]]
    return Computation(
        readings, "now_observed", evidence,
        notes=[f"How much the estimate matters: every 1,000 blocks of error in the estimated height moves the "
               f"share by {thousand_blocks_pp:.3f} percentage points.",
               "Supply is the schedule's: every subsidy counted in full, including the genesis block's "
               "unspendable 50 BTC; coins lost or never claimed are not subtracted. The denominator is the "
               "21 million cap; the schedule itself ends just below it.",
               sources_note(p.max_money_btc, p.initial_subsidy_sat, p.halving_interval_blocks, *p.halvings,
                            what="Schedule, cap and halving blocks")],
    )


def finding(comp: Computation) -> str:
    now = comp.primary_reading
    share, day = comp.number("share_pct", now.key), comp.figure("share_pct", now.key).date
    at_halving = comp.number("share_pct", "at_halving")
    gap = share - CLAIMED_SHARE
    verdict = band(abs(gap), ACCURATE_PP, MOSTLY_PP)
    if verdict == "Accurate":
        verdict_text = f"which the article's {CLAIMED_SHARE:g}% matches"
    else:
        verdict_text = (f"{abs(gap):.2f} points {'above' if gap > 0 else 'below'} the article's "
                        f"{CLAIMED_SHARE:g}%, which was the share at the April 2024 halving "
                        f"({format_value(at_halving, '%')})")
    return (f"By {readable_day(day)}, {format_value(share, '%')} of the 21 million bitcoin had been mined "
            f"(from an estimated block height), {verdict_text}.")


CLAIM = Claim(
    id="BTC-MINED-SHARE",
    order=15,
    title="94% of all bitcoin already mined",
    section="2016 and 2020: Two Breakouts",
    quote="94% of BTC has already been mined",
    paraphrase="About 94% of the 21 million bitcoin that will ever exist have already been created.",
    article=(ArticleFigure("share_pct", "Share mined", CLAIMED_SHARE, "%", "94% of BTC"),),
    needs=("btc-usd",),
    method="Supply from the protocol's issuance schedule at a block height, divided by 21 million. On the "
           "last day of data (the last bitcoin day before the article, or the latest day for the follow-up) "
           "the height is an estimate from the halving blocks' timestamps (at the block rate observed over "
           "2020-2024, and at 144 a day); at the April 2024 halving it is exact. No prices are used; the BTC "
           "series only fixes the day. The article speaks in the present tense, so the main reading is the "
           "share when it was written; the share at the halving the sentence discusses is another reading. "
           "A whole-number percentage is right within half a point (rounding); up to two points off, the "
           "impression (nearly all bitcoin already exists) still holds.",
    compute=compute,
    rule=absolute_tolerance(
        "share_pct", CLAIMED_SHARE, ACCURATE_PP, MOSTLY_PP,
        what="share of 21 million mined by the last day of data (estimated height, in %)"),
    chart=lambda df: schedule_with_events(df, "share_of_21m_pct", "Share of 21 million BTC mined (%)",
                                          levels=((CLAIMED_SHARE, f"article: {CLAIMED_SHARE:g}%"),)),
    chart_title="Share of the 21 million bitcoin mined, from the issuance schedule (heights estimated)",
    references=("bitcoin_protocol.json",),
    finding=finding,
)
