"""BTC-RUT-CORRELATION: a JPMorgan study found BTC correlates most with small-cap tech stocks in the Russell 2000.

The study itself is not public data; what the data can test is its finding: rank the correlations of BTC's
returns with small caps, small-cap tech (PSCT, from 2022-09-29) and large-cap indices and tech.
"""

from __future__ import annotations

import pandas as pd

from generator.charts.macro import rolling_correlations
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Value, Verdict
from generator.claimkit.helpers import iso, weekly_last
from generator.claimkit.rules import custom
from generator.formatting import format_value
from generator.market import MarketData, MissingData
from generator.reference_facts import fact

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
REFERENCE = "jpmorgan_crypto_correlation.json"
SMALL_CAP_TECH_WORDS = "small-cap tech"
"""What the study must be on record as naming for the attribution to hold."""


def paired(equity: pd.Series, btc: pd.Series) -> pd.DataFrame:
    """Equity and BTC closes on the equity's trading days (BTC's close of the same UTC date)."""
    return pd.concat([equity, btc], axis=1, keys=["equity", "btc"], join="inner").dropna()


def pair_returns(pair: pd.DataFrame, weekly: bool) -> pd.DataFrame:
    """Returns of a :func:`paired` frame: daily (trading day to trading day) or weekly (Friday-ending weeks,
    last trading day of each)."""
    prices = weekly_last(pair) if weekly else pair
    return prices.pct_change().dropna()


