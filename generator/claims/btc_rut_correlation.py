"""BTC-RUT-CORRELATION: a JPMorgan study found BTC correlates most with small-cap tech stocks in the Russell 2000.

The study itself is not public data; what the data can test is its finding: rank the correlations of BTC's
returns with small caps, small-cap tech (PSCT, fetched live only) and large-cap indices and tech.
"""

from __future__ import annotations

import pandas as pd

from generator.charts.macro import rolling_correlations
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Value, Verdict
from generator.claimkit.helpers import iso
from generator.claimkit.rules import custom
from generator.market import MarketData, MissingData

STUDY_WINDOW = (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))
SMALL_CAP_TECH = "psct"
SMALL_CAPS = ("rut", "iwm")
LARGE_CAP_TECH = ("xlk", "qqq", "ndx")
EQUITIES = ("rut", "iwm", "psct", "gspc", "ixic", "ndx", "qqq", "xlk")
NAMES = {"rut": "Russell 2000", "iwm": "IWM (Russell 2000 ETF)", "psct": "PSCT (small-cap tech)",
         "gspc": "S&P 500", "ixic": "Nasdaq Composite", "ndx": "Nasdaq-100", "qqq": "QQQ (Nasdaq-100 ETF)",
         "xlk": "XLK (large-cap tech)"}
ROLLING = ("rut", "psct", "qqq", "xlk")
ROLLING_DAYS = "90D"
ROLLING_MIN_OBS = 40
ROLLING_FROM = pd.Timestamp("2019-01-01")
COVERAGE_SLACK_DAYS = 7
MOSTLY_GAP = 0.05


def paired(equity: pd.Series, btc: pd.Series) -> pd.DataFrame:
    """Equity and BTC closes on the equity's trading days (BTC's close of the same UTC date)."""
    return pd.concat([equity, btc], axis=1, keys=["equity", "btc"], join="inner").dropna()


def correlation(pair: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, weekly: bool) -> tuple[float, int]:
    """Correlation of returns dated in [start, end]; daily (trading day to trading day) or weekly
    (Friday-ending weeks, last trading day of each)."""
    prices = pair.resample("W-FRI").last().dropna() if weekly else pair
    returns = prices.pct_change().dropna()
    returns = returns.loc[(returns.index >= start) & (returns.index <= end)]
    if len(returns) < 3:
        return float("nan"), len(returns)
    return float(returns["equity"].corr(returns["btc"])), len(returns)


