"""BTC-ETF-INFLOWS: after the January 2024 approval, spot bitcoin ETFs absorbed hundreds of billions of dollars."""

from __future__ import annotations

import pandas as pd

from generator.bitcoin import protocol
from generator.charts.flows import cumulative_net_flows
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.datasets.store import BTC_ETF_SHARES
from generator.flows import FundListFlows, aggregate, cumulative_flows
from generator.market import MarketData, MissingData
from generator.sources.fund_flows import BTC_SPOT_ETFS, NOT_NEW_MONEY

HUNDREDS_OF_BILLIONS = 200e9
"""'hundreds of billions' read as at least two hundred billion dollars."""
A_HUNDRED_BILLION = 100e9
ALL, GBTC_LABEL, OTHERS = "All spot bitcoin ETFs", "GBTC (converted trust)", "The other funds"


def _bn(value: float) -> str:
    return f"${value / 1e9:,.1f} bn"


def _usd(key: str, label: str, value: float, day: str, note: str = "") -> Figure:
    return Figure(key, label, value, "USD", day, note)


def _reading(key: str, label: str, figure: Figure, explanation: str, context_only: bool = False) -> Reading:
    matches = None if context_only else float(figure.value) >= HUNDREDS_OF_BILLIONS  # type: ignore[arg-type]
    return Reading(key, label, (figure,), figure.key, matches, explanation)


