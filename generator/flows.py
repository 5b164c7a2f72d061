"""ETF net flows estimated from shares outstanding: pure functions, no I/O.

An ETF's shares change only when authorised participants create or redeem them, so the money that
went in or out between two observations of the share count is about the change in shares times the
price: ``flow_t = (S_t - S_prev x split ratio) x P_t``. Summed over a period this is the period's net
flow. Days are trading days; ``S`` is missing on days the source did not report.

Input: one fund's rows with columns ``date``, ``close`` (unadjusted market close; NAV where a source
has it), ``shares_outstanding`` (NaN when not observed), ``split`` (1.0, or the ratio on a split day).

What the estimate cannot see, stated as numbers next to it (:class:`FlowEstimate`):
- *timing*: a change spread over missing days is valued at the price of the day it was observed; the
  bound is ``|dS| x (highest - lowest close over those days)``;
- *rounding / creation-unit granularity*: shares move in creation units (typically 5,000-100,000 shares)
  and sources round the count; with every count a multiple of ``g``, the error is at most
  ``g/2 x (first price + last price + sum of |price changes| between observations)``;
- *edge*: shares are reported a day after the trade that created them, so the first change reported in
  a period may belong to the day before it: that change's value is added to the bound. (The matching
  change just after the end lies past the evaluation date and is left out, as the cut requires.)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

DayLike = date | str | pd.Timestamp
MAX_GRANULARITY = 1_000_000


def _day(value: DayLike) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def daily_flows(frame: pd.DataFrame, from_zero: bool = False) -> pd.DataFrame:
    """One row per shares observation after the first: the change in shares and its dollar value.

    ``from_zero``: the fund started with no shares before its first row (a launch with new money), so
    its first count is a change from zero too, spread over the days from the first row to that count.
    Columns: date, shares, close, flow_shares, flow_usd, gap_days (trading days without an observation
    since the previous one), timing_bound (USD), flag.
    """
    frame = frame.sort_values("date").reset_index(drop=True)
    split = frame["split"].fillna(1.0).to_numpy(dtype=float) if "split" in frame else np.ones(len(frame))
    close = frame["close"].to_numpy(dtype=float)
    shares = frame["shares_outstanding"].to_numpy(dtype=float)
    flags = frame["flag"].fillna("").astype(str).to_numpy() if "flag" in frame else np.full(len(frame), "")
    observed = [int(p) for p in np.flatnonzero(~np.isnan(shares))]
    if from_zero:
        observed = [-1, *observed]
    rows = []
    for prev, pos in zip(observed[:-1], observed[1:], strict=True):
        before = 0.0 if prev < 0 else shares[prev] * float(np.prod(split[prev + 1: pos + 1]))
        change = shares[pos] - before
        prices = close[prev + 1: pos + 1]
        rows.append({
            "date": frame.at[pos, "date"], "shares": shares[pos], "close": close[pos],
            "flow_shares": change, "flow_usd": change * close[pos], "gap_days": pos - prev - 1,
            "timing_bound": abs(change) * float(np.nanmax(prices) - np.nanmin(prices)),
            "flag": flags[pos],
        })
    columns = ["date", "shares", "close", "flow_shares", "flow_usd", "gap_days", "timing_bound", "flag"]
    return pd.DataFrame(rows, columns=columns)


def granularity(shares: pd.Series) -> int:
    """The largest power of ten (up to a million) that divides every observed share count."""
    values = shares.dropna().round().astype("int64")
    step = 1
    while step < MAX_GRANULARITY and len(values) and (values % (step * 10) == 0).all():
        step *= 10
    return step


@dataclass(frozen=True)
class FlowEstimate:
    """One fund's estimated net flow over [start, end], with what the estimate cannot see."""

    fund: str
    start: pd.Timestamp
    end: pd.Timestamp
    net_flow: float
    creations: float
    redemptions: float
    start_shares: float
    end_shares: float
    end_close: float
    end_assets: float
    baseline_date: pd.Timestamp
    last_observed: pd.Timestamp
    started_in_window: bool
    """No observation before ``start``. Then either the fund launched in the window with new money
    (``from_zero``: its first count is an inflow) or its first count in the window (a conversion, a
    spin-off, or data that begin late) is the baseline and is not counted as a flow."""
    from_zero: bool
    observed_days: int
    missing_days: int
    timing_bound: float
    rounding_bound: float
    edge_bound: float
    suspect_days: int

    @property
    def error_bound(self) -> float:
        return self.timing_bound + self.rounding_bound + self.edge_bound


