"""BTC-HALVING-GAIN: since the April 2024 halving BTC rose from $63,000 to the current $90,000, about 50%."""

from __future__ import annotations

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.bitcoin import close_nearest, protocol, readable_day, sources_note
from generator.calendars import last_visible_day
from generator.charts.btc import price_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading
from generator.claimkit.helpers import iso, on_or_before, pct_change
from generator.claimkit.rules import absolute_tolerance, band
from generator.formatting import format_value
from generator.market import MarketData

CLAIMED_GAIN = 50.0
CLAIMED_START, CLAIMED_END = 63_000.0, 90_000.0
ACCURATE_PP, MOSTLY_PP = 5.0, 10.0
HALVING_HEIGHT = 840_000
CHART_FROM = "2024-01-01"


def _gain_reading(key: str, label: str, start: Figure, end: Figure, explanation: str,
                  extra: tuple[Figure, ...] = ()) -> Reading:
    gain = pct_change(float(start.value), float(end.value))  # type: ignore[arg-type]
    return Reading(key, label, (Figure("gain", "Gain", gain, "%", end.date), start, end, *extra), "gain",
                   False, explanation)


def compute(data: MarketData) -> Computation:
    close = data.close("btc-usd")
    halving = protocol().halving_at(HALVING_HEIGHT)
    block_day, at_block = close_nearest(close, halving.block_time)
    halving_day, on_halving_day = on_or_before(close, halving.date)
    now_day, now = close.index[-1], float(close.iloc[-1])
    end = Figure("end", "Latest close the evaluation saw ('current')", now, "USD", iso(now_day))
    readings = [
        _gain_reading(
            "at_halving_block", "From the price at the halving block to the latest close",
            Figure("start", "Last daily close before block 840,000", at_block, "USD", iso(block_day)), end,
            f"Block 840,000 was mined at {halving.block_time:%H:%M} UTC on {halving.date}; the UTC daily "
            f"bar of {iso(block_day)} closed minutes earlier, so its close is the price at the halving."),
        _gain_reading(
            "halving_day_close", "From the close of the halving day (20 April 2024) to the latest close",
            Figure("start", "Close on the halving day", on_halving_day, "USD", iso(halving_day)), end,
            "The daily close of 20 April 2024, almost a full day after the block."),
        _gain_reading(
            "article_start", "From the article's own $63,000 to the latest close",
            Figure("start", "The article's starting price", CLAIMED_START, "USD"), end,
            "Takes the article's starting figure as given; the extra figure is the gain its two prices imply.",
            (Figure("implied_gain", "Gain implied by the article's $63,000 and $90,000",
                    pct_change(CLAIMED_START, CLAIMED_END), "%"),)),
    ]
    evidence = close.loc[close.index >= pd.Timestamp(CHART_FROM)].rename("close").reset_index()
    evidence["start_price"] = at_block
    evidence["plus_50_level"] = at_block * (1 + CLAIMED_GAIN / 100)
    evidence["event"] = ""
    evidence.loc[evidence["date"] == block_day, "event"] = "halving"
    evidence.loc[evidence["date"] == now_day, "event"] = f"{iso(now_day)} close"
    return Computation(
        readings, "at_halving_block", evidence,
        notes=["'The current $90,000' is the last daily close (UTC day) the article could have seen, 22 "
               "January 2026; the follow-up on the latest data uses the latest close instead.",
               f"The article's own two prices ($63,000 to $90,000) imply a gain of "
               f"{pct_change(CLAIMED_START, CLAIMED_END):.1f}%, not 50%.",
               sources_note(halving, what="Halving block and time")],
        context={"start_price": at_block, "start_date": iso(block_day)},
    )


def finding(comp: Computation) -> str:
    main = comp.primary_reading.key
    gain, start, end = comp.number("gain", main), comp.number("start", main), comp.number("end", main)
    end_day = comp.figure("end", main).date
    when = readable_day(end_day)
    if end_day == last_visible_day("crypto", PUBLISHED_AT).isoformat():
        when += " (the last close before the article)"
    verdict = band(abs(gain - CLAIMED_GAIN), ACCURATE_PP, MOSTLY_PP)
    judged = {"Accurate": "about 50%, as the article says", "Mostly accurate": "short of the article's 50%",
              "Inaccurate": "far from the article's 50%"}[verdict]
    implied = comp.number("implied_gain", "article_start")
    return (f"From {format_value(start, 'USD')} at the April 2024 halving to {format_value(end, 'USD')} on "
            f"{when}, bitcoin gained {format_value(gain, '%')}, {judged}; the article's own $63,000 and $90,000 "
            f"imply {format_value(implied, '%')}.")


CLAIM = Claim(
    id="BTC-HALVING-GAIN",
    order=10,
    title="BTC up about 50% since the April 2024 halving",
    section="2016 and 2020: Two Breakouts",
    quote="rose from $63,000 to the current $90,000",
    paraphrase="Since the halving of April 2024, bitcoin has gone from about $63,000 to about $90,000, "
               "a rise of roughly 50%.",
    article=(ArticleFigure("gain", "Gain since the halving", CLAIMED_GAIN, "%", "a gain of about 50%"),
             ArticleFigure("start", "Price at the halving", CLAIMED_START, "USD", "from $63,000"),
             ArticleFigure("end", "Current price", CLAIMED_END, "USD", "the current $90,000")),
    needs=("btc-usd",),
    method="BTC-USD daily closes (UTC days). The start is the price at the halving block (block 840,000, "
           "time from the protocol reference file): the daily close nearest the block's time, which is the "
           "close of 19 April 2024 because the block came 9 minutes after that bar closed. The end, 'the current "
           "$90,000', is the last close before the article (22 January 2026); on the latest data it is the "
           "latest close, which asks whether the statement still holds, not whether the article was right. "
           "Two other readings: from the close of the halving day itself, and from the article's own $63,000. "
           "'About 50%' is a rounded figure: within 5 points is a fair reading of 'about'; up to 10 points the "
           "rounded figure still conveys the article's point (a modest gain next to earlier cycles).",
    compute=compute,
    rule=absolute_tolerance(
        "gain", CLAIMED_GAIN, ACCURATE_PP, MOSTLY_PP,
        what="gain from the price at the halving block to the last close (in %)"),
    chart=lambda df: price_with_events(
        df, "close", "BTC close (USD)", "start_price", "price at the halving",
        levels=((float(df["plus_50_level"].iloc[0]), "+50% from the halving (the article's gain)"),)),
    chart_title="Bitcoin daily close since January 2024, with the price at the April 2024 halving",
    references=("bitcoin_protocol.json",),
    finding=finding,
)
