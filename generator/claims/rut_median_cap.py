"""RUT-MEDIAN-CAP: the index holds the 2,000 smallest U.S. companies, median market cap just over $1 billion."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.charts.flows import market_cap_histogram
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.datasets.constituents import Constituents, constituents, coverage_note
from generator.datasets.public import CAP_BRACKETS, R2K_MARKET_CAPS
from generator.datasets.store import IWM_HOLDINGS, R2K_FUNDAMENTALS
from generator.market import MarketData, MissingData
from generator.published import published

CLAIMED = 1.0e9
"""'just over $1 billion': read as from $1.00 bn to $1.25 bn."""
ACCURATE = (1.0e9, 1.25e9)
MOSTLY = (0.85e9, 1.5e9)
MIN_COVERAGE = 0.80
INDEX_RANKS = (1001, 3000)
RANKS_SOURCE = ("FTSE Russell, Russell US Equity Indices construction and methodology: the Russell 2000 is "
                "the Russell 3000E's companies ranked 1001 to 3000 by total market capitalisation at each "
                "reconstitution; the Russell Microcap index continues below it.")
BRACKETS = CAP_BRACKETS


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


def _membership_reading(members: int, day: str | None) -> Reading:
    rule = published("russell_2000_membership")[0]
    return Reading(
        "smallest_2000", "'The 2,000 smallest U.S. companies': the index's own membership rule",
        (Figure("members", "Companies in the constituent list (distinct tickers)", members, "count", day,
                f"membership: {rule.value} {rule.unit} ({rule.citation()})"),),
        "members", False,
        f"By {rule.publisher}'s rule the Russell 2000 holds the companies ranked {rule.value.removeprefix('ranks ')} "
        "by size: the 1,000 largest are left out, and so are the smaller companies below rank 3,000 (the "
        "Russell Microcap). It is the next 2,000 after the largest 1,000, not the 2,000 smallest.")


def from_screener(data: MarketData) -> Computation:
    """The IWM constituent list of 2026-01-21 x a TradingView screener's caps (about 2026-02-20), as figures."""
    rows = data.dataset(R2K_MARKET_CAPS)
    if rows.empty:
        raise MissingData(R2K_MARKET_CAPS, "no constituent list dated on or before the evaluation date")
    rows = rows.assign(date=pd.to_datetime(rows["date"]))
    rows = rows.loc[rows["date"] == rows["date"].max()]
    stat = dict(zip(rows["statistic"], rows["value"].astype(float), strict=True))
    listed = iso(rows["date"].iloc[0])
    observed = str(rows["caps_observed"].iloc[0])
    median, matched, tickers = stat["median"], int(stat["matched"]), int(stat["holding tickers"])
    rut = data.close("rut")
    aligned_to = rut.index[-1]
    move = float(rut.iloc[-1]) / stat["index close on the caps day"]
    caps_day = observed.removeprefix("about ")
    day = f"{caps_day}"
    quantiles = tuple(Figure(f"q{int(q * 100)}", f"{int(q * 100)}th percentile", stat[f"quantile {q:g}"], "USD",
                             day) for q in (0.1, 0.25, 0.75, 0.9))
    readings = [
        Reading("median", f"Median market cap of the constituents (caps observed {observed})",
                (Figure("median_cap", "Median market cap", median, "USD", day),
                 Figure("matched", "Constituents with a market cap (matched by ticker)", matched, "count", listed),
                 Figure("constituents", "Distinct tickers among IWM's equity holdings", tickers, "count", listed),
                 *quantiles,
                 Figure("smallest_cap", "Smallest market cap", stat["smallest"], "USD", day),
                 Figure("largest_cap", "Largest market cap", stat["largest"], "USD", day),
                 Figure("below_1bn", "Constituents below $1 billion", int(stat["below 1 billion"]), "count", day)),
                "median_cap", _in(median, ACCURATE),
                "The middle company by size: half the constituents are smaller, half larger."),
        Reading("aligned", f"The same median moved to {iso(aligned_to)} by the index's move",
                (Figure("aligned_cap", "Median market cap, aligned by the index", median * move, "USD",
                        iso(aligned_to), f"Russell 2000 {float(rut.iloc[-1]):,.2f} on {iso(aligned_to)} against "
                        f"{stat['index close on the caps day']:,.2f} on {caps_day}: x{move:.4f}"),),
                "aligned_cap", _in(median * move, ACCURATE),
                "Assumes every constituent moved with the index between the two days; the median company can "
                "move differently from the cap-weighted index, so this is an approximation, shown as its own "
                "reading."),
        Reading("weighted_average", "Index-weighted average market cap (for context: not a median)",
                (Figure("weighted_cap", "Weighted-average market cap (IWM weights)", stat["weighted mean"], "USD",
                        day),),
                "weighted_cap", _in(stat["weighted mean"], ACCURATE),
                "Each company counts by its weight in the fund, so large members pull it far above the median."),
        _membership_reading(tickers, listed),
    ]
    brackets = pd.DataFrame([
        {"bracket": _bracket_label(lo, hi), "lower_usd": lo, "upper_usd": hi if np.isfinite(hi) else np.nan,
         "companies": int(stat[f"bracket {lo:.0f}"]), "holds_median": bool(lo <= median < hi), "median_usd": median}
        for lo, hi in zip(BRACKETS[:-1], BRACKETS[1:], strict=True)])
    return Computation(
        readings, "median", brackets,
        notes=[f"Constituents: the {int(stat['equity lines']):,} equity lines ({tickers:,} distinct tickers) of "
               f"the iShares Russell 2000 ETF (IWM) holdings file as of {listed}, two days before publication.",
               f"Market caps: a TradingView screener export of Russell 2000 members (total market cap, all share "
               f"classes, in US dollars). The file has no date; its prices equal the closes of {caps_day}, so "
               f"the caps are dated {observed}, after the publication date. {matched:,} of the {tickers:,} "
               f"tickers are found in it (three after removing a share-class dot); their screener prices are "
               f"{stat['price ratio']:.4f} times the holdings file's, weighted by IWM weight.",
               "Only the summary figures and the distribution are kept from these files (their terms do not "
               "allow redistributing the rows)."],
        context={"coverage": matched / tickers, "median_cap": median},
    )


