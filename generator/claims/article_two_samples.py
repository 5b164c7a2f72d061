"""ARTICLE-TWO-SAMPLES: two samples cannot establish causality (an opinion; the data give it context).

How often was a Russell 2000 breakout followed by a BTC rally, against how often BTC rallied from any day
at all (the base rate)? Both use the same rally rule from :mod:`generator.breakouts`.
"""

from __future__ import annotations

import pandas as pd

from generator.breakouts import (
    DEFAULT_BREAKOUT,
    DEFAULT_RALLY,
    BreakoutRule,
    chance_at_least,
    find_breakouts,
    rally_flags,
    rally_outcome,
)
from generator.charts.macro import rate_comparison
from generator.claimkit.base import Claim, Computation, Figure, Reading, Value
from generator.claimkit.helpers import iso
from generator.claimkit.rules import opinion
from generator.formatting import format_value
from generator.market import MarketData

RULES = (DEFAULT_BREAKOUT, BreakoutRule(min_months_below=6))


def month_ends(flags: pd.Series) -> pd.Series:
    """The flags of the last day of each calendar month present."""
    return flags.groupby(flags.index.to_period("M")).tail(1)


def _share(values: pd.Series) -> float | None:
    return float(values.mean()) * 100.0 if len(values) else None


def _breakout_reading(rule: BreakoutRule, rut: pd.Series, btc: pd.Series, base_rate: float | None) -> Reading:
    breakouts = [b for b in find_breakouts(rut, rule) if b.date >= btc.index[0]]
    outcomes = [rally_outcome(btc, b.date, DEFAULT_RALLY) for b in breakouts]
    decided = [o for o in outcomes if o in ("rally", "no rally")]
    rallies = sum(1 for o in decided if o == "rally")
    share = rallies / len(decided) * 100.0 if decided else None
    chance = chance_at_least(rallies, len(decided), base_rate / 100.0) if base_rate is not None and decided else None
    dates = ", ".join(f"{iso(b.date)} ({o})" for b, o in zip(breakouts, outcomes, strict=True))
    months = rule.min_months_below
    figures = (
        Figure("breakouts_with_btc", "Breakouts with BTC data (the sample size)", len(breakouts), "count"),
        Figure("breakout_list", "Those breakouts (BTC outcome)", dates or "none", "text"),
        Figure("decided", "Of which the 12-month window is over or the rally happened", len(decided), "count"),
        Figure("rallies", "Of which followed by a BTC rally", rallies, "count"),
        Figure("share_after_breakouts", "Share of decided breakouts followed by a BTC rally", share, "%"),
        Figure("base_rate_days", "Share of all BTC days followed by a rally (base rate)", base_rate, "%"),
        Figure("chance_at_base_rate", f"Chance of at least {rallies} rallies in {len(decided)} random days "
               "at the base rate", chance, "%",
               note="treats the breakouts as independent draws at the base rate"),
    )
    return Reading(
        f"n{months}", f"Breakouts after at least {months} months below the record"
        + (" (the default)" if rule == DEFAULT_BREAKOUT else ""),
        figures, "breakouts_with_btc", None,
        f"Breakout: {rule.describe()}. Rally: {DEFAULT_RALLY.describe()}.")


def _base_reading(flags: pd.Series) -> Reading:
    ends = month_ends(flags)
    figures = (
        Figure("base_rate_days", "Share of all BTC days followed by a rally", _share(flags), "%",
               note=f"{len(flags):,} days, {iso(flags.index[0]) if len(flags) else '-'} to "
                    f"{iso(flags.index[-1]) if len(flags) else '-'}"),
        Figure("days", "Days with a complete 12-month window", len(flags), "count"),
        Figure("base_rate_months", "Share of month-end days followed by a rally", _share(ends), "%"),
        Figure("months", "Month-ends with a complete 12-month window", len(ends), "count"),
    )
    return Reading("base_rate", "Base rate: any day of BTC's history as the start", figures, "base_rate_days", None,
                   "Only days whose whole 12-month window is in the data are counted; windows overlap, so these "
                   "days are far from independent.")


def _pct(value: Value) -> str:
    return f"{value:.0f}%" if isinstance(value, float) else "n/a"


def _value(reading: Reading, key: str) -> Value:
    return next(f.value for f in reading.figures if f.key == key)


