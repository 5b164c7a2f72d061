"""RUT-NEGATIVE-EARNINGS: about 40% of Russell 2000 companies had negative earnings in Q3 2025, a near-record
share that has more than doubled since 2007."""

from __future__ import annotations

import pandas as pd

from generator.charts.flows import share_by_reading
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import band, custom
from generator.datasets.constituents import Constituents, constituents, quarterly_net_income
from generator.datasets.store import IWM_HOLDINGS, R2K_FUNDAMENTALS, R2K_NET_INCOME
from generator.market import MarketData, MissingData
from generator.published import Published, published

CLAIMED = 40.0
ACCURATE_PP, MOSTLY_PP = 5.0, 10.0
MIN_COVERAGE = 0.60
QUARTER_GAP_DAYS = (80, 100)
"""Four quarters make a trailing year only if each period end follows the previous by 80-100 days."""
HISTORY_WHY = ("The share in 2007 (and whether today's is near a record) needs the index's members of each "
               "past year and their quarterly earnings back to 2007; no public copy of that history is "
               "available to this project (Yahoo Finance shows only the last few quarters of today's "
               "companies, and past members that were delisted or acquired are missing).")


def _ttm(quarters: pd.DataFrame) -> float | None:
    """Sum of the four newest quarters if they are consecutive, else None."""
    last = quarters.tail(4)
    if len(last) < 4:
        return None
    gaps = pd.to_datetime(last["period_end"]).diff().dt.days.iloc[1:]
    if not gaps.between(*QUARTER_GAP_DAYS).all():
        return None
    return float(last["net_income"].sum())


def per_company(income: pd.DataFrame) -> pd.DataFrame:
    """symbol -> latest-quarter, September-2025-quarter and trailing-twelve-month net income (NaN if unknown)."""
    rows = []
    for symbol, quarters in income.groupby("symbol", sort=True):
        ends = pd.to_datetime(quarters["period_end"])
        september = quarters.loc[(ends.dt.year == 2025) & (ends.dt.month == 9), "net_income"]
        rows.append({"symbol": symbol,
                     "latest_end": ends.iloc[-1], "latest": float(quarters["net_income"].iloc[-1]),
                     "sep_2025": float(september.iloc[-1]) if len(september) else float("nan"),
                     "ttm": _ttm(quarters)})
    return pd.DataFrame(rows, columns=["symbol", "latest_end", "latest", "sep_2025", "ttm"]).astype({"ttm": float})


def _reading(key: str, label: str, values: pd.Series, c: Constituents, day: str, explanation: str) -> Reading:
    known = values.dropna()
    negative = int((known < 0).sum())
    share = negative / len(known) * 100 if len(known) else None
    matches = None if share is None else abs(share - CLAIMED) <= ACCURATE_PP
    return Reading(key, label, (
        Figure("share_negative", "Constituents with negative net income", share, "%", day),
        Figure("negative", "Constituents with a loss", negative, "count", day),
        Figure("with_data", "Constituents with a net income for this period", len(known), "count", day),
        Figure("coverage", "Share of constituents with a net income for this period", len(known) / c.count * 100,
               "%", day),
    ), "share_negative", matches, explanation)


def _history_reading() -> Reading:
    return Reading("since_2007", "'Near a historical high' and 'more than doubled since 2007'",
                   (Figure("share_2007", "Share with negative earnings in 2007", None, "%",
                           note="not computable from public data available here"),),
                   "share_2007", None, HISTORY_WHY)


def _published_reading(index: int, item: Published) -> Reading:
    value = float(item.value)
    return Reading(
        f"reported_{index}", f"Reported by {item.publisher}: {item.date}",
        (Figure("share_negative", "Share of Russell 2000 companies with negative earnings (reported)", value, "%",
                iso(item.available_from), f"{item.publisher}, {item.published}: {item.source}"),),
        "share_negative", abs(value - CLAIMED) <= ACCURATE_PP,
        f"A published figure, not computed here. {item.note}")


