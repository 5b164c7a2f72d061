"""RUT-2021-HIGH: after its previous high at the end of 2021 the Russell 2000 moved sideways for three years."""

from __future__ import annotations

import pandas as pd

from generator.charts.rut import record_and_range
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import first_above, iso, pct_change, window, year_end
from generator.claimkit.rules import custom
from generator.market import MarketData

RECORD_YEAR = 2021
RANGE_FIRST_YEAR, RANGE_LAST_YEAR = 2022, 2024
RANGE_START, RANGE_END = f"{RANGE_FIRST_YEAR}-01-01", f"{RANGE_LAST_YEAR}-12-31"
BELOW_THRESHOLDS = (10, 20, 30)
"""The 2022-2024 range is described by the share of days closing more than these % below the record."""
CLAIMED_YEARS = 3.0
ACCURATE_YEARS = (2.5, 3.5)
MOSTLY_YEARS = (2.0, 4.0)
DAYS_PER_YEAR = 365.25
CHART_FROM = "2021-01-01"


def year_record(series: pd.Series, year: int) -> tuple[pd.Timestamp, float]:
    """The highest value of ``series`` in calendar ``year`` and its (first) date."""
    part = window(series, f"{year}-01-01", f"{year}-12-31")
    return part.idxmax(), float(part.max())


def quarter(day: pd.Timestamp) -> str:
    return f"{day.year} Q{day.quarter}"


def _duration_figures(series: pd.Series, record_day: pd.Timestamp, record: float, what: str) -> tuple[Figure, ...]:
    """How long a record stood: until the first value above it, or (if none yet) until the last date."""
    broken = first_above(series, record, after=record_day)
    end = broken[0] if broken else series.index[-1]
    note = "" if broken else f"not broken by {iso(end)}: the record stands at least this long"
    sessions = int(((series.index > record_day) & (series.index < end)).sum())
    days = int((end - record_day).days)
    return (
        Figure("first_above", f"First {what} above the record", iso(broken[0]) if broken else None, "date",
               note=note),
        Figure("stood_years", "How long the record stood", days / DAYS_PER_YEAR, "years", note=note),
        Figure("stood_days", "Calendar days the record stood", days, "days", note=note),
        Figure("stood_trading_days", "Trading days the record stood (sessions strictly between the record "
               "and the break)", sessions, "trading days", note=note),
    )


def _record_reading(key: str, label: str, series: pd.Series, what: str) -> Reading:
    day, level = year_record(series, RECORD_YEAR)
    durations = _duration_figures(series, day, level, what)
    broken, years = durations[0].value is not None, float(durations[1].value)  # type: ignore[arg-type]
    matches = broken and quarter(day) == f"{RECORD_YEAR} Q4" and ACCURATE_YEARS[0] <= years <= ACCURATE_YEARS[1]
    figures = (Figure("record", f"{RECORD_YEAR} record {what}", level, "points", iso(day)),
               Figure("record_quarter", "Quarter of the record", quarter(day), "quarter"), *durations)
    return Reading(key, label, figures, "stood_years", matches)


def _range_reading(close: pd.Series, low: pd.Series, record: float) -> Reading:
    span = window(close, RANGE_START, RANGE_END)
    lows = window(low, RANGE_START, RANGE_END)
    below = (span / record - 1.0) * 100.0
    start_day, start = year_end(close, RECORD_YEAR)
    end_day, end = year_end(close, RANGE_LAST_YEAR)
    lowest, lowest_day, net = pct_change(record, float(span.min())), iso(span.idxmin()), pct_change(start, end)
    figures = [
        Figure("highest_close_vs_record", "Highest 2022-2024 close vs the record close",
               pct_change(record, float(span.max())), "%", iso(span.idxmax())),
        Figure("lowest_close", "Lowest 2022-2024 close", float(span.min()), "points", lowest_day),
        Figure("lowest_close_vs_record", "Lowest 2022-2024 close vs the record close", lowest, "%", lowest_day),
        Figure("lowest_low_vs_record", "Lowest 2022-2024 intraday low vs the record close",
               pct_change(record, float(lows.min())), "%", iso(lows.idxmin())),
        Figure("median_close_vs_record", "Median 2022-2024 close vs the record close", float(below.median()), "%"),
        Figure("net_change", "2021 year-end close to 2024 year-end close", net, "%", iso(end_day),
               note=f"from {iso(start_day)}"),
        Figure("trading_days", "Trading days in 2022-2024", int(span.size), "trading days"),
    ]
    for pct in BELOW_THRESHOLDS:
        share = float((below < -pct).mean() * 100.0)
        figures.append(Figure(f"share_more_than_{pct}pct_below", f"Share of 2022-2024 days closing more than "
                              f"{pct}% below the record", share, "%"))
    return Reading(
        "range_2022_2024", "'Sideways' read as: no close above the record in 2022-2024 (the range below it)",
        tuple(figures), "highest_close_vs_record", bool(span.max() <= record),
        explanation=f"Net change from the end of {RECORD_YEAR} to the end of {RANGE_LAST_YEAR}: {net:+.1f}%; "
                    f"but the lowest close was {abs(lowest):.1f}% below the record ({lowest_day}), so the "
                    "'sideways' years were a round trip rather than a narrow range.")


