"""SMALLCAP-ETF-OUTFLOWS: U.S. small-cap ETFs had nearly $20 billion of net outflows in 2025."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.charts.flows import net_flow_by_fund
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.datasets.public import IWM_CLOSES, IWM_SHARES, SMALLCAP_ETF_FLOWS
from generator.datasets.store import SMALLCAP_ETF_SHARES
from generator.flows import FundListFlows, aggregate
from generator.market import MarketData, MissingData
from generator.published import published
from generator.sources.fund_flows import SMALLCAP_ETFS

YEAR_START, YEAR_END = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
CLAIMED = -20e9
"""'nearly $20 billion in net outflows': a net flow of about minus twenty billion dollars."""
ACCURATE = (-21e9, -15e9)
MOSTLY = (-25e9, -10e9)
RUSSELL_2000_FUNDS = ("IWM", "VTWO", "IWN", "IWO")


def _bn(value: float) -> str:
    return f"{'-' if value < 0 else '+'}${abs(value) / 1e9:,.1f} bn"


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


def _span(label: str, start: pd.Timestamp, end: pd.Timestamp, change: float, closes: pd.Series,
          extra_shares: float = 0.0) -> dict:
    """A change in IWM's share count between two days, valued at every close in between (low, mid, high).

    ``extra_shares``: uncertainty in the change itself (shares), valued at the highest close.
    """
    prices = closes.loc[(closes.index >= start) & (closes.index <= end)]
    if prices.empty:
        raise MissingData(IWM_CLOSES, f"no IWM close between {iso(start)} and {iso(end)}")
    values = sorted([change * float(prices.min()), change * float(prices.max())])
    spread = abs(extra_shares) * float(prices.max())
    return {"fund": label, "start": iso(start), "end": iso(end), "shares_change": change,
            "net_flow": change * float(prices.mean()), "low": values[0] - spread, "high": values[1] + spread}


def from_share_counts(data: MarketData) -> Computation:
    """IWM's 2025 flow bounded from the share counts of its holdings files and its January 2026 daily flows."""
    counts = data.dataset(IWM_SHARES)
    flows = data.dataset(SMALLCAP_ETF_FLOWS)
    closes = data.dataset(IWM_CLOSES)
    counts = counts.assign(date=pd.to_datetime(counts["date"])).set_index("date")["shares_outstanding"]
    closes = closes.assign(date=pd.to_datetime(closes["date"])).set_index("date")["close"]
    in_2025 = counts.loc[(counts.index >= YEAR_START) & (counts.index <= YEAR_END)]
    after = counts.loc[counts.index > YEAR_END]
    if len(in_2025) < 1:
        raise MissingData(IWM_SHARES, "no IWM share count dated in 2025")
    spans = [_span(f"IWM {iso(a)} to {iso(b)}", a, b, float(counts[b] - counts[a]), closes)
             for a, b in zip(in_2025.index[:-1], in_2025.index[1:], strict=True)]
    open_end = "the end of 2025 is not covered"
    if len(after):
        # the year-end count: the first 2026 count less the flows reported between the new year and it
        anchor = after.index[0]
        daily = flows.assign(date=pd.to_datetime(flows["date"]))
        daily = daily.loc[(daily["fund"] == "IWM") & (daily["date"] > YEAR_END) & (daily["date"] <= anchor)]
        daily = daily.set_index("date")["flow_usd"]
        if len(daily) and not closes.reindex(daily.index).isna().any():
            shares_flowed = daily / closes.reindex(daily.index)
            year_end = float(counts[anchor] - shares_flowed.sum())
            edge = float(abs(shares_flowed.iloc[0]) + abs(shares_flowed.iloc[-1]))
            last = in_2025.index[-1]
            spans.append(_span(f"IWM {iso(last)} to {iso(YEAR_END)}", last, YEAR_END,
                               year_end - float(counts[last]), closes, edge))
            moved = float(shares_flowed.sum())
            open_end = (f"the 2025 year-end count is derived: {counts[anchor] / 1e6:,.2f} million shares on "
                        f"{iso(anchor)}, {'plus' if moved < 0 else 'less'} the {abs(moved) / 1e6:,.2f} million "
                        f"{'redeemed' if moved < 0 else 'created'} in 2026 by then "
                        f"({len(daily)} days of reported flows, each divided by that day's close); the reported "
                        f"flows lag the share count by up to a day, so the first and last days' shares "
                        f"({edge / 1e6:,.2f} million) are added to the bound")
    measured = pd.DataFrame(spans)
    start, end = in_2025.index[0], pd.Timestamp(measured["end"].iloc[-1])
    total = float(measured["net_flow"].sum())
    low, high = float(measured["low"].sum()), float(measured["high"].sum())
    day = iso(end)
    cut = data.as_of if data.as_of is not None else pd.Timestamp.max
    reported = published("smallcap_etf_flows_2025", cut)
    readings = [
        Reading("iwm_measured", f"IWM, measured from {iso(start)} to {day} (share counts x closes)",
                (Figure("net_flow", f"IWM net flow {iso(start)} to {day}", total, "USD", day,
                        f"between {_bn(low)} and {_bn(high)}"),
                 Figure("low", "Lowest value the share counts allow", low, "USD", day),
                 Figure("high", "Highest value the share counts allow", high, "USD", day)),
                "net_flow", _in(total, ACCURATE),
                "Measured: the change in IWM's shares outstanding between its holdings files, valued at the "
                "closes in between (the range uses the lowest and highest close of each span)."),
        Reading("iwm_before", f"IWM from 2025-01-01 to {iso(start)}",
                (Figure("net_flow", "IWM net flow before the first 2025 share count", None, "USD",
                        note="open: no public share count for the end of 2024 was found"),),
                "net_flow", None, "Open: without IWM's share count at the start of 2025 this part of the year "
                "cannot be measured, so the full-year flow is not settled."),
        Reading("category", "All U.S. small-cap ETFs, calendar 2025",
                (Figure("net_flow", "Net flow of U.S. small-cap ETFs in 2025", None, "USD",
                        note="open: no public daily share counts or flows of the other funds for 2025"),),
                "net_flow", None, "Open: the other funds (IJR, VB, VTWO, SCHA, IWN, IWO, VBR...) have no public "
                "2025 share counts or flows here."),
    ]
    for i, item in enumerate(reported, start=1):
        value = item.value if isinstance(item.value, str) else float(item.value)
        readings.append(Reading(
            f"reported_{i}", f"Reported by {item.publisher}",
            (Figure("reported", item.unit, value, "text" if isinstance(value, str) else "x",
                    iso(item.available_from), f"{item.published}: {item.source}"),),
            "reported", None, f"Reported, not measured here. {item.note}"))
    evidence = pd.DataFrame({
        "fund": measured["fund"], "net_flow_usd_bn": measured["net_flow"] / 1e9,
        "direction": np.where(measured["net_flow"] >= 0, "inflow", "outflow"),
        "low_usd_bn": measured["low"] / 1e9, "high_usd_bn": measured["high"] / 1e9,
        "shares_change": measured["shares_change"],
    })
    return Computation(
        readings, "iwm_measured", evidence,
        notes=["Measured: IWM's shares outstanding as stated in its holdings files (" + ", ".join(
                   f"{iso(d)}: {v / 1e6:,.2f} million" for d, v in counts.loc[counts.index <= cut].items())
               + "), valued at IWM's daily closes as traded; " + open_end + ".",
               "Reported by others (reference facts with publisher, date and page): "
               + ("; ".join(f"{r.publisher}: {r.value} {r.unit}" for r in reported) or "none by this date") + ".",
               f"Open: IWM before {iso(start)}, and every other small-cap ETF for the whole year; so the "
               "category's 2025 total is neither measured nor published as a figure in the sources found."],
        context={"source": "share counts", "iwm_measured": total, "iwm_low": low, "iwm_high": high,
                 "measured_from": iso(start), "measured_to": day},
    )