def from_published(data: MarketData) -> Computation:
    """No constituents' earnings in the build: the published estimates dated up to the evaluation date."""
    as_of = data.as_of if data.as_of is not None else pd.Timestamp.max
    items = sorted(published("r2k_negative_earnings", as_of), key=lambda p: p.available_from)
    if not items:
        raise MissingData("r2k-net-income", "no published estimate of the share by the evaluation date")
    readings = [_published_reading(i, item) for i, item in enumerate(items, start=1)]
    latest = readings[-1]
    readings = [latest, *readings[:-1], _history_reading()]
    evidence = pd.DataFrame({
        "reading": [f"{p.publisher} ({p.date})" for p in items],
        "share_negative_pct": [float(p.value) for p in items],
        "companies_with_data": float("nan"),
        "article_pct": CLAIMED,
    })
    return Computation(
        readings, latest.key, evidence,
        notes=["These figures are reported by their publishers, not computed here: no public file of the "
               "members' quarterly earnings for the September-2025 quarter was found. Each is a reference fact "
               "with its publisher, date and page (data page, reference facts).",
               "None of them is for the quarter ending September 2025 itself: the most recent describes recent "
               "years up to its publication.",
               HISTORY_WHY],
        context={"coverage": 0.0, "source": "reported", "for_the_quarter": 0,
                 "spread": max(abs(float(p.value) - CLAIMED) for p in items)},
    )


def compute(data: MarketData) -> Computation:
    """The constituents' own earnings where the build has them, else the published estimates."""
    try:
        return from_constituents(data)
    except MissingData:
        return from_published(data)


def from_constituents(data: MarketData) -> Computation:
    c = constituents(data)
    table = c.table.merge(per_company(quarterly_net_income(data, c.table["symbol"])), on="symbol", how="left")
    day = iso(c.fundamentals_date)
    readings = [
        _reading("sep_2025_quarter", "Quarter ending in September 2025 (the article's Q3 2025)",
                 table["sep_2025"], c, day, "Companies whose fiscal quarters end in other months have no "
                 "September quarter and are left out of this reading."),
        _reading("latest_quarter", "Each constituent's latest reported quarter", table["latest"], c, day,
                 f"The newest quarter in the fundamentals run of {day}; its end date differs between companies."),
        _reading("trailing_12_months", "Trailing twelve months (the four latest quarters)", table["ttm"], c, day,
                 "Only companies with four consecutive reported quarters."),
        _history_reading(),
    ]
    computed = [r for r in readings if r.headline_figure.value is not None]
    evidence = pd.DataFrame({
        "reading": [r.label for r in computed],
        "share_negative_pct": [r.headline_figure.value for r in computed],
        "negative": [r.figures[1].value for r in computed],
        "companies_with_data": [r.figures[2].value for r in computed],
        "article_pct": CLAIMED,
    })
    return Computation(
        readings, "sep_2025_quarter", evidence,
        notes=[f"Constituents: the {c.count} distinct tickers among the equity holdings of the iShares Russell "
               f"2000 ETF (IWM) as of {iso(c.holdings_date)}; the Q3-2025 members were slightly different "
               "(the index is reconstituted every year).",
               f"Net income: each company's quarterly income statement ('Net Income') from Yahoo Finance, in "
               f"the fundamentals run that finished on {day}; a loss is net income below zero.",
               HISTORY_WHY],
        context={"coverage": readings[0].figures[3].value / 100 if readings[0].figures[3].value else 0.0},
    )


def judge(comp: Computation) -> Verdict:
    reading = comp.primary_reading
    share = reading.headline_figure.value
    coverage = comp.context_number("coverage")
    history = "; 'near a historical high' and 'more than doubled since 2007': Unverifiable (no 2007 data)"
    if comp.context.get("source") == "reported":
        value, spread = float(share), comp.context_number("spread")
        detail = (f"reported, not computed: the most recent published estimate is {value:g}% ("
                  f"{reading.headline_figure.note.split(':')[0]}), all published estimates within {spread:g} "
                  f"points of the article's about {CLAIMED:g}%, none for the September-2025 quarter itself")
        if abs(value - CLAIMED) <= MOSTLY_PP:
            return Verdict("Mostly accurate", detail + history)
        return Verdict("Inaccurate", detail + history)
    if share is None or coverage < MIN_COVERAGE:
        return Verdict("Unverifiable", f"a September-2025 net income is known for {coverage:.0%} of the "
                                       f"constituents (needs {MIN_COVERAGE:.0%})" + history)
    value = float(share)
    label = band(abs(value - CLAIMED), ACCURATE_PP, MOSTLY_PP)
    return Verdict(label, f"{value:.1f}% of the constituents with a September-2025 quarter had a loss, vs the "
                          f"article's about {CLAIMED:g}%" + history)