def compute(data: MarketData) -> Computation:
    """The live constituents with fetched market caps where the build has them, else the imported figures."""
    try:
        return from_live(data)
    except MissingData:
        if R2K_MARKET_CAPS not in data.datasets:
            raise
        return from_screener(data)


def from_live(data: MarketData) -> Computation:
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
        _membership_reading(c.count, iso(c.holdings_date)),
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
    median = comp.context_number("median_cap")
    coverage = comp.context_number("coverage")
    detail = f"median {_usd(median)} over {coverage:.0%} of the constituents"
    if coverage < MIN_COVERAGE:
        return Verdict("Unverifiable", f"{detail}: fewer than {MIN_COVERAGE:.0%} have a market cap")
    if _in(median, ACCURATE):
        return Verdict("Mostly accurate", f"{detail} is 'just over $1 billion', but the index is ranks "
                                          f"{INDEX_RANKS[0]:,}-{INDEX_RANKS[1]:,} by size, not the smallest companies")
    if _in(median, MOSTLY):
        return Verdict("Mostly accurate", f"{detail}: near, but not 'just over', $1 billion")
    return Verdict("Inaccurate", f"{detail} vs the article's 'just over $1 billion'")


def reproduces(reading: Reading) -> bool | None:
    """A dollar reading reproduces 'just over $1 billion' if it is $1.00-1.25 billion; the membership reading
    keeps its own answer (the index is not the 2,000 smallest companies)."""
    fig = reading.headline_figure
    if fig.unit != "USD":
        return reading.matches_article
    return None if fig.value is None else _in(float(fig.value), ACCURATE)  # type: ignore[arg-type]


def finding(comp: Computation) -> str:
    median = comp.context_number("median_cap")
    coverage = comp.context_number("coverage")
    return (f"The median Russell 2000 constituent was worth {_usd(median)} ({coverage:.0%} of the constituents "
            f"with a market cap), just over $1 billion as the article says; but the index holds the companies "
            f"ranked {INDEX_RANKS[0]:,} to {INDEX_RANKS[1]:,} by size, not the 2,000 smallest.")


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
    needs=("rut",),
    datasets=(R2K_MARKET_CAPS, IWM_HOLDINGS, R2K_FUNDAMENTALS),
    references=("published_figures.json",),
    method="Current constituents = the equity holdings in the newest iShares Russell 2000 ETF (IWM) holdings "
           "file dated on or before the evaluation date (one row per ticker; share classes of one company "
           "count separately, as in the index). Each constituent's total market cap comes from Yahoo Finance "
           "on the day the fundamentals were fetched; the median is over the constituents with a market cap, "
           "and the share without one is stated. For context, the IWM-weighted average market cap. Without a "
           "live fetch, the constituents are IWM's holdings file of 2026-01-21 and the caps come from a "
           "TradingView screener export dated about 2026-02-20 (matched by ticker, reduced to the figures "
           "shown); that median is also moved to the evaluation date by the Russell 2000's move, as its own "
           "reading. The '2,000 smallest' wording is compared with the index's published membership rule.",
    compute=compute,
    rule=custom(
        "Uses the median market cap (primary reading). Unverifiable if fewer than 80% of the constituents "
        "have a market cap. 'Just over $1 billion' is read as $1.00-1.25 billion: a median in that range is "
        "Mostly accurate, not Accurate, because the other half of the sentence is wrong: the Russell 2000 is "
        "the companies ranked 1,001 to 3,000 by size in the Russell 3000E, not the 2,000 smallest U.S. "
        "companies. A median of $0.85-1.50 billion outside that range is Mostly accurate; anything else is "
        "Inaccurate.",
        judge,
        reproduces,
    ),
    finding=finding,
    chart=market_cap_histogram,
    chart_title="Russell 2000 constituents (IWM holdings) by market cap; the bracket holding the median marked",
)