def evidence(readings: list[Reading]) -> pd.DataFrame:
    """One bar per group: the base rates and the share after breakouts under each rule."""
    base = next(r for r in readings if r.key == "base_rate")
    rows = [("Any day of BTC's history", _value(base, "base_rate_days"), _value(base, "days")),
            ("Any month-end", _value(base, "base_rate_months"), _value(base, "months"))]
    rows += [(f"After a breakout, {r.key[1:]}-month rule", _value(r, "share_after_breakouts"), _value(r, "decided"))
             for r in readings if r.key != "base_rate"]
    frame = pd.DataFrame(rows, columns=["group", "share_pct", "n"])
    frame.insert(1, "kind", ["base rate"] * 2 + ["after breakouts"] * (len(rows) - 2))
    frame["label"] = [f"{s:.0f}% of {n:,}" if s is not None and pd.notna(s) else f"no decided case ({n})"
                      for s, n in zip(frame["share_pct"], frame["n"], strict=True)]
    return frame


def compute(data: MarketData) -> Computation:
    rut, btc = data.close("rut"), data.close("btc-usd")
    flags = rally_flags(btc, DEFAULT_RALLY)
    base = _base_reading(flags)
    base_rate = base.headline_figure.value
    readings = [_breakout_reading(rule, rut, btc, base_rate if isinstance(base_rate, float) else None)
                for rule in RULES]
    readings.append(base)
    context: dict[str, Value] = {}
    for r in readings:
        context.update({f"{r.key}_{f.key}": f.value for f in r.figures})
    return Computation(
        readings, f"n{DEFAULT_BREAKOUT.min_months_below}", evidence(readings),
        notes=[
            f"Rally (as in RUT-BREAKOUTS-2016-2020): {DEFAULT_RALLY.describe()}, from the BTC close on the "
            "start day. A breakout whose window is still open and has not yet seen a rally is left out of the "
            "share (not decided).",
            f"BTC doubled within 12 months from {_pct(base_rate)} of all days with a complete window: a signal "
            "that 'hits' twice is only informative if it beats how often BTC doubled anyway.",
            "The chance figure treats the breakouts as independent draws at the base rate; BTC's rallies "
            "cluster in time, so it is a rough yardstick, not a test.",
        ],
        context=context,
    )


def finding(comp: Computation) -> str:
    """What the data support: the hit rate after breakouts against the base rate, and how few cases there are."""
    def number(key: str) -> float | None:
        value = comp.context.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    main = comp.primary
    decided, rallies = number(f"{main}_decided"), number(f"{main}_rallies")
    base, chance = number("base_rate_base_rate_days"), number(f"{main}_chance_at_base_rate")
    months = main[1:]
    if not decided:
        return (f"No Russell 2000 breakout under the {months}-month rule has a finished window with BTC data, so "
                "the data cannot tell a signal from chance; the article's caution stands.")
    return (f"The data support the article's caution: under the {months}-month rule, BTC doubled within a year "
            f"after {rallies:.0f} of {decided:.0f} Russell 2000 breakouts whose window is over, against "
            f"{format_value(base, '%')} of all days, a result chance alone would give "
            f"{format_value(chance, '%')} of the time.")


CLAIM = Claim(
    id="ARTICLE-TWO-SAMPLES",
    order=22,
    title="Two samples cannot establish causality",
    section="Coincidence, or the Same Liquidity Logic?",
    quote="Two samples aren't enough statistically",
    paraphrase="The article itself warns that two episodes (2016 and 2020) are too few to show that a Russell "
               "2000 breakout causes or predicts a BTC rally.",
    article=(),
    needs=("rut", "btc-usd"),
    method="The breakouts the written rule finds (12- and 6-month versions) that fall within BTC's price history, "
           f"and how many were followed by a BTC rally ({DEFAULT_RALLY.describe()}); against the base rate: the "
           "share of all BTC days (and month-ends) with a complete 12-month window from which BTC rallied by the "
           "same rule; and the chance of the observed hits if each breakout were a random day.",
    compute=compute,
    rule=opinion(),
    chart=rate_comparison,
    chart_title="How often BTC doubled within 12 months: after Russell 2000 breakouts vs from any day",
    kind="opinion",
    finding=finding,
)