def _covers(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    slack = pd.Timedelta(days=COVERAGE_SLACK_DAYS)
    return series.index[0] <= start + slack and series.index[-1] >= end - slack


def _equities(data: MarketData) -> tuple[dict[str, pd.Series], list[str]]:
    """Closes of every equity series present (the snapshot is split-adjusted on import); notes on gaps."""
    closes: dict[str, pd.Series] = {}
    notes: list[str] = []
    for sid in EQUITIES:
        try:
            frame = data.frame(sid)
        except MissingData as missing:
            if sid != SMALL_CAP_TECH:
                raise
            notes.append(f"{NAMES[sid]} is not available ({missing.why}); the ranking is computed without it "
                         "and the specific small-cap-tech finding cannot be checked.")
            continue
        closes[sid] = frame["close"]
    return closes, notes


def _ranked(values: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(((k, v) for k, v in values.items() if pd.notna(v)), key=lambda kv: (-kv[1], kv[0]))


def _window_reading(key: str, label: str, closes: dict[str, pd.Series], btc: pd.Series,
                    start: pd.Timestamp, end: pd.Timestamp, weekly: bool) -> Reading:
    figures: list[Figure] = []
    ranked_pool: dict[str, float] = {}
    for sid in EQUITIES:
        if sid not in closes:
            figures.append(Figure(f"corr_{sid}", f"Correlation with {NAMES[sid]}", None, "ratio",
                                  note="not available: live-only series"))
            continue
        value, n = correlation(paired(closes[sid], btc), start, end, weekly)
        full = _covers(closes[sid], start, end)
        note = f"{n} {'weekly' if weekly else 'daily'} returns"
        if not full:
            note += f"; data end {iso(closes[sid].index[-1])}: partial window, left out of the ranking"
        else:
            ranked_pool[sid] = value
        figures.append(Figure(f"corr_{sid}", f"Correlation with {NAMES[sid]}", value, "ratio", note=note))
    ranking = _ranked(ranked_pool)
    small = max((v for k, v in ranking if k in SMALL_CAPS), default=None)
    large = max((v for k, v in ranking if k in LARGE_CAP_TECH), default=None)
    figures += [
        Figure("top_series", "Highest correlation", NAMES[ranking[0][0]] if ranking else None, "text"),
        Figure("top_correlation", "Highest correlation (value)", ranking[0][1] if ranking else None, "ratio"),
        Figure("ranking", "Ranking", " > ".join(f"{k} {v:.2f}" for k, v in ranking), "text"),
        Figure("small_caps_best", "Small caps (best of Russell 2000 / IWM)", small, "ratio"),
        Figure("large_tech_best", "Large-cap tech (best of XLK / QQQ / Nasdaq-100)", large, "ratio"),
    ]
    psct_rank = next((i + 1 for i, (k, _) in enumerate(ranking) if k == SMALL_CAP_TECH), None)
    if psct_rank is not None:
        figures.append(Figure("psct_rank", "Rank of small-cap tech (PSCT)", psct_rank, "count"))
    matches = None if psct_rank is None else psct_rank == 1
    return Reading(key, label, tuple(figures), "top_series", matches,
                   f"Returns dated {iso(start)} to {iso(end)}, BTC's close on the same date as the equity close. "
                   "Series whose data do not cover the window are shown but not ranked.")


def rolling_frame(closes: dict[str, pd.Series], btc: pd.Series) -> pd.DataFrame:
    """Rolling 90-calendar-day correlation of daily returns, sampled on the last trading day of each week."""
    parts = []
    for sid in ROLLING:
        if sid not in closes:
            continue
        returns = paired(closes[sid], btc).pct_change().dropna()
        rolling = returns["equity"].rolling(ROLLING_DAYS, min_periods=ROLLING_MIN_OBS).corr(returns["btc"])
        weekly = rolling.groupby(rolling.index.to_period("W-FRI")).tail(1).dropna()
        weekly = weekly.loc[weekly.index >= ROLLING_FROM]
        parts.append(pd.DataFrame({"date": weekly.index, "series": NAMES[sid], "correlation": weekly.values}))
    return pd.concat(parts, ignore_index=True)


def compute(data: MarketData) -> Computation:
    btc = data.close("btc-usd")
    closes, notes = _equities(data)
    end = min(btc.index[-1], closes["rut"].index[-1])
    trailing = (end - pd.DateOffset(years=1) + pd.Timedelta(days=1), end)
    readings = [
        _window_reading("daily_2024_2025", "Daily returns, 2024-2025", closes, btc, *STUDY_WINDOW, False),
        _window_reading("weekly_2024_2025", "Weekly returns, 2024-2025", closes, btc, *STUDY_WINDOW, True),
        _window_reading("daily_trailing_1y", "Daily returns, the year to the evaluation date", closes, btc,
                        *trailing, False),
        _window_reading("weekly_trailing_1y", "Weekly returns, the year to the evaluation date", closes, btc,
                        *trailing, True),
    ]
    partial = sorted(sid for sid in closes if not _covers(closes[sid], *trailing))
    if partial:
        notes.append("In the year to the evaluation date, " + ", ".join(
            f"{NAMES[s]} (data end {iso(closes[s].index[-1])})" for s in partial)
            + " do not cover the window in this snapshot: their figures are shown but not ranked.")
    context: dict[str, Value] = {"psct_available": SMALL_CAP_TECH in closes}
    for r in readings:
        context.update({f"{r.key}_{f.key}": f.value for f in r.figures if f.unit != "text" or f.key == "top_series"})
    return Computation(readings, "daily_2024_2025", rolling_frame(closes, btc), notes=[
        "Returns are aligned on equity trading days: BTC's close (UTC day) on the same date as the equity "
        "close, so a Monday return for BTC spans the weekend.",
        f"Proxy groups: small caps = {', '.join(NAMES[s] for s in SMALL_CAPS)}; large-cap tech = "
        f"{', '.join(NAMES[s] for s in LARGE_CAP_TECH)}.",
        *notes], context=context)


def judge(comp: Computation) -> Verdict:
    key = comp.primary
    ctx = comp.context
    small, large = ctx[f"{key}_small_caps_best"], ctx[f"{key}_large_tech_best"]
    proxy = (f"proxy: small caps {small:.2f} vs large-cap tech {large:.2f}, so small caps rank "
             f"{'above' if small > large else 'not above'} large-cap tech"
             if isinstance(small, float) and isinstance(large, float) else "proxy ranking not available")
    psct = ctx.get(f"{key}_corr_{SMALL_CAP_TECH}")
    if not ctx["psct_available"] or not isinstance(psct, float):
        return Verdict("Unverifiable", f"no small-cap tech (PSCT) data in this build; {proxy}")
    top = ctx[f"{key}_top_correlation"]
    gap = (float(top) if isinstance(top, float) else psct) - psct
    if ctx.get(f"{key}_psct_rank") == 1:
        label = "Accurate"
    elif gap <= MOSTLY_GAP:
        label = "Mostly accurate"
    else:
        label = "Inaccurate"
    return Verdict(label, f"PSCT {psct:.2f}, rank {ctx.get(f'{key}_psct_rank')}, {gap:.2f} below the top; {proxy}")


CLAIM = Claim(
    id="BTC-RUT-CORRELATION",
    order=17,
    title="BTC correlates most with small-cap tech (a JPMorgan study)",
    section="Coincidence, or the Same Liquidity Logic?",
    quote="the highest correlation with small-cap tech stocks",
    paraphrase="A JPMorgan study last year found that BTC's price moves most closely with small-cap technology "
               "stocks in the Russell 2000.",
    article=(ArticleFigure("top", "Most correlated with BTC", "small-cap tech", "text", "small-cap tech stocks"),),
    needs=("btc-usd", "rut", "iwm", "gspc", "ixic", "ndx", "qqq", "xlk"),
    method="Correlation of BTC's daily and weekly returns with the Russell 2000, IWM, PSCT (small-cap tech, when "
           "available), the S&P 500, Nasdaq Composite, Nasdaq-100, QQQ and XLK (large-cap tech), over "
           "2024-01-01..2025-12-31 (the study's period, as far as the article tells) and over the year to the "
           "evaluation date; ranked. Rolling 90-day correlations (weekly points) for the chart.",
    compute=compute,
    rule=custom(
        "On daily returns over 2024-2025: when PSCT (small-cap tech) data are available, Accurate if PSCT has "
        f"the highest correlation with BTC of all series ranked; Mostly accurate if it is within {MOSTLY_GAP:g} "
        "of the highest; Inaccurate otherwise. Without PSCT data the specific claim is Unverifiable (no public "
        "offline copy of a small-cap tech index was found); the reason then states the proxy test: whether "
        "small caps (best of Russell 2000 / IWM) rank above large-cap tech (best of XLK / QQQ / Nasdaq-100).",
        judge,
    ),
    chart=rolling_correlations,
    chart_title="Rolling 90-day correlation of daily returns with BTC (weekly points)",
)
