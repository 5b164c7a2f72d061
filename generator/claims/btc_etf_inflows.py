"""BTC-ETF-INFLOWS: after the January 2024 approval, spot bitcoin ETFs absorbed hundreds of billions of dollars."""

from __future__ import annotations

import pandas as pd

from generator.bitcoin import protocol
from generator.charts.flows import flows_and_assets
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.datasets.public import BTC_ETF_ASSETS, BTC_ETF_FLOWS, BTC_ETF_MONTHLY
from generator.datasets.store import BTC_ETF_SHARES
from generator.flows import FundListFlows, aggregate, cumulative_flows
from generator.market import MarketData, MissingData
from generator.sources.fund_flows import BTC_SPOT_ETFS, NOT_NEW_MONEY

HUNDREDS_OF_BILLIONS = 200e9
"""'hundreds of billions' read as at least two hundred billion dollars."""
A_HUNDRED_BILLION = 100e9
TENS_OF_BILLIONS = 10e9
ALL, GBTC_LABEL, OTHERS = "All spot bitcoin ETFs", "GBTC (converted trust)", "The other funds"
ASSETS_LABEL = "Total assets of all funds"
FARSIDE_ROUNDING = 0.05e6
"""Farside reports each fund's day in millions with one decimal: each figure is within $50,000."""


def _bn(value: float) -> str:
    return f"{'-' if value < 0 else ''}${abs(value) / 1e9:,.1f} bn"


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


def estimate_from_shares(data: MarketData) -> Computation:
    """The live fallback: net flows estimated from shares outstanding x close (no reported flows)."""
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
                 "error_bound": result.error_bound, "missing_funds": ", ".join(result.missing),
                 "source": "estimate"},
    )


def _weekly(daily: pd.Series) -> pd.Series:
    return daily.resample("W-FRI").last().ffill()