def reproduces(reading: Reading) -> bool | None:
    """A share reproduces 'about 40%' if it is within the Accurate tolerance of it."""
    value = reading.headline_figure.value
    return None if not isinstance(value, (int, float)) else abs(float(value) - CLAIMED) <= ACCURATE_PP


def finding(comp: Computation) -> str:
    primary = comp.primary_reading
    value = primary.headline_figure.value
    if comp.context.get("source") == "reported":
        shares = [float(r.headline_figure.value) for r in comp.readings  # type: ignore[arg-type]
                  if r.key.startswith("reported_")]
        return (f"Published estimates put the share of loss-making Russell 2000 companies at "
                f"{min(shares):g}-{max(shares):g}% (the most recent, {float(value):g}%, from "  # type: ignore[arg-type]
                f"{primary.headline_figure.note.split(':')[0]}), close to the article's 40%; none is for the "
                "September-2025 quarter itself, and the comparison with 2007 is not settled.")
    if value is None:
        return "Too few constituents have a September-2025 net income to compute the share."
    return (f"{float(value):.1f}% of the constituents with a September-2025 quarter reported a loss; the "  # type: ignore[arg-type]
            "comparison with 2007 cannot be computed from public data.")


CLAIM = Claim(
    id="RUT-NEGATIVE-EARNINGS",
    order=21,
    title="About 40% of Russell 2000 companies lost money in Q3 2025, double the 2007 share",
    section="Coincidence, or the Same Liquidity Logic?",
    quote="about 40% ... reported negative earnings",
    paraphrase="Roughly two in five Russell 2000 companies reported a loss for the third quarter of 2025, close "
               "to a record and more than twice the share of 2007.",
    article=(ArticleFigure("share_negative", "Companies with negative earnings, Q3 2025", CLAIMED, "%",
                           "about 40%"),
             ArticleFigure("vs_2007", "Change since 2007", 2.0, "x", "more than doubled since 2007")),
    needs=(),
    datasets=(IWM_HOLDINGS, R2K_FUNDAMENTALS, R2K_NET_INCOME),
    references=("published_figures.json",),
    method="Current constituents = the equity holdings in the newest IWM holdings file dated on or before the "
           "evaluation date. For each, quarterly net income from Yahoo Finance's income statement on the day "
           "the fundamentals were fetched. Three readings: the quarter ending in September 2025 (the article's "
           "Q3 2025), each company's latest reported quarter, and the trailing twelve months (four consecutive "
           "quarters). The share is over the constituents with a figure for that period; how many have one is "
           "stated. The comparison with 2007 cannot be computed from public data here. Without a live fetch "
           "(no public offline copy of the constituents' earnings exists), the published estimates of the "
           "share are reported instead, with their publishers and dates, and not recomputed.",
    compute=compute,
    rule=custom(
        f"Uses the share of constituents with a loss in the quarter ending September 2025: Accurate within "
        f"{ACCURATE_PP:g} points of 40%, Mostly accurate within {MOSTLY_PP:g}, else Inaccurate; Unverifiable if "
        f"fewer than {MIN_COVERAGE:.0%} of the constituents have that quarter's net income. Without the "
        "constituents' earnings, the figures are reported, not computed: the most recent published estimate is "
        f"compared with 40%, and as none covers that quarter the best it can give is Mostly accurate (within "
        f"{MOSTLY_PP:g} points). 'Near a historical high' and 'more than doubled since 2007' stay Unverifiable.",
        judge,
        reproduces,
    ),
    finding=finding,
    fixed_in_time=True,  # the September 2025 quarter and 2007: later data cannot change it
    chart=share_by_reading,
    chart_title="Share of Russell 2000 constituents with negative net income, by reading",
)
