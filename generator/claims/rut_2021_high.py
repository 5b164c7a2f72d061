"""RUT-2021-HIGH: after its previous high at the end of 2021 the Russell 2000 moved sideways for three years."""

from __future__ import annotations

import pandas as pd

from generator.charts.rut import record_and_range
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import first_above, iso, pct_change, window, year_end
from generator.claimkit.rules import custom, reading_value
from generator.claimkit.vocabulary import VerdictLabel
from generator.formatting import format_day, format_value
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
    figures = (Figure("record", f"{RECORD_YEAR} record {what}", level, "points", iso(day)),
               Figure("record_quarter", "Quarter of the record", quarter(day), "quarter"), *durations)
    return Reading(key, label, figures, "stood_years", False)


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
        tuple(figures), "highest_close_vs_record", False,
        explanation=f"Net change from the end of {RECORD_YEAR} to the end of {RANGE_LAST_YEAR}: {net:+.1f}%; "
                    f"but the lowest close was {abs(lowest):.1f}% below the record ({lowest_day}), so the "
                    "'sideways' years were a round trip rather than a narrow range.")


def weekly_bars(rut: pd.DataFrame, start: str) -> pd.DataFrame:
    """One row per week from ``start``: the week's last close and highest high, dated by its last session."""
    bars = rut.loc[rut.index >= pd.Timestamp(start), ["close", "high"]]
    weeks = bars.assign(date=bars.index).resample("W-FRI").agg({"date": "last", "close": "last", "high": "max"})
    return weeks.dropna().reset_index(drop=True)[["date", "close", "high"]]


def _evidence(rut: pd.DataFrame, record_day: pd.Timestamp, record_close: float, record_high: float
              ) -> pd.DataFrame:
    """Weekly bars against the records, with the week the article's three years ran out marked."""
    frame = weekly_bars(rut, CHART_FROM).assign(record_close=record_close, record_high=record_high)
    due = record_day + pd.DateOffset(years=int(CLAIMED_YEARS))
    later = frame.index[frame["date"] >= due]
    frame["article_says"] = ""
    if len(later):
        frame.loc[later[0], "article_says"] = "three years after the 2021 record (the article's figure)"
    return frame


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
        readings, "close", _evidence(rut, record_day, record_close, record_high),
        notes=["'Its previous high at the end of 2021' is read as the 2021 record; the closing record is the "
               "primary reading because index records are normally counted on closes.",
               "The intraday reading measures to the first intraday high above the 2021 intraday record "
               "(the break the article dates to November 2024)."],
        context={"record_was_all_time_high": bool(earlier.empty or record_close > float(earlier.max())),
                 "record_in_q4": quarter(record_day) == f"{RECORD_YEAR} Q4"},
    )


def _label(years: float, broken: bool, in_q4: bool) -> VerdictLabel:
    # rounded to 9 decimals so float noise cannot move a figure across an inclusive edge
    years = round(years, 9)
    if broken and in_q4 and ACCURATE_YEARS[0] <= years <= ACCURATE_YEARS[1]:
        return "Accurate"
    if broken and MOSTLY_YEARS[0] <= years <= MOSTLY_YEARS[1]:
        return "Mostly accurate"
    return "Inaccurate"


def _record_facts(reading: Reading) -> tuple[float, bool, bool]:
    """How long the reading's record stood, whether it was broken, whether it was set in the fourth quarter."""
    figures = {f.key: f for f in reading.figures}
    years = figures["stood_years"].value
    if isinstance(years, bool) or not isinstance(years, int | float):
        raise TypeError(f"reading {reading.key}: how long the record stood is not a number: {years!r}")
    return float(years), figures["first_above"].value is not None, \
        figures["record_quarter"].value == f"{RECORD_YEAR} Q4"


def judge(comp: Computation) -> Verdict:
    primary = comp.primary_reading
    years, broken, in_q4 = _record_facts(primary)
    record = comp.figure("record", primary.key)
    until = comp.text("first_above", primary.key)
    stood = (f"stood {years:.2f} years, until {format_day(until)}" if until
             else f"has stood {years:.2f} years and is not yet broken")
    return Verdict(_label(years, broken, in_q4),
                   f"The {record.label.lower()} of {format_value(record.value, 'points')}, set on "
                   f"{format_day(record.date)}, {stood}, against the article's {CLAIMED_YEARS:g} years")


def matches(reading: Reading) -> bool | None:
    """A record reading reproduces 'three years' when the rule would rate it Accurate; the range reading when no
    2022-2024 close rose above the record (the index stayed below it for those three years)."""
    keys = {f.key for f in reading.figures}
    if "stood_years" in keys:
        return _label(*_record_facts(reading)) == "Accurate"
    value = reading_value(reading, "highest_close_vs_record")
    return None if value is None else round(value, 9) <= 0


def finding(comp: Computation) -> str:
    close_years, _, _ = _record_facts(comp.reading("close"))
    intraday_years, _, _ = _record_facts(comp.reading("intraday"))
    record = comp.figure("record", "close")
    close_until, intraday_until = comp.text("first_above", "close"), comp.text("first_above", "intraday")
    low = comp.figure("lowest_close_vs_record", "range_2022_2024")
    close_part = (f"stood {close_years:.1f} years, until {format_day(close_until)}" if close_until
                  else f"has stood {close_years:.1f} years")
    intraday_part = (f"the intraday record fell after {intraday_years:.1f} years, on {format_day(intraday_until)}"
                     if intraday_until else f"the intraday record has stood {intraday_years:.1f} years")
    return (f"The Russell 2000's 2021 closing record ({format_value(record.value, 'points')} on "
            f"{format_day(record.date)}) {close_part}; {intraday_part}, and in between the index fell as far "
            f"as {abs(float(low.value or 0)):.0f}% below its record.")


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
        "date. A closing or intraday record reading reproduces the article's figure when it meets the Accurate "
        "conditions; the 2022-2024 range reading does when no close in those three years rose above the record. "
        "The claim is about a closed window (the 2021 record and the years after it), so later data cannot "
        "change it.",
        judge, matches,
        summary=f"Accurate if the late-{RECORD_YEAR} record close stood {ACCURATE_YEARS[0]:g} to {ACCURATE_YEARS[1]:g} years "
                f"before a close above it; Mostly accurate at {MOSTLY_YEARS[0]:g} to {MOSTLY_YEARS[1]:g} years.",
    ),
    chart=record_and_range,
    chart_title="Russell 2000 weekly close and high since 2021, against the 2021 records",
    finding=finding,
    fixed_in_time=True,
)