def _reported_evidence(flows: pd.DataFrame, assets: pd.DataFrame) -> pd.DataFrame:
    """Weekly: cumulative net flows (all funds, GBTC, the others) and total assets, in $ bn."""
    parts = []
    groups = [(ALL, flows), (GBTC_LABEL, flows.loc[flows["fund"] == "GBTC"]),
              (OTHERS, flows.loc[flows["fund"] != "GBTC"])]
    for label, rows in groups:
        cumulative = _weekly(rows.groupby("date")["flow_usd"].sum().cumsum())
        parts.append(pd.DataFrame({"date": cumulative.index, "series": label, "measure": "cumulative net flow",
                                   "usd_bn": (cumulative / 1e9).to_numpy()}))
    if not assets.empty:
        total = _weekly(assets.groupby("date")["assets_usd"].sum())
        parts.append(pd.DataFrame({"date": total.index, "series": ASSETS_LABEL, "measure": "assets",
                                   "usd_bn": (total / 1e9).to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def _fund_table(flows: pd.DataFrame, assets_on_day: pd.Series) -> str:
    net = flows.groupby("fund")["flow_usd"].sum().sort_values(ascending=False)
    return "; ".join(f"{fund} {_bn(value)} net" + (f", assets {_bn(float(assets_on_day[fund]))}"
                                                     if fund in assets_on_day.index else "")
                     for fund, value in net.items())


def _estimate_cross_check(data: MarketData, flows: pd.DataFrame, start: pd.Timestamp,
                          end: pd.Timestamp) -> tuple[str, float | None]:
    """The shares x price estimate over the same days, if the live shares dataset is there."""
    shares = data.datasets.get(BTC_ETF_SHARES)
    if shares is None or shares.empty:
        return ("Cross-check with the shares-outstanding estimate: not available in this build (that "
                "dataset is fetched live).", None)
    launches = set(BTC_SPOT_ETFS) - set(NOT_NEW_MONEY)
    estimate = aggregate(shares, BTC_SPOT_ETFS, start, min(end, pd.to_datetime(shares["date"]).max()),
                         count_launch=launches)
    if not estimate.estimates:
        return "Cross-check with the shares-outstanding estimate: no share counts in the period.", None
    reported = float(flows.loc[flows["date"] <= estimate.end, "flow_usd"].sum())
    return (f"Cross-check: shares outstanding x close gives {_bn(estimate.net_flow)} over "
            f"{iso(estimate.start)}..{iso(estimate.end)} (error bound {_bn(estimate.error_bound)}), against "
            f"{_bn(reported)} reported.", estimate.net_flow)


def _extension(data: MarketData, end: pd.Timestamp) -> tuple[FundListFlows | None, str]:
    """The shares-outstanding estimate for the days after the reported flows end, when a live fetch has them."""
    shares = data.datasets.get(BTC_ETF_SHARES)
    if shares is None or shares.empty:
        return None, ""
    last = pd.to_datetime(shares["date"]).max()
    if last <= end:
        return None, ""
    after = aggregate(shares, BTC_SPOT_ETFS, end + pd.Timedelta(days=1), last)
    if not after.estimates:
        return None, ""
    return after, (f"After the reported flows end ({iso(end)}), the live shares-outstanding estimate adds "
                   f"{_bn(after.net_flow)} to {iso(after.end)} ({after.error_statement()})")


def from_reported_flows(data: MarketData) -> Computation:
    """Farside's reported daily flows per fund, Artemis' daily assets; Artemis' monthly flows as a check."""
    flows = data.dataset(BTC_ETF_FLOWS)
    if flows.empty:
        raise MissingData(BTC_ETF_FLOWS, "no rows on or before the evaluation date")
    flows = flows.assign(date=pd.to_datetime(flows["date"]))
    assets = data.datasets.get(BTC_ETF_ASSETS, pd.DataFrame(columns=["date", "fund", "assets_usd"]))
    end = flows["date"].max()
    first_day = pd.Timestamp(protocol().spot_etf_first_trading.value)
    flows = flows.loc[flows["date"] >= first_day]
    day = iso(end)
    net = float(flows["flow_usd"].sum())
    gbtc = flows.loc[flows["fund"] == "GBTC", "flow_usd"]
    others = flows.loc[flows["fund"] != "GBTC", "flow_usd"]
    positive = float(flows.loc[flows["flow_usd"] > 0, "flow_usd"].sum())
    bound = FARSIDE_ROUNDING * len(flows)
    on_day = assets.loc[pd.to_datetime(assets["date"]) <= end]
    assets_day = on_day["date"].max() if len(on_day) else None
    per_fund_assets = (on_day.loc[on_day["date"] == assets_day].set_index("fund")["assets_usd"]
                       if assets_day is not None else pd.Series(dtype=float))
    total_assets = float(per_fund_assets.sum())
    check_text, _ = _estimate_cross_check(data, flows, first_day, end)
    monthly = data.datasets.get(BTC_ETF_MONTHLY)
    month_text = "Artemis' monthly flows: not in this build."
    if monthly is not None and not monthly.empty:
        months = monthly.assign(month=pd.to_datetime(monthly["date"]).dt.to_period("M"))
        farside = flows.groupby(flows["date"].dt.to_period("M"))["flow_usd"].sum()
        theirs = months.groupby("month")["flow_usd"].sum()
        common = farside.index.intersection(theirs.index)
        gap = (farside.loc[common] - theirs.loc[common]).abs()
        month_text = (f"Artemis' monthly flows, an independent tally, over the {len(common)} complete months both "
                      f"cover: {_bn(float(theirs.loc[common].sum()))} against Farside's "
                      f"{_bn(float(farside.loc[common].sum()))}; the largest monthly gap is "
                      f"${float(gap.max()) / 1e6:,.0f} million ({gap.idxmax()}).")
    extension, extension_note = _extension(data, end)
    if extension is None:
        headline = _reading("net_inflows", f"Cumulative net inflows of all U.S. spot bitcoin ETFs since "
                            f"{iso(first_day)}", _usd("amount", "Reported net inflows (Farside)", net, day,
                                                       f"rounding bound {_bn(bound)}"),
                            "Money in minus money out, as the funds reported it day by day.")
        extra: list[Reading] = []
    else:
        later = iso(extension.end)
        headline = _reading("net_inflows", f"Cumulative net inflows of all U.S. spot bitcoin ETFs since "
                            f"{iso(first_day)} (reported to {day}, estimated after)",
                            _usd("amount", "Net inflows: reported, then estimated from shares outstanding",
                                 net + extension.net_flow, later,
                                 f"bound {_bn(bound + extension.error_bound)}"),
                            f"Farside's reported flows to {day}, then the shares-outstanding estimate to {later}: "
                            "the live fetch extends the reported figures and does not replace them.")
        extra = [_reading("reported_only", f"Reported net inflows only (Farside, to {day})",
                          _usd("amount", "Reported net inflows (Farside)", net, day, f"rounding bound {_bn(bound)}"),
                          "The reported part alone, without the estimate after the reported flows end.")]
        bound += extension.error_bound
    readings = [
        headline, *extra,
        _reading("net_excluding_gbtc", "Inflows of the funds other than GBTC (before GBTC's outflows are netted)",
                 _usd("amount", "Net inflows of the other funds", float(others.sum()), day),
                 "The new funds' intake: it leaves out GBTC's outflows, much of which moved into these funds."),
        _reading("gross_creations", "Gross inflows: every fund-day with net buying, no netting of outflow days",
                 _usd("amount", "Sum of the fund-days with inflows", positive, day),
                 "Counts money in without subtracting money out on other days; not a net figure."),
        _reading("total_assets", f"Total assets of the funds on {iso(assets_day)}",
                 _usd("amount", "Assets under management (Artemis)", total_assets, iso(assets_day)),
                 "Includes GBTC's pre-existing trust assets and every price gain since purchase: assets, not "
                 "money absorbed."),
        _reading("gbtc", "For context: GBTC's outflows on their own",
                 _usd("amount", "GBTC net flow", float(gbtc.sum()), day),
                 "GBTC had existed since 2013 as a trust; after converting it lost money to cheaper funds.",
                 context_only=True),
        Reading("translation", "If the original said 'tens of billions' (the article is a translation)",
                (_usd("amount", "Reported net inflows", net, day),), "amount", None,
                f"Net inflows of {_bn(net)} are tens of billions, not hundreds: a wording of 'tens of billions' "
                "would fit them. This is a reading of a possible original, never the verdict: the verdict "
                "judges the words published." if TENS_OF_BILLIONS <= net < 100e9 else
                f"Net inflows of {_bn(net)}: 'tens of billions' would not describe them either."),
    ]
    return Computation(
        readings, "net_inflows", _reported_evidence(flows, on_day),
        notes=[f"Period: from {iso(first_day)}, the funds' first trading day (source: "
               f"{protocol().spot_etf_first_trading.source}), to {day}. Flows as reported by Farside Investors, "
               f"per fund and day; assets as exported by Artemis Analytics.",
               f"Per fund (net flow since launch; assets on {iso(assets_day)}): "
               + _fund_table(flows, per_fund_assets) + ".",
               month_text, check_text, *([extension_note] if extension_note else []),
               f"Farside's figures are in millions with one decimal: over {len(flows):,} fund-days the rounding "
               f"adds up to at most {_bn(bound)}."],
        context={"total_assets": total_assets, "gross_creations": positive, "error_bound": bound,
                 "missing_funds": "", "source": "reported"},
    )


def compute(data: MarketData) -> Computation:
    """Reported flows where the build has them; otherwise the shares-outstanding estimate (live fallback)."""
    if BTC_ETF_FLOWS in data.datasets and not data.datasets[BTC_ETF_FLOWS].empty:
        return from_reported_flows(data)
    return estimate_from_shares(data)


def judge(comp: Computation) -> Verdict:
    net = comp.number("amount", "net_inflows")
    assets = comp.context_number("total_assets")
    gross = comp.context_number("gross_creations")
    what = "reported net inflows" if comp.context.get("source") == "reported" else "estimated net inflows"
    detail = (f"{what} {_bn(net)} (error bound {_bn(float(comp.context['error_bound']))}); total assets "  # type: ignore[arg-type]
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


def reproduces(reading: Reading) -> bool | None:
    """A reading reproduces 'hundreds of billions' if its dollar figure reaches $200 billion."""
    value = reading.headline_figure.value
    return None if not isinstance(value, (int, float)) else float(value) >= HUNDREDS_OF_BILLIONS


def finding(comp: Computation) -> str:
    net = comp.figure("amount", "net_inflows")
    assets = comp.context_number("total_assets")
    how = "reported" if comp.context.get("source") == "reported" else "estimated"
    gbtc = comp.number("amount", "gbtc")
    others = comp.number("amount", "net_excluding_gbtc")
    size = "tens of billions" if float(net.value) < 100e9 else "over a hundred billion"  # type: ignore[arg-type]
    return (f"U.S. spot bitcoin ETFs took in {_bn(float(net.value))} net by {net.date} ({how}: the other funds "  # type: ignore[arg-type]
            f"{_bn(others)}, GBTC {_bn(gbtc)}), and held {_bn(assets)} in assets: {size} of dollars, not "
            "hundreds of billions.")


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
    datasets=(BTC_ETF_FLOWS, BTC_ETF_ASSETS, BTC_ETF_MONTHLY, BTC_ETF_SHARES),
    method="Net inflows are the daily net flows of each U.S. spot bitcoin ETF as Farside Investors reports them "
           "(per fund, in millions of dollars), summed from the funds' first trading day to the evaluation date; "
           "GBTC's outflows are shown on their own, beside the inflows of the other funds and the gross inflows "
           "(fund-days with net buying). Total assets are Artemis Analytics' daily assets per fund on the "
           "evaluation date. Artemis' monthly flows, an independent tally, cross-check the daily figures. "
           "Where the build has no reported flows (a fresh live run past their end), and as a cross-check "
           "where both exist, the daily net flow is estimated as the change in "
           "shares outstanding times that day's closing price (shares outstanding from Yahoo Finance, issuer "
           f"files where readable); flows are summed from {protocol().spot_etf_first_trading.value}, the funds' "
           "first trading day (a sourced reference fact), to the evaluation date. A fund launched in "
           "the period counts from zero shares unless its first shares were not new money (GBTC's conversion, "
           "the Grayscale Mini Trust's spin-off). Other readings: the same without GBTC, gross creations, and "
           "total assets (shares x close) on the evaluation date. The estimate's error bound (days without a "
           "share count, rounding and creation-unit granularity, the first change of the period) is stated.",
    compute=compute,
    rule=custom(
        "Uses cumulative net inflows of all funds (primary reading: reported, or estimated where no reported "
        "flows exist). 'Hundreds of billions' is "
        "read as at least $200 billion: Accurate if net inflows reach it; Mostly accurate if they are at least "
        "$100 billion; Misleading if they are below $100 billion but total assets or gross creations reach "
        "$200 billion (the number would describe assets or gross buying, not money absorbed); otherwise "
        "Inaccurate. Funds without data are named in the verdict.",
        judge,
        reproduces,
    ),
    finding=finding,
    chart=flows_and_assets,
    chart_title=f"Cumulative net flows and total assets of U.S. spot bitcoin ETFs since "
                f"{protocol().spot_etf_first_trading.value} ($ bn, weekly)",
)
