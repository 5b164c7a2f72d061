"""RUT-MEDIAN-CAP: the index holds the 2,000 smallest U.S. companies, median market cap just over $1 billion."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.charts.flows import market_cap_histogram
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.datasets.constituents import Constituents, constituents, coverage_note
from generator.datasets.store import IWM_HOLDINGS, R2K_FUNDAMENTALS
from generator.market import MarketData

CLAIMED = 1.0e9
"""'just over $1 billion': read as from $1.00 bn to $1.25 bn."""
ACCURATE = (1.0e9, 1.25e9)
MOSTLY = (0.85e9, 1.5e9)
MIN_COVERAGE = 0.80
INDEX_RANKS = (1001, 3000)
RANKS_SOURCE = ("FTSE Russell, Russell US Equity Indices construction and methodology: the Russell 2000 is "
                "the Russell 3000E's companies ranked 1001 to 3000 by total market capitalisation at each "
                "reconstitution; the Russell Microcap index continues below it.")
BRACKETS = (0.0, 100e6, 250e6, 500e6, 750e6, 1e9, 1.5e9, 2e9, 3e9, 5e9, 10e9, np.inf)


def _usd(value: float) -> str:
    return f"${value / 1e9:,.2f} bn" if value >= 1e9 else f"${value / 1e6:,.0f} m"


def _bracket_label(lower: float, upper: float) -> str:
    if lower == 0:
        return f"under {_usd(upper)}"
    return f"{_usd(lower)} or more" if np.isinf(upper) else f"{_usd(lower)} to {_usd(upper)}"


def _evidence(caps: pd.Series, median: float) -> pd.DataFrame:
    rows = []
    for lower, upper in zip(BRACKETS[:-1], BRACKETS[1:], strict=True):
        inside = int(((caps >= lower) & (caps < upper)).sum())
        rows.append({"bracket": _bracket_label(lower, upper), "lower_usd": lower,
                     "upper_usd": upper if np.isfinite(upper) else np.nan, "companies": inside,
                     "holds_median": bool(lower <= median < upper), "median_usd": median})
    return pd.DataFrame(rows)


def _in(value: float, band: tuple[float, float]) -> bool:
    return band[0] <= round(value, 0) <= band[1]


def _figures(c: Constituents, caps: pd.Series) -> tuple[Figure, ...]:
    day = iso(c.fundamentals_date)
    return (
        Figure("companies_with_cap", "Constituents with a market cap", len(caps), "count", day),
        Figure("constituents", "Distinct tickers among IWM's equity holdings", c.count, "count",
               iso(c.holdings_date)),
        Figure("coverage", "Share of constituents with a market cap", len(caps) / c.count * 100, "%", day),
        Figure("smallest_cap", "Smallest market cap", float(caps.min()), "USD", day),
        Figure("largest_cap", "Largest market cap", float(caps.max()), "USD", day),
        Figure("below_1bn", "Constituents below $1 billion", int((caps < 1e9).sum()), "count", day),
    )


def compute(data: MarketData) -> Computation:
    c = constituents(data)
    known = c.with_value("market_cap")
    caps = known["market_cap"]
    median = float(caps.median())
    weighted = float((known["market_cap"] * known["weight"]).sum() / known["weight"].sum())
    day = iso(c.fundamentals_date)
    readings = [
        Reading("median", "Median market cap of the current constituents (total market cap, one per ticker)",
                (Figure("median_cap", "Median market cap", median, "USD", day), *_figures(c, caps)),
                "median_cap", _in(median, ACCURATE),
                "The middle company by size: half the constituents are smaller, half larger."),
        Reading("weighted_average", "Index-weighted average market cap (for context: not a median)",
                (Figure("weighted_cap", "Weighted-average market cap (IWM weights)", weighted, "USD", day),),
                "weighted_cap", _in(weighted, ACCURATE),
                "Each company counts by its weight in the fund, so large members pull it far above the median."),
    ]
    return Computation(
        readings, "median", _evidence(caps, median),
        notes=[
            f"Constituents: the equity holdings of the iShares Russell 2000 ETF (IWM) in its file as of "
            f"{iso(c.holdings_date)} ({c.holding_rows} equity rows, {c.count} distinct tickers), a public proxy "
            "for the index's member list.",
            f"Market caps: Yahoo Finance's total market cap (all share classes, not float-adjusted) from the "
            f"fundamentals run that finished on {day}; {coverage_note(c, 'market_cap', 'market cap')}.",
            f"Not the smallest companies: {RANKS_SOURCE}",
        ],
        context={"coverage": len(caps) / c.count, "median_cap": median},
    )


def judge(comp: Computation) -> Verdict:
    median = float(comp.context["median_cap"])  # type: ignore[arg-type]
    coverage = float(comp.context["coverage"])  # type: ignore[arg-type]
    detail = f"median {_usd(median)} over {coverage:.0%} of the constituents"
    if coverage < MIN_COVERAGE:
        return Verdict("Unverifiable", f"{detail}: fewer than {MIN_COVERAGE:.0%} have a market cap")
    if _in(median, ACCURATE):
        return Verdict("Mostly accurate", f"{detail} is 'just over $1 billion', but the index is ranks "
                                          f"{INDEX_RANKS[0]:,}-{INDEX_RANKS[1]:,} by size, not the smallest companies")
    if _in(median, MOSTLY):
        return Verdict("Mostly accurate", f"{detail}: near, but not 'just over', $1 billion")
    return Verdict("Inaccurate", f"{detail} vs the article's 'just over $1 billion'")


CLAIM = Claim(
    id="RUT-MEDIAN-CAP",
    order=6,
    title="Russell 2000: the 2,000 smallest U.S. companies, median market cap just over $1 billion",
    section="Opening",
    quote="median market cap of just over $1 billion",
    paraphrase="The Russell 2000 is made of the 2,000 smallest U.S. listed companies, and its median member "
               "is worth a little more than $1 billion.",
    article=(ArticleFigure("median_cap", "Median market cap", CLAIMED, "USD", "just over $1 billion"),
             ArticleFigure("members", "Companies in the index", 2000, "count", "the 2,000 smallest companies")),
    needs=(),
    datasets=(IWM_HOLDINGS, R2K_FUNDAMENTALS),
    method="Current constituents = the equity holdings in the newest iShares Russell 2000 ETF (IWM) holdings "
           "file dated on or before the evaluation date (one row per ticker; share classes of one company "
           "count separately, as in the index). Each constituent's total market cap comes from Yahoo Finance "
           "on the day the fundamentals were fetched; the median is over the constituents with a market cap, "
           "and the share without one is stated. For context, the IWM-weighted average market cap. Both need "
           "live data: no public offline copy of the holdings file or of 2,000 market caps exists, and a "
           "fetch made after the evaluation date is not used for it.",
    compute=compute,
    rule=custom(
        "Uses the median market cap (primary reading). Unverifiable if fewer than 80% of the constituents "
        "have a market cap. 'Just over $1 billion' is read as $1.00-1.25 billion: a median in that range is "
        "Mostly accurate, not Accurate, because the other half of the sentence is wrong: the Russell 2000 is "
        "the companies ranked 1,001 to 3,000 by size in the Russell 3000E, not the 2,000 smallest U.S. "
        "companies. A median of $0.85-1.50 billion outside that range is Mostly accurate; anything else is "
        "Inaccurate.",
        judge,
    ),
    chart=market_cap_histogram,
    chart_title="Russell 2000 constituents (IWM holdings) by market cap; the bracket holding the median marked",
)