def compute(data: MarketData) -> Computation:
    """The live shares of the whole fund list where the build has them; else IWM's bound from public files."""
    if SMALLCAP_ETF_SHARES not in data.datasets and IWM_SHARES in data.datasets:
        return from_share_counts(data)
    return from_fund_list(data)


def from_fund_list(data: MarketData) -> Computation:
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
    if comp.context.get("source") == "share counts":
        ctx = comp.context
        return Verdict("Unverifiable", (
            f"measured: IWM {_bn(float(ctx['iwm_measured']))} from {ctx['measured_from']} to {ctx['measured_to']} "  # type: ignore[arg-type]
            f"(between {_bn(float(ctx['iwm_low']))} and {_bn(float(ctx['iwm_high']))}); open: IWM before "  # type: ignore[arg-type]
            f"{ctx['measured_from']} and the other small-cap ETFs; reported: net outflows for the category with "
            "no full-year figure in the sources found"))
    net = comp.number("net_flow", "named_list")
    iwm = comp.context_number("iwm_net_flow")
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


def reproduces(reading: Reading) -> bool | None:
    """A measured dollar flow reproduces 'nearly $20 billion in net outflows' if it is a $15-21 billion outflow."""
    fig = reading.headline_figure
    if fig.unit != "USD" or not isinstance(fig.value, (int, float)):
        return None
    return _in(float(fig.value), ACCURATE)