def window_correlation(returns: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> tuple[float, int]:
    """Correlation of the :func:`pair_returns` dated in [start, end], and how many there are."""
    returns = returns.loc[(returns.index >= start) & (returns.index <= end)]
    if len(returns) < 3:
        return float("nan"), len(returns)
    return float(returns["equity"].corr(returns["btc"])), len(returns)


def correlation(pair: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, weekly: bool) -> tuple[float, int]:
    """Correlation of returns dated in [start, end]; daily (trading day to trading day) or weekly
    (Friday-ending weeks, last trading day of each)."""
    return window_correlation(pair_returns(pair, weekly), start, end)


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


def _window_reading(key: str, label: str, closes: dict[str, pd.Series], returns: dict[tuple[str, bool], pd.DataFrame],
                    start: pd.Timestamp, end: pd.Timestamp, weekly: bool) -> Reading:
    figures: list[Figure] = []
    ranked_pool: dict[str, float] = {}
    for sid in EQUITIES:
        if sid not in closes:
            figures.append(Figure(f"corr_{sid}", f"Correlation with {NAMES[sid]}", None, "ratio",
                                  note="not in this build (no stored copy of this fund's prices)"))
            continue
        value, n = window_correlation(returns[sid, weekly], start, end)
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
    return Reading(key, label, tuple(figures), "top_series", False,
                   f"Returns dated {iso(start)} to {iso(end)}, BTC's close on the same date as the equity close. "
                   "Series whose data do not cover the window are shown but not ranked.")


def rolling_frame(closes: dict[str, pd.Series], btc: pd.Series,
                  pairs: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Rolling 90-calendar-day correlation of daily returns, sampled on the last trading day of each week
    (``pairs``: the :func:`paired` frames already made, by series)."""
    parts = []
    for sid in ROLLING:
        if sid not in closes:
            continue
        pair = pairs[sid] if pairs is not None and sid in pairs else paired(closes[sid], btc)
        returns = pair.pct_change().dropna()
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
    # each equity is paired with BTC, and resampled to weeks, once; the four windows then only slice
    pairs = {sid: paired(close, btc) for sid, close in closes.items()}
    returns = {(sid, weekly): pair_returns(pair, weekly) for sid, pair in pairs.items() for weekly in (False, True)}
    readings = [
        _window_reading("daily_2024_2025", "Daily returns, 2024-2025", closes, returns, *STUDY_WINDOW, False),
        _window_reading("weekly_2024_2025", "Weekly returns, 2024-2025", closes, returns, *STUDY_WINDOW, True),
        _window_reading("daily_trailing_1y", "Daily returns, the year to the evaluation date", closes, returns,
                        *trailing, False),
        _window_reading("weekly_trailing_1y", "Weekly returns, the year to the evaluation date", closes, returns,
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
    return Computation(readings, "daily_2024_2025", rolling_frame(closes, btc, pairs), notes=[
        "Returns are aligned on equity trading days: BTC's close (UTC day) on the same date as the equity "
        "close, so a Monday return for BTC spans the weekend.",
        f"Proxy groups: small caps = {', '.join(NAMES[s] for s in SMALL_CAPS)}; large-cap tech = "
        f"{', '.join(NAMES[s] for s in LARGE_CAP_TECH)}.",
        *notes], context=context)


def study() -> tuple[str, str, str, str]:
    """The public record of the study: (what it found, publisher, date as '30 Jan 2025', the study's finding
    as the record states it)."""
    record = fact(REFERENCE, "highest_correlation")
    return str(record.value), record.source, f"{record.date:%-d %b %Y}", record.note


def record_confirms() -> bool:
    """Whether the public record shows the bank naming small-cap tech as bitcoin's highest correlation."""
    try:
        value = study()[0]
    except ValueError:
        return False
    return SMALL_CAP_TECH_WORDS in value


def _psct(comp: Computation, key: str) -> tuple[float | None, int | None]:
    value = comp.context.get(f"{key}_corr_{SMALL_CAP_TECH}")
    rank = comp.context.get(f"{key}_psct_rank")
    return (float(value) if isinstance(value, float) and pd.notna(value) else None,
            int(rank) if isinstance(rank, int) else None)


def _r(value: float | None) -> str:
    return format_value(value, "ratio")


def label_for(confirmed: bool, psct: float | None, psct_rank: int | None, top: float | None,
              small: float | None, large: float | None) -> tuple[str, str]:
    """The verdict and the sentence on the data, from the record and the ranking (see the rule text)."""
    if not confirmed:
        return "Inaccurate", "the public record shows no such finding by the bank"
    if psct is not None and psct_rank is not None:
        gap = (top if top is not None else psct) - psct
        if psct_rank == 1:
            return "Accurate", "in the data small-cap tech (PSCT) ranks first, so the data agree"
        if round(gap, 9) <= MOSTLY_GAP:
            return "Accurate", (f"in the data small-cap tech (PSCT) ranks {psct_rank}, only {_r(gap)} below the "
                                "top, which does not contradict the study")
        return "Mostly accurate", (f"in the data small-cap tech (PSCT) ranks only {psct_rank}, {_r(gap)} below the "
                                   "top: the finding does not carry over to 2024-2025")
    if small is not None and large is not None and small < large:
        return "Mostly accurate", (f"without small-cap tech data, small caps ({_r(small)}) rank below large-cap "
                                   f"tech ({_r(large)}), against the study's direction")
    proxy = (f"small caps ({_r(small)}) rank above large-cap tech ({_r(large)})"
             if small is not None and large is not None else "no proxy ranking is available")
    return "Accurate", f"no small-cap tech series is in this build; as a proxy, {proxy}, as the study's direction says"


def judge(comp: Computation) -> Verdict:
    key = comp.primary
    ctx = comp.context
    psct, rank = _psct(comp, key)
    small, large, top = (ctx.get(f"{key}_{k}") for k in ("small_caps_best", "large_tech_best", "top_correlation"))
    label, data = label_for(record_confirms(), psct, rank, *(float(v) if isinstance(v, float) else None
                                                              for v in (top, small, large)))
    if record_confirms():
        _, publisher, day, _ = study()
        record = (f"The attribution is on the public record: {publisher} reported on {day} that JPMorgan analysts "
                  "found bitcoin's highest correlation is with small-cap tech stocks")
    else:
        record = "No public record of the study was found"
    return Verdict(label, f"{record}; {data}")  # type: ignore[arg-type]


def matches(reading: Reading) -> bool | None:
    """A window reproduces the study's finding if small-cap tech (PSCT) has the highest correlation in it; without
    PSCT data the window cannot say."""
    rank = next((f.value for f in reading.figures if f.key == "psct_rank"), None)
    return None if not isinstance(rank, int) else rank == 1


def finding(comp: Computation) -> str:
    key = comp.primary
    ctx = comp.context
    top_name, top = ctx.get(f"{key}_top_series"), ctx.get(f"{key}_top_correlation")
    small, large = ctx.get(f"{key}_small_caps_best"), ctx.get(f"{key}_large_tech_best")
    if record_confirms():
        _, publisher, day, _ = study()
        head = (f"{publisher} reported on {day} that JPMorgan analysts found bitcoin moves most closely with "
                "small-cap tech stocks, so the attribution holds")
    else:
        head = "No public record of the JPMorgan finding was found"
    psct, rank = _psct(comp, key)
    if psct is not None and rank is not None:
        gap = (float(top) - psct) if isinstance(top, float) else 0.0
        data = (f"in daily returns over 2024-2025 small-cap tech (PSCT) ranks {rank} with a correlation of "
                f"{_r(psct)}" + ("" if rank == 1 else f", {_r(gap)} below the {top_name}"))
    else:
        data = (f"in daily returns over 2024-2025 BTC correlates most with the {top_name} "
                f"({format_value(top if isinstance(top, float) else None, 'ratio')})")
        if isinstance(small, float) and isinstance(large, float):
            data += (f", small caps {'ahead of' if small > large else 'behind'} large-cap tech "
                     f"({_r(small)} against {_r(large)})")
    return f"{head}; {data}."


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
    optional=(SMALL_CAP_TECH,),
    method="Correlation of BTC's daily and weekly returns with the Russell 2000, IWM, PSCT (small-cap tech, when "
           "available), the S&P 500, Nasdaq Composite, Nasdaq-100, QQQ and XLK (large-cap tech), over "
           "2024-01-01..2025-12-31 (the study's period, as far as the article tells) and over the year to the "
           "evaluation date; ranked. Rolling 90-day correlations (weekly points) for the chart.",
    compute=compute,
    rule=custom(
        "An attribution, judged first against the public record of the study, then against the data. "
        "Inaccurate if the record shows no JPMorgan finding that bitcoin correlates most with small-cap tech. "
        "If it does, on daily returns over 2024-2025: Accurate if small-cap tech (PSCT, when this build has it) "
        f"ranks first or within {MOSTLY_GAP:g} of the first, or, without PSCT, if small caps (Russell 2000 or "
        "IWM) rank above large-cap tech (XLK, QQQ or Nasdaq-100); Mostly accurate if the data do not bear the "
        "finding out. A window reproduces the finding if PSCT ranks first in it.",
        judge,
        matches,
    ),
    chart=rolling_correlations,
    chart_title="Rolling 90-day correlation of daily returns with BTC (weekly points)",
    references=(REFERENCE,),
    finding=finding,
    fixed_in_time=True,
)