def estimate(fund: str, frame: pd.DataFrame, start: DayLike, end: DayLike,
             count_launch: bool = False) -> FlowEstimate | None:
    """The net flow of one fund over ``[start, end]`` (inclusive); None if no share count falls in it.

    ``count_launch``: if the fund's first trading day is inside the period it launched with new money,
    so its shares are counted from zero (not for funds seeded by a conversion or a spin-off).
    """
    lo, hi = _day(start), _day(end)
    frame = frame.assign(date=pd.to_datetime(frame["date"]).dt.normalize()).sort_values("date")
    frame = frame.loc[frame["date"] <= hi].reset_index(drop=True)
    counts = frame.loc[frame["shares_outstanding"].notna(), ["date", "shares_outstanding", "close"]]
    before, inside = counts.loc[counts["date"] < lo], counts.loc[counts["date"] >= lo]
    if inside.empty:
        return None
    started = before.empty
    from_zero = started and count_launch and frame["date"].iloc[0] >= lo
    flows = daily_flows(frame, from_zero)
    if from_zero:
        base_date, base_shares = frame["date"].iloc[0], 0.0
    else:
        base = inside.iloc[0] if started else before.iloc[-1]
        base_date, base_shares = base["date"], float(base["shares_outstanding"])
        flows = flows.loc[flows["date"] > base_date]
    used = inside if started else pd.concat([before.iloc[-1:], inside])
    last = inside.iloc[-1]
    close_end = float(frame["close"].dropna().iloc[-1])
    edge = abs(float(flows["flow_usd"].iloc[0])) if (not started and len(flows)) else 0.0
    prices = used["close"].to_numpy(dtype=float)
    rounding = granularity(used["shares_outstanding"]) / 2 * (
        prices[0] + prices[-1] + float(np.abs(np.diff(prices)).sum()))
    return FlowEstimate(
        fund=fund, start=lo, end=hi,
        net_flow=float(flows["flow_usd"].sum()),
        creations=float(flows.loc[flows["flow_usd"] > 0, "flow_usd"].sum()),
        redemptions=float(flows.loc[flows["flow_usd"] < 0, "flow_usd"].sum()),
        start_shares=base_shares, end_shares=float(last["shares_outstanding"]),
        end_close=close_end, end_assets=float(last["shares_outstanding"]) * close_end,
        baseline_date=base_date, last_observed=last["date"], started_in_window=started, from_zero=from_zero,
        observed_days=len(inside), missing_days=int(frame.loc[frame["date"] >= lo, "shares_outstanding"].isna().sum()),
        timing_bound=float(flows["timing_bound"].sum()), rounding_bound=rounding, edge_bound=edge,
        suspect_days=int((flows["flag"] != "").sum()),
    )


def _note(e: FlowEstimate | None) -> str:
    if e is None:
        return "no share count in the period"
    if e.from_zero:
        return "launched in the period: counted from zero shares"
    if e.started_in_window:
        return "first count in the period is the baseline (not a flow)"
    return ""


