"""BTC-VOLATILITY: institutional money (the spot ETFs of January 2024) has dampened BTC's volatility."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from generator.bitcoin import protocol, sources_note
from generator.charts.btc import volatility_by_period
from generator.claimkit.base import (
    Claim,
    Comparison,
    Computation,
    Figure,
    Reading,
    Setting,
    Verdict,
    VerdictLabel,
)
from generator.claimkit.helpers import iso, window
from generator.claimkit.rules import custom
from generator.formatting import format_value
from generator.market import MarketData

DAYS_PER_YEAR = 365
"""BTC trades every calendar day, so daily volatility is annualised with sqrt(365)."""
ROLLING_DAYS = 90
YEARS = 2
SPANS_MONTHS = (12, 18, 24)
"""Window lengths either side of the launch tried in the robustness grid (the verdict uses 24)."""
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
        "change_pct", False if judged else None, explanation)


def _evidence(returns: pd.Series, etf: pd.Timestamp, windows: list[tuple[str, tuple[pd.Timestamp, pd.Timestamp]]]
              ) -> pd.DataFrame:
    """Month-end 90-day volatility labelled by period, plus one row per compared window (``window_end`` set)
    holding the window's realised volatility: the levels the verdict compares."""
    rolling = returns.rolling(ROLLING_DAYS).std(ddof=1) * math.sqrt(DAYS_PER_YEAR) * 100.0
    daily = rolling[rolling.index >= CHART_FROM].dropna()
    monthly = daily.groupby(daily.index.to_period("M")).tail(1)  # each month's last day in the data
    evidence = monthly.rename("volatility_90d_pct").reset_index()
    evidence["period"] = np.where(evidence["date"] < etf, "before the spot ETFs",
                                  f"after the spot ETFs (from {iso(etf)})")
    evidence["window_end"] = pd.NaT
    levels = pd.DataFrame({
        "date": [start for _, (start, _) in windows],
        "volatility_90d_pct": [realised_vol_pct(window(returns, *span)) for _, span in windows],
        "period": [name for name, _ in windows],
        "window_end": [end for _, (_, end) in windows]})
    return pd.concat([evidence, levels]).sort_values(["date", "period"], kind="stable").reset_index(drop=True)


def _windows(etf: pd.Timestamp, months: int, last: pd.Timestamp
             ) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp],
                        tuple[pd.Timestamp, pd.Timestamp]]:
    """The window before the launch, after it (cut at the last day of data) and the one before that."""
    span, day = pd.DateOffset(months=months), pd.Timedelta(days=1)
    return (etf - span, etf - day), (etf, min(etf + span - day, last)), (etf - 2 * span, etf - span - day)


def change_words(change_pct: float) -> str:
    """'fell 14.02%' / 'rose 19.02%' for a % change."""
    return f"{'fell' if change_pct < 0 else 'rose'} {format_value(abs(change_pct), '%')}"


def label_for(ratio: float, previous: float) -> VerdictLabel:
    """The verdict from after/before (``ratio``) and the same ratio for the two windows before (``previous``)."""
    ratio, previous = round(ratio, 9), round(previous, 9)
    if ratio >= HIGHER_BY:
        return "Inaccurate"
    if ratio > LOWER_BY:
        return "Misleading"
    return "Misleading" if previous <= ratio else "Mostly accurate"


def _grid(returns: pd.Series, etf: pd.Timestamp) -> list[Setting]:
    settings = []
    for months in SPANS_MONTHS:
        before, after, earlier = _windows(etf, months, returns.index[-1])
        vol = {name: realised_vol_pct(window(returns, *span)) for name, span in
               (("before", before), ("after", after), ("earlier", earlier))}
        ratio, previous = vol["after"] / vol["before"], vol["before"] / vol["earlier"]
        settings.append(Setting(
            f"{months} months either side of the launch", label_for(ratio, previous),
            f"volatility {change_words((ratio - 1) * 100)} across the launch, after it "
            f"{change_words((previous - 1) * 100)} between the two {months}-month spans before",
            months == YEARS * 12))
    return settings


def _comparison(comp_readings: list[Reading]) -> Comparison:
    main = next(r for r in comp_readings if r.key == "two_years")
    previous = next(r for r in comp_readings if r.key == "previous_step")
    after, before = main.headline_figure.value, previous.headline_figure.value
    figures = (Figure("change_after", f"Change in the {YEARS} years after the ETFs vs the {YEARS} years before",
                      after, "%"),
               Figure("change_before", f"Change in the {YEARS} years before the ETFs vs the {YEARS} years before "
                      "that", before, "%"))
    return Comparison(
        "How did volatility change in the equally long span before the ETFs?",
        f"Between the two {YEARS}-year spans before the ETFs volatility {change_words(float(before or 0))}; "
        f"across the launch it {change_words(float(after or 0))}.", figures)


