"""SMALLCAP-ETF-OUTFLOWS: U.S. small-cap ETFs had nearly $20 billion of net outflows in 2025."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.charts.flows import net_flow_by_fund
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.datasets.store import SMALLCAP_ETF_SHARES
from generator.flows import FundListFlows, aggregate
from generator.market import MarketData, MissingData
from generator.sources.fund_flows import SMALLCAP_ETFS

YEAR_START, YEAR_END = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
CLAIMED = -20e9
"""'nearly $20 billion in net outflows': a net flow of about minus twenty billion dollars."""
ACCURATE = (-21e9, -15e9)
MOSTLY = (-25e9, -10e9)
RUSSELL_2000_FUNDS = ("IWM", "VTWO", "IWN", "IWO")


def _bn(value: float) -> str:
    return f"${value / 1e9:+,.1f} bn"


def _in(value: float, band: tuple[float, float]) -> bool:
    return band[0] <= round(value, 0) <= band[1]


def _reading(key: str, label: str, flows: FundListFlows, explanation: str) -> Reading:
    day = iso(flows.end)
    figures = (
        Figure("net_flow", "Estimated net flow in 2025", flows.net_flow, "USD", day,
               f"error bound {_bn(flows.error_bound).replace('+', '')}"),
        Figure("funds_with_data", "Funds with share counts in 2025", len(flows.estimates), "count", day),
        Figure("assets_end", "Their assets at the end of 2025 (shares x close)", flows.end_assets, "USD", day),
    )
    return Reading(key, label, figures, "net_flow", _in(flows.net_flow, ACCURATE), explanation)


def _evidence(flows: FundListFlows) -> pd.DataFrame:
    table = flows.table()
    direction = np.where(table["net_flow"] >= 0, "inflow", "outflow")
    return pd.DataFrame({
        "fund": table["fund"],
        "net_flow_usd_bn": table["net_flow"] / 1e9,
        "direction": np.where(table["net_flow"].isna(), "no data", direction),
        "creations_usd_bn": table["creations"] / 1e9,
        "redemptions_usd_bn": table["redemptions"] / 1e9,
        "assets_end_usd_bn": table["end_assets"] / 1e9,
        "error_bound_usd_bn": table["error_bound"] / 1e9,
        "days_with_count": table["observed_days"],
        "days_without_count": table["missing_days"],
        "note": table["note"],
    })


def compute(data: MarketData) -> Computation:
    shares = data.dataset(SMALLCAP_ETF_SHARES)
    if shares.empty or pd.to_datetime(shares["date"]).max() < YEAR_END:
        raise MissingData(SMALLCAP_ETF_SHARES, "no share counts through 2025-12-31 by the evaluation date")
    flows = aggregate(shares, SMALLCAP_ETFS, YEAR_START, YEAR_END)
    if not flows.estimates:
        raise MissingData(SMALLCAP_ETF_SHARES, "no fund on the list has share counts in 2025")
    readings = [
        _reading("named_list", "All U.S. small-cap ETFs on the named list", flows,
                 "The list is part of the method: broad small-cap funds and their value/growth halves."),
        _reading("iwm_alone", "iShares Russell 2000 ETF (IWM) alone", flows.only(["IWM"]),
                 "The largest Russell 2000 fund by itself."),
        _reading("russell_2000_funds", "Russell 2000 funds only (IWM, VTWO, IWN, IWO)",
                 flows.only(list(RUSSELL_2000_FUNDS)), "Funds tracking the Russell 2000 or its halves."),
    ]
    return Computation(
        readings, "named_list", _evidence(flows),
        notes=[f"Named list: {', '.join(SMALLCAP_ETFS)}. Period: calendar 2025 (the last count before "
               "2025-01-01 is the baseline), the same at both evaluation dates.",
               "Prices are market closes, not NAV; for funds this large the two differ by a few basis points.",
               flows.error_statement()],
        context={"iwm_net_flow": flows.only(["IWM"]).net_flow, "missing_funds": ", ".join(flows.missing),
                 "error_bound": flows.error_bound},
    )


def judge(comp: Computation) -> Verdict:
    net = float(comp.figure("net_flow", "named_list").value)  # type: ignore[arg-type]
    iwm = float(comp.context["iwm_net_flow"])  # type: ignore[arg-type]
    detail = (f"named list {_bn(net)} (error bound {_bn(float(comp.context['error_bound'])).replace('+', '')}), "  # type: ignore[arg-type]
              f"IWM alone {_bn(iwm)}, vs the article's 'nearly $20 billion' out")
    if comp.context["missing_funds"]:
        detail += f"; no data for {comp.context['missing_funds']}"
    if _in(net, ACCURATE):
        return Verdict("Accurate", detail)
    if _in(net, MOSTLY):
        return Verdict("Mostly accurate", detail)
    if _in(iwm, ACCURATE):
        return Verdict("Misleading", detail + ": true of IWM alone, not of small-cap ETFs")
    return Verdict("Inaccurate", detail)


CLAIM = Claim(
    id="SMALLCAP-ETF-OUTFLOWS",
    order=20,
    title="Small-cap ETFs lost nearly $20 billion in 2025",
    section="Coincidence, or the Same Liquidity Logic?",
    quote="nearly $20 billion in net outflows",
    paraphrase="Even as the Russell 2000 rose in 2025, investors pulled close to $20 billion out of U.S. "
               "small-cap ETFs over the year.",
    article=(ArticleFigure("net_flow", "Net flow of U.S. small-cap ETFs in 2025", CLAIMED, "USD",
                           "nearly $20 billion in net outflows"),),
    needs=(),
    datasets=(SMALLCAP_ETF_SHARES,),
    method="For each ETF on a named list of U.S. small-cap equity funds (" + ", ".join(SMALLCAP_ETFS) + "), "
           "the daily net flow is estimated as the change in shares outstanding times that day's close "
           "(shares outstanding from Yahoo Finance, the issuer's file where readable) and summed over calendar "
           "2025; the per-fund table, IWM alone and the Russell 2000 funds alone are shown too, with the "
           "estimate's error bound. Needs live data: no public offline copy of these funds' shares outstanding "
           "exists. (etf.com, the article's source, publishes flows from issuer data; its fund list is not "
           "stated.)",
    compute=compute,
    rule=custom(
        "Uses the 2025 net flow of the whole named list (primary reading). 'Nearly $20 billion in net outflows' "
        "is read as a net outflow of $15-21 billion: Accurate in that range; Mostly accurate for an outflow of "
        "$10-25 billion; Misleading if the list is outside that but IWM alone lost $15-21 billion (true of one "
        "fund, not of the category); otherwise Inaccurate (including any net inflow). Funds without data are "
        "named in the verdict.",
        judge,
    ),
    chart=net_flow_by_fund,
    chart_title="Estimated 2025 net flows of U.S. small-cap ETFs, by fund ($ bn)",
)