def finding(comp: Computation) -> str:
    ctx = comp.context
    if ctx.get("source") == "share counts":
        return (f"IWM's measured flow from {ctx['measured_from']} to {ctx['measured_to']} was "
                f"{_bn(float(ctx['iwm_measured']))} (between {_bn(float(ctx['iwm_low']))} and "  # type: ignore[arg-type]
                f"{_bn(float(ctx['iwm_high']))}); IWM before {ctx['measured_from']} and the other small-cap ETFs "  # type: ignore[arg-type]
                "have no public 2025 data, so the nearly $20 billion outflow is neither confirmed nor refuted.")
    net = comp.number("net_flow", "named_list")
    return (f"The named U.S. small-cap ETFs had a 2025 net flow of {_bn(net)} (IWM alone "
            f"{_bn(float(ctx['iwm_net_flow']))}), against the article's nearly $20 billion out.")  # type: ignore[arg-type]


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
    datasets=(SMALLCAP_ETF_SHARES, IWM_SHARES, SMALLCAP_ETF_FLOWS, IWM_CLOSES),
    references=("published_figures.json",),
    method="For each ETF on a named list of U.S. small-cap equity funds (" + ", ".join(SMALLCAP_ETFS) + "), "
           "the daily net flow is estimated as the change in shares outstanding times that day's close "
           "(shares outstanding from Yahoo Finance, the issuer's file where readable) and summed over calendar "
           "2025; the per-fund table, IWM alone and the Russell 2000 funds alone are shown too, with the "
           "estimate's error bound. Without a live fetch (no public offline copy of these funds' 2025 shares "
           "outstanding exists), IWM's flow is bounded from the shares outstanding in its public holdings files "
           "(2025-05-13, 2025-11-05, 2026-01-21; the year-end count derived from the reported daily flows of "
           "January 2026), valued at its closes, and published figures are reported as reference facts. (etf.com, the article's source, publishes flows from issuer data; its fund list is not "
           "stated.)",
    compute=compute,
    rule=custom(
        "Uses the 2025 net flow of the whole named list (primary reading). 'Nearly $20 billion in net outflows' "
        "is read as a net outflow of $15-21 billion: Accurate in that range; Mostly accurate for an outflow of "
        "$10-25 billion; Misleading if the list is outside that but IWM alone lost $15-21 billion (true of one "
        "fund, not of the category); otherwise Inaccurate (including any net inflow). Funds without data are "
        "named in the verdict. Without the fund list's share counts, IWM's flow is measured over the part of "
        "2025 its holdings files cover, the rest is open, and published figures are reported beside it: the "
        "verdict is then Unverifiable, with the measured bound and the reported facts stated.",
        judge,
        reproduces,
    ),
    finding=finding,
    fixed_in_time=True,  # calendar 2025: later data cannot change it
    chart=net_flow_by_fund,
    chart_title="Estimated 2025 net flows of U.S. small-cap ETFs, by fund ($ bn)",
)