def _evidence(shares: pd.DataFrame, result: FundListFlows) -> pd.DataFrame:
    """Weekly running totals of estimated net flows: all funds, GBTC, and the others."""
    daily = cumulative_flows(shares, result)
    daily["series"] = daily["fund"].map(lambda f: GBTC_LABEL if f == "GBTC" else OTHERS)
    parts = []
    for series, rows in [(ALL, daily), *daily.groupby("series", sort=True)]:
        by_day = rows.groupby("date")["flow_usd"].sum().cumsum()
        weekly = by_day.resample("W-FRI").last().ffill()
        parts.append(pd.DataFrame({"date": weekly.index, "series": series,
                                   "cumulative_usd_bn": (weekly / 1e9).to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def compute(data: MarketData) -> Computation:
    shares = data.dataset(BTC_ETF_SHARES)
    if shares.empty:
        raise MissingData(BTC_ETF_SHARES, "no rows on or before the evaluation date")
    end = pd.to_datetime(shares["date"]).max()
    first_day = pd.Timestamp(protocol().spot_etf_first_trading.value)
    launches = set(BTC_SPOT_ETFS) - set(NOT_NEW_MONEY)
    result = aggregate(shares, BTC_SPOT_ETFS, first_day, end, count_launch=launches)
    if not result.estimates:
        raise MissingData(BTC_ETF_SHARES, f"no share counts since {iso(first_day)}")
    day = iso(end)
    others = result.only([f for f in BTC_SPOT_ETFS if f != "GBTC"])
    gbtc = result.only(["GBTC"])
    gross = sum(e.creations for e in result.estimates)
    readings = [
        _reading("net_inflows", f"Cumulative net inflows of all U.S. spot bitcoin ETFs since {iso(first_day)}",
                 _usd("amount", "Estimated net inflows", result.net_flow, day,
                      f"error bound {_bn(result.error_bound)}"),
                 "Money in minus money out: change in shares outstanding x price, summed over every day."),
        _reading("net_excluding_gbtc", "Net inflows of the funds other than GBTC",
                 _usd("amount", "Estimated net inflows without GBTC", others.net_flow, day),
                 "Leaves out GBTC's outflows, much of which moved into the new funds."),
        _reading("gross_creations", "Gross creations: every day's net buying, with no netting of outflow days",
                 _usd("amount", "Sum of the days with net creations", gross, day),
                 "Counts money in without subtracting money out on other days; not a net figure."),
        _reading("total_assets", "Total assets of the funds on the evaluation date",
                 _usd("amount", "Shares outstanding x close", result.end_assets, day),
                 "Includes GBTC's pre-existing trust assets and every price gain since purchase: assets, not "
                 "money absorbed."),
        _reading("gbtc", "For context: GBTC alone", _usd("amount", "GBTC estimated net flow", gbtc.net_flow, day),
                 "GBTC had existed since 2013 as a trust; after converting it lost money to cheaper funds.",
                 context_only=True),
    ]
    return Computation(
        readings, "net_inflows", _evidence(shares, result),
        notes=[f"Named list: {', '.join(BTC_SPOT_ETFS)} (BTC is the Grayscale Bitcoin Mini Trust). "
               f"Period: from {iso(first_day)}, the funds' first trading day (source: "
               f"{protocol().spot_etf_first_trading.source}), to {day}.",
               "Funds launched in the period are counted from zero shares, except these, whose first shares "
               "were not new money and serve as the baseline: " + "; ".join(f"{f}: {why}" for f, why in NOT_NEW_MONEY.items())
               + ".",
               "Prices are market closes, not NAV (no daily NAV history is available from the source); for "
               "these funds the two usually differ by a fraction of a percent.",
               result.error_statement()],
        context={"total_assets": result.end_assets, "gross_creations": gross,
                 "error_bound": result.error_bound, "missing_funds": ", ".join(result.missing)},
    )


def judge(comp: Computation) -> Verdict:
    net = float(comp.figure("amount", "net_inflows").value)  # type: ignore[arg-type]
    assets = float(comp.context["total_assets"])  # type: ignore[arg-type]
    gross = float(comp.context["gross_creations"])  # type: ignore[arg-type]
    detail = (f"net inflows {_bn(net)} (error bound {_bn(float(comp.context['error_bound']))}); total assets "  # type: ignore[arg-type]
              f"{_bn(assets)}; gross creations {_bn(gross)}")
    missing = comp.context["missing_funds"]
    if missing:
        detail += f"; no data for {missing}"
    if net >= HUNDREDS_OF_BILLIONS:
        return Verdict("Accurate", detail)
    if net >= A_HUNDRED_BILLION:
        return Verdict("Mostly accurate", detail + ": over a hundred billion, not 'hundreds'")
    if max(assets, gross) >= HUNDREDS_OF_BILLIONS:
        return Verdict("Misleading", detail + ": only assets or gross buying reach hundreds of billions")
    return Verdict("Inaccurate", detail)


CLAIM = Claim(
    id="BTC-ETF-INFLOWS",
    order=12,
    title="Spot bitcoin ETFs absorbed hundreds of billions of dollars",
    section="2016 and 2020: Two Breakouts",
    quote="ETFs alone absorbing hundreds of billions",
    paraphrase="Since U.S. spot bitcoin ETFs were approved in January 2024, BlackRock, Fidelity and the other "
               "issuers' funds have taken in several hundred billion dollars.",
    article=(ArticleFigure("amount", "Money absorbed by the ETFs", "hundreds of billions of dollars", "USD",
                           "hundreds of billions of dollars"),),
    needs=(),
    datasets=(BTC_ETF_SHARES,),
    method="For each U.S. spot bitcoin ETF on the named list, the daily net flow is estimated as the change in "
           "shares outstanding times that day's closing price (shares outstanding from Yahoo Finance, issuer "
           f"files where readable); flows are summed from {protocol().spot_etf_first_trading.value}, the funds' "
           "first trading day (a sourced reference fact), to the evaluation date. A fund launched in "
           "the period counts from zero shares unless its first shares were not new money (GBTC's conversion, "
           "the Grayscale Mini Trust's spin-off). Other readings: the same without GBTC, gross creations, and "
           "total assets (shares x close) on the evaluation date. The estimate's error bound (days without a "
           "share count, rounding and creation-unit granularity, the first change of the period) is stated. Needs live data: no "
           "public offline copy of the funds' shares outstanding exists.",
    compute=compute,
    rule=custom(
        "Uses cumulative net inflows of all funds on the list (primary reading). 'Hundreds of billions' is "
        "read as at least $200 billion: Accurate if net inflows reach it; Mostly accurate if they are at least "
        "$100 billion; Misleading if they are below $100 billion but total assets or gross creations reach "
        "$200 billion (the number would describe assets or gross buying, not money absorbed); otherwise "
        "Inaccurate. Funds without data are named in the verdict.",
        judge,
    ),
    chart=cumulative_net_flows,
    chart_title=f"Estimated cumulative net flows of U.S. spot bitcoin ETFs since "
                f"{protocol().spot_etf_first_trading.value} ($ bn, weekly)",
)
