"""BTC-VOLATILITY: institutional money (the spot ETFs of January 2024) has dampened BTC's volatility."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from generator.bitcoin import protocol, sources_note
from generator.charts.btc import volatility_by_period
from generator.claimkit.base import Claim, Computation, Figure, Reading, Verdict, VerdictLabel
from generator.claimkit.helpers import iso, window
from generator.claimkit.rules import custom
from generator.market import MarketData

DAYS_PER_YEAR = 365
"""BTC trades every calendar day, so daily volatility is annualised with sqrt(365)."""
ROLLING_DAYS = 90
YEARS = 2
LOWER_BY, HIGHER_BY = 0.90, 1.10
CHART_FROM = "2015-01-01"


def realised_vol_pct(log_returns: pd.Series) -> float:
    """Annualised realised volatility (%) of daily log returns: sample standard deviation x sqrt(365)."""
    return float(log_returns.std(ddof=1)) * math.sqrt(DAYS_PER_YEAR) * 100.0


def _window_figures(returns: pd.Series, start: pd.Timestamp, end: pd.Timestamp, key: str,
                    label: str) -> tuple[Figure, float]:
    part = window(returns, start, end)
    vol = realised_vol_pct(part)
    return Figure(key, f"{label} ({iso(part.index[0])} to {iso(part.index[-1])}, {len(part)} days)", vol,
                  "percent", iso(part.index[-1])), vol


def _compare(key: str, label: str, returns: pd.Series, before: tuple, after: tuple, explanation: str,
             judged: bool = True) -> Reading:
    fig_before, vol_before = _window_figures(returns, *before, "vol_before", "Volatility before")
    fig_after, vol_after = _window_figures(returns, *after, "vol_after", "Volatility after")
    ratio = vol_after / vol_before
    return Reading(key, label, (
        Figure("change_pct", "Change in volatility", (ratio - 1) * 100, "%"),
        fig_before, fig_after, Figure("ratio", "After / before", ratio, "ratio")),
        "change_pct", (ratio <= LOWER_BY) if judged else None, explanation)


def _evidence(returns: pd.Series, etf: pd.Timestamp) -> pd.DataFrame:
    rolling = returns.rolling(ROLLING_DAYS).std(ddof=1) * math.sqrt(DAYS_PER_YEAR) * 100.0
    daily = rolling[rolling.index >= CHART_FROM].dropna()
    monthly = daily.groupby(daily.index.to_period("M")).tail(1)  # each month's last day in the data
    evidence = monthly.rename("volatility_90d_pct").reset_index()
    evidence["period"] = np.where(evidence["date"] < etf, "before the spot ETFs",
                                  f"after the spot ETFs (from {iso(etf)})")
    return evidence


def compute(data: MarketData) -> Computation:
    close = data.close("btc-usd")
    returns = np.log(close).diff().dropna()
    p = protocol()
    etf = pd.Timestamp(p.spot_etf_first_trading.value)
    span = pd.DateOffset(years=YEARS)
    day = pd.Timedelta(days=1)
    last = returns.index[-1]
    before = (etf - span, etf - day)
    after = (etf, min(etf + span - day, last))
    earlier = (etf - 2 * span, etf - span - day)
    readings = [
        _compare("two_years", f"{YEARS} years before vs {YEARS} years after the spot ETFs began trading", returns,
                 before, after, "Equal windows either side of 2024-01-11."),
        _compare("to_evaluation_date", f"{YEARS} years before vs from the ETF launch to the evaluation date",
                 returns, before, (etf, last), "The after-window runs to the last day of data."),
        _compare("previous_step", "For context: the same comparison two years earlier (no ETFs involved)",
                 returns, earlier, before,
                 "How much volatility changed between the two 2-year windows before the ETFs: the trend the "
                 "ETF period continued or broke.", judged=False),
    ]
    complete = after[1] >= etf + span - day
    return Computation(
        readings, "two_years", _evidence(returns, etf),
        notes=[f"Daily log returns of BTC-USD closes (UTC days); annualised with sqrt({DAYS_PER_YEAR}) because "
               f"BTC trades every day. The chart shows the {ROLLING_DAYS}-day rolling figure at each month-end.",
               "What this can and cannot show: whether volatility was lower after the spot ETFs began trading. "
               "It cannot show why; other things changed too (rates, the 2022 crash, the market's size).",
               *([] if complete else [f"The {YEARS}-year window after the launch is not complete in this data "
                                      f"(it ends {iso(after[1])})."]),
               sources_note(p.spot_etf_approval, p.spot_etf_first_trading, what="ETF approval and launch dates")],
    )


def judge(comp: Computation) -> Verdict:
    ratio = float(comp.figure("ratio", comp.primary).value)  # type: ignore[arg-type]
    previous = float(comp.figure("ratio", "previous_step").value)  # type: ignore[arg-type]
    if ratio <= LOWER_BY:
        label: VerdictLabel = "Mostly accurate"
    elif ratio < HIGHER_BY:
        label = "Misleading"
    else:
        label = "Inaccurate"
    return Verdict(label, f"volatility {(ratio - 1) * 100:+.0f}% in the {YEARS} years after the ETF launch vs the "
                          f"{YEARS} years before; in the {YEARS} years before that it had changed "
                          f"{(previous - 1) * 100:+.0f}%. Causality is not shown by prices.")


CLAIM = Claim(
    id="BTC-VOLATILITY",
    order=13,
    title="Institutional money has dampened BTC's volatility",
    section="2016 and 2020: Two Breakouts",
    quote="institutional entry has dampened volatility",
    paraphrase="Since the U.S. spot bitcoin ETFs arrived in January 2024, institutional money has made "
               "bitcoin's price swings smaller.",
    article=(),
    needs=("btc-usd",),
    method=f"Annualised realised volatility of BTC's daily log returns over the {YEARS} years before and after "
           "the first trading day of the U.S. spot bitcoin ETFs (11 January 2024, from the protocol reference "
           f"file), also to the evaluation date, and the same comparison {YEARS} years earlier for the trend; "
           f"{ROLLING_DAYS}-day rolling volatility for the chart.",
    compute=compute,
    rule=custom(
        "This is an explanation, and prices cannot prove a cause, so the verdict is never Accurate. What the "
        f"data can test is its measurable part, 'volatility was lower after the ETFs': Mostly accurate if "
        f"volatility in the {YEARS} years after 11 January 2024 was at least 10% lower than in the {YEARS} "
        f"years before (after / before <= {LOWER_BY:.2f}); Misleading if it was within 10% either way "
        f"(no material change); Inaccurate if it was at least 10% higher (ratio >= {HIGHER_BY:.2f}).",
        judge,
    ),
    chart=volatility_by_period,
    chart_title=f"Bitcoin {ROLLING_DAYS}-day realised volatility, annualised (month-end values)",
    references=("bitcoin_protocol.json",),
)