def compute(data: MarketData) -> Computation:
    close = data.close("btc-usd")
    returns = np.log(close).diff().dropna()
    p = protocol()
    etf = pd.Timestamp(p.spot_etf_first_trading.value)
    last = returns.index[-1]
    before, after, earlier = _windows(etf, YEARS * 12, last)
    readings = [
        _compare("two_years", f"{YEARS} years before vs {YEARS} years after the spot ETFs began trading", returns,
                 before, after, f"Equal windows either side of {iso(etf)}."),
        _compare("to_evaluation_date", f"{YEARS} years before vs from the ETF launch to the evaluation date",
                 returns, before, (etf, last), "The after-window runs to the last day of data."),
        _compare("previous_step", f"For context: the same comparison {YEARS} years earlier (no ETFs involved)",
                 returns, earlier, before,
                 f"How much volatility changed between the two {YEARS}-year windows before the ETFs: the trend "
                 "the ETF period continued or broke.", judged=False),
    ]
    complete = after[1] >= etf + pd.DateOffset(years=YEARS) - pd.Timedelta(days=1)
    return Computation(
        readings, "two_years", _evidence(returns, etf, [
            (f"realised over the {YEARS} years two spans before", earlier),
            (f"realised over the {YEARS} years before", before),
            (f"realised over the {YEARS} years after", after)]),
        notes=[f"Daily log returns of BTC-USD closes (UTC days); annualised with sqrt({DAYS_PER_YEAR}) because "
               f"BTC trades every day. The chart shows the {ROLLING_DAYS}-day rolling figure at each month-end.",
               "What this can and cannot show: whether volatility was lower after the spot ETFs began trading. "
               "It cannot show why; other things changed too (rates, the 2022 crash, the market's size).",
               *([] if complete else [f"The {YEARS}-year window after the launch is not complete in this data "
                                      f"(it ends {iso(after[1])})."]),
               sources_note(p.spot_etf_approval, p.spot_etf_first_trading, what="ETF approval and launch dates")],
        comparison=_comparison(readings),
        sensitivity=_grid(returns, etf),
    )


def judge(comp: Computation) -> Verdict:
    ratio = comp.number("ratio", comp.primary)
    previous = comp.number("ratio", "previous_step")
    label = label_for(ratio, previous)
    text = (f"Volatility was {format_value(abs(ratio - 1) * 100, '%')} {'lower' if ratio < 1 else 'higher'} in "
            f"the {YEARS} years after the spot ETFs began trading than in the {YEARS} years before; across the "
            f"{YEARS} years before that it {change_words((previous - 1) * 100)}")
    if label == "Misleading" and ratio <= LOWER_BY:
        text += ": the fall is a trend that predates the ETFs"
    elif label == "Misleading":
        text += ": no material change to credit to anyone"
    return Verdict(label, text)


def matches(reading: Reading) -> bool | None:
    """A reading reproduces the article's "dampened" if volatility after the launch was at least 10% lower."""
    ratio = next((f.value for f in reading.figures if f.key == "ratio"), None)
    return None if not isinstance(ratio, int | float) else round(float(ratio), 9) <= LOWER_BY


def finding(comp: Computation) -> str:
    before, after = comp.number("vol_before", comp.primary), comp.number("vol_after", comp.primary)
    earlier = comp.number("vol_before", "previous_step")
    direction = "fell" if after < before else "rose"
    trend = "had already fallen" if earlier > before else "had risen"
    return (f"BTC's annualised volatility {direction} from {before:.0f}% in the {YEARS} years before the U.S. spot "
            f"ETFs began trading to {after:.0f}% in the {YEARS} years after, but it {trend} more steeply before "
            f"them, from {earlier:.0f}% in the {YEARS} years before that: the fall is an older trend, not the ETFs' "
            "doing." if earlier > before and (earlier - before) > (before - after) else
            f"BTC's annualised volatility {direction} from {before:.0f}% in the {YEARS} years before the U.S. spot "
            f"ETFs began trading to {after:.0f}% in the {YEARS} years after; in the {YEARS} years before that it "
            f"was {earlier:.0f}%.")


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
        "Prices cannot prove a cause, so never Accurate. Mostly accurate if volatility in the "
        f"{YEARS} years after the first ETF trading day was at least 10% below the {YEARS} years before (after / "
        f"before <= {LOWER_BY:.2f}) and had fallen less, or risen, across the two {YEARS}-year spans before; "
        "Misleading if it had fallen as much or more before (an older trend) or moved less than 10%; Inaccurate "
        f"if at least 10% higher (>= {HIGHER_BY:.2f}). The grid: 12-, 18- and 24-month windows.",
        judge,
        matches,
    ),
    chart=volatility_by_period,
    chart_title=f"Bitcoin {ROLLING_DAYS}-day realised volatility, annualised (month-end values)",
    references=("bitcoin_protocol.json",),
    kind="signal",
    finding=finding,
)