@dataclass(frozen=True)
class FundListFlows:
    """Net flows of a named list of funds over one period."""

    funds: tuple[str, ...]
    start: pd.Timestamp
    end: pd.Timestamp
    estimates: tuple[FlowEstimate, ...]
    missing: tuple[str, ...]
    """Funds on the list with no share count in the period (not in the data, or not trading then)."""

    @property
    def net_flow(self) -> float:
        return sum(e.net_flow for e in self.estimates)

    @property
    def end_assets(self) -> float:
        return sum(e.end_assets for e in self.estimates)

    @property
    def error_bound(self) -> float:
        return sum(e.error_bound for e in self.estimates)

    def only(self, funds: Sequence[str]) -> FundListFlows:
        """The same period restricted to some of the funds."""
        keep = tuple(f for f in self.funds if f in funds)
        return FundListFlows(keep, self.start, self.end, tuple(e for e in self.estimates if e.fund in keep),
                             tuple(m for m in self.missing if m in keep))

    def table(self) -> pd.DataFrame:
        """One row per fund on the list, in list order (missing funds with empty figures)."""
        by_fund = {e.fund: e for e in self.estimates}
        rows = []
        for fund in self.funds:
            e = by_fund.get(fund)
            rows.append({
                "fund": fund,
                "net_flow": e.net_flow if e else np.nan,
                "creations": e.creations if e else np.nan,
                "redemptions": e.redemptions if e else np.nan,
                "end_assets": e.end_assets if e else np.nan,
                "start_shares": e.start_shares if e else np.nan,
                "end_shares": e.end_shares if e else np.nan,
                "observed_days": e.observed_days if e else 0,
                "missing_days": e.missing_days if e else np.nan,
                "error_bound": e.error_bound if e else np.nan,
                "suspect_days": e.suspect_days if e else 0,
                "note": _note(e),
            })
        return pd.DataFrame(rows)

    def error_statement(self) -> str:
        """The estimate's uncertainty in one sentence, with the numbers behind it."""
        timing = sum(e.timing_bound for e in self.estimates)
        rounding = sum(e.rounding_bound for e in self.estimates)
        edges = sum(e.edge_bound for e in self.estimates)
        missing_days = sum(e.missing_days for e in self.estimates)
        suspect = sum(e.suspect_days for e in self.estimates)
        text = (f"Estimated from daily shares outstanding x closing price; the error bound is "
                f"${self.error_bound / 1e9:,.2f} bn (price timing over {missing_days} fund-days without a "
                f"share count ${timing / 1e9:,.2f} bn; share-count rounding and creation-unit granularity "
                f"${rounding / 1e9:,.2f} bn; the first change reported in the period, which may include "
                f"trades from before it, ${edges / 1e9:,.2f} bn). {suspect} changes above 20% between "
                f"consecutive counts were flagged as suspect.")
        if self.missing:
            text += f" No data for: {', '.join(self.missing)}."
        return text


def aggregate(shares: pd.DataFrame, funds: Sequence[str], start: DayLike, end: DayLike,
              count_launch: Collection[str] = ()) -> FundListFlows:
    """Net flows over ``[start, end]`` for each fund of a named list, from a long table with a ``fund`` column.

    ``count_launch``: funds whose launch inside the period brought new money (see :func:`estimate`).
    """
    estimates, missing = [], []
    groups: Mapping[str, pd.DataFrame] = {str(k): v for k, v in shares.groupby("fund")}
    for fund in funds:
        found = estimate(fund, groups[fund], start, end, fund in count_launch) if fund in groups else None
        if found is None:
            missing.append(fund)
        else:
            estimates.append(found)
    return FundListFlows(tuple(funds), _day(start), _day(end), tuple(estimates), tuple(missing))


def cumulative_flows(shares: pd.DataFrame, result: FundListFlows) -> pd.DataFrame:
    """The daily flows behind ``result``, per fund, with each fund's running total.

    Columns: date, fund, flow_usd, cumulative_usd; their last running totals are the funds' net flows.
    """
    parts = []
    for e in result.estimates:
        rows = shares.loc[shares["fund"] == e.fund]
        rows = rows.assign(date=pd.to_datetime(rows["date"]).dt.normalize())
        daily = daily_flows(rows.loc[rows["date"] <= e.end], e.from_zero)
        daily = daily.loc[daily["date"] > e.baseline_date] if not e.from_zero else daily
        daily = daily.loc[:, ["date", "flow_usd"]].assign(fund=e.fund)
        daily["cumulative_usd"] = daily["flow_usd"].cumsum()
        parts.append(daily)
    if not parts:
        return pd.DataFrame(columns=["date", "fund", "flow_usd", "cumulative_usd"])
    return pd.concat(parts, ignore_index=True).loc[:, ["date", "fund", "flow_usd", "cumulative_usd"]]