def weekly_bars(rut: pd.DataFrame, start: str) -> pd.DataFrame:
    """One row per week from ``start``: the week's last close and highest high, dated by its last session."""
    bars = rut.loc[rut.index >= pd.Timestamp(start), ["close", "high"]]
    weeks = bars.assign(date=bars.index).resample("W-FRI").agg({"date": "last", "close": "last", "high": "max"})
    return weeks.dropna().reset_index(drop=True)[["date", "close", "high"]]


def _evidence(rut: pd.DataFrame, record_close: float, record_high: float) -> pd.DataFrame:
    return weekly_bars(rut, CHART_FROM).assign(record_close=record_close, record_high=record_high)


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    close, high, low = rut["close"], rut["high"], rut["low"]
    record_day, record_close = year_record(close, RECORD_YEAR)
    _, record_high = year_record(high, RECORD_YEAR)
    earlier = close.loc[close.index < record_day]
    readings = [
        _record_reading("close", "Closing record, until the first close above it", close, "close"),
        _record_reading("intraday", "Intraday record, until the first intraday high above it", high,
                        "intraday high"),
        _range_reading(close, low, record_close),
    ]
    return Computation(
        readings, "close", _evidence(rut, record_close, record_high),
        notes=["'Its previous high at the end of 2021' is read as the 2021 record; the closing record is the "
               "primary reading because index records are normally counted on closes.",
               "The intraday reading measures to the first intraday high above the 2021 intraday record "
               "(the break the article dates to November 2024)."],
        context={"record_was_all_time_high": bool(earlier.empty or record_close > float(earlier.max())),
                 "record_in_q4": quarter(record_day) == f"{RECORD_YEAR} Q4"},
    )


def judge(comp: Computation) -> Verdict:
    primary = comp.primary_reading
    # rounded to 9 decimals so float noise cannot move a figure across an inclusive edge
    years = round(float(primary.headline_figure.value), 9)  # type: ignore[arg-type]
    record = comp.figure("record", primary.key)
    broken = comp.figure("first_above", primary.key).value is not None
    in_q4 = bool(comp.context["record_in_q4"])
    if broken and in_q4 and ACCURATE_YEARS[0] <= years <= ACCURATE_YEARS[1]:
        label = "Accurate"
    elif broken and MOSTLY_YEARS[0] <= years <= MOSTLY_YEARS[1]:
        label = "Mostly accurate"
    else:
        label = "Inaccurate"
    until = comp.figure("first_above", primary.key).value or "not yet broken"
    return Verdict(label, f"the {record.label.lower()} {record.value:,.2f} of {record.date} "
                          f"({'Q4' if in_q4 else 'not Q4'} {RECORD_YEAR}) stood {years:.2f} years, until {until}, "
                          f"vs the article's {CLAIMED_YEARS:g} years ({primary.key} reading)")


CLAIM = Claim(
    id="RUT-2021-HIGH",
    order=2,
    title="Three sideways years after the late-2021 high",
    section="Opening",
    quote="moving sideways for three years",
    paraphrase="After setting a high at the end of 2021, the Russell 2000 went nowhere for about three years.",
    article=(ArticleFigure("years", "Years below the previous high", CLAIMED_YEARS, "years",
                           "sideways for three years"),
             ArticleFigure("record_when", "When the previous high was set", "end of 2021", "date",
                           "previous high at the end of 2021")),
    needs=("rut",),
    method="The 2021 record close and record intraday high (with dates); how long each stood, in calendar "
           "years, calendar days and trading days, until the first close (or intraday high) above it; the "
           "2022-2024 closes as % below the record close: highest, lowest, median, and the share of days more "
           "than 10%, 20% and 30% below.",
    compute=compute,
    rule=custom(
        f"Uses the closing record (primary reading). Accurate if the {RECORD_YEAR} record close was set in the "
        f"fourth quarter of {RECORD_YEAR} and stood between {ACCURATE_YEARS[0]:g} and {ACCURATE_YEARS[1]:g} "
        f"years (inclusive) before the first close above it; Mostly accurate if it stood between "
        f"{MOSTLY_YEARS[0]:g} and {MOSTLY_YEARS[1]:g} years (inclusive) but the Accurate conditions are not "
        "both met; Inaccurate otherwise, including when no close above the record exists by the evaluation "
        "date.",
        judge,
    ),
    chart=record_and_range,
    chart_title="Russell 2000 weekly close and high since 2021, against the 2021 records",
)
