"""RUT-FIRST-BREAK: the Russell 2000 first broke its 2021 high "last November", and elsewhere "in November 2024"."""

from __future__ import annotations

import pandas as pd

from generator.charts.rut import first_breaks
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import first_above, iso, pct_change, window
from generator.claimkit.rules import custom
from generator.claimkit.vocabulary import VerdictLabel
from generator.claims.rut_2021_high import RECORD_YEAR, year_record
from generator.formatting import format_day
from generator.market import MarketData

STATEMENTS = (
    ("nov_2025", "'last November' (November 2025, the article being dated January 2026)", "2025-11"),
    ("nov_2024", "'November 2024'", "2024-11"),
)
"""The two dates the article gives for the first break: key, how it is read, the month (YYYY-MM)."""
MEASURES = (("close", "close", "close"), ("intraday", "intraday high", "high"))
"""How a break is measured: key, wording, column of the rut frame."""
CHART_FROM, CHART_TO = "2024-07-01", "2025-12-31"
MOSTLY_MONTHS = 1
"""A first close within this many calendar months of the stated month is Mostly accurate."""


def month(day: pd.Timestamp | None) -> str | None:
    return None if day is None else pd.Timestamp(day).strftime("%Y-%m")


def first_break(series: pd.Series) -> tuple[pd.Timestamp, float, tuple[pd.Timestamp, float] | None]:
    """The 2021 record of ``series`` (date, level) and the first later value above it (or None)."""
    day, level = year_record(series, RECORD_YEAR)
    return day, level, first_above(series, level, after=day)


def _best_in_month(series: pd.Series, stated: str, record: float, what: str) -> tuple[Figure, Figure]:
    part = window(series, f"{stated}-01", pd.Timestamp(f"{stated}-01") + pd.offsets.MonthEnd(0))
    if part.empty:
        none = "no data for that month at the evaluation date"
        return (Figure("best_in_month", f"Highest {what} in {stated}", None, "points", note=none),
                Figure("best_in_month_vs_record", f"Highest {what} in {stated} vs the record", None, "%", note=none))
    day, best = part.idxmax(), float(part.max())
    return (Figure("best_in_month", f"Highest {what} in {stated}", best, "points", iso(day)),
            Figure("best_in_month_vs_record", f"Highest {what} in {stated} vs the record",
                   pct_change(record, best), "%", iso(day)))


def _reading(statement: tuple[str, str, str], measure: tuple[str, str, str], series: pd.Series) -> Reading:
    s_key, s_label, stated = statement
    m_key, what, _ = measure
    record_day, record, broken = first_break(series)
    when = month(broken[0]) if broken else None
    figures = (
        Figure("first_break", f"First {what} above the {RECORD_YEAR} record {what}",
               iso(broken[0]) if broken else None, "date",
               note="" if broken else "no break by the evaluation date"),
        Figure("break_level", f"{what.capitalize()} on that day", broken[1] if broken else None, "points",
               iso(broken[0]) if broken else None),
        Figure("record", f"{RECORD_YEAR} record {what}", record, "points", iso(record_day)),
        Figure("stated_month", "Month the article states", stated, "month"),
        *_best_in_month(series, stated, record, what),
    )
    explanation = (f"The first {what} above the record falls in {when}, "
                   f"{'the' if when == stated else 'not the'} month the article states ({stated})."
                   if when else f"No {what} above the record by the evaluation date.")
    return Reading(f"{m_key}_{s_key}", f"{s_label}, measured on the {what}", figures, "first_break",
                   False, explanation)


def _evidence(rut: pd.DataFrame, breaks: dict[str, tuple[float, tuple[pd.Timestamp, float] | None]]
              ) -> pd.DataFrame:
    end = min(pd.Timestamp(CHART_TO), rut.index[-1])
    frame = window(rut, CHART_FROM, end)[["close", "high"]].copy()
    frame["record_close"] = breaks["close"][0]
    frame["record_high"] = breaks["intraday"][0]
    events: dict[pd.Timestamp, list[str]] = {}
    for key, label in (("close", "first close above"), ("intraday", "first high above")):
        hit = breaks[key][1]
        if hit is not None:
            events.setdefault(hit[0], []).append(f"{label} ({iso(hit[0])})")
    frame["event"] = [" / ".join(events.get(day, [])) for day in frame.index]
    said = {}
    for _, label, stated in STATEMENTS:
        days = frame.index[frame.index.strftime("%Y-%m") == stated]
        if len(days):
            said[days[0]] = f"the article: {label.split(' (')[0]}"
    frame["article_says"] = [said.get(day, "") for day in frame.index]
    frame.index.name = "date"
    return frame.reset_index()


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    readings = [_reading(statement, measure, rut[measure[2]]) for statement in STATEMENTS for measure in MEASURES]
    breaks = {}
    for key, _, column in MEASURES:
        _, record, broken = first_break(rut[column])
        breaks[key] = (record, broken)
    stated = sorted({s[2] for s in STATEMENTS})
    return Computation(
        readings, "close_nov_2025", _evidence(rut, breaks),
        notes=["The article dates the same event twice, differently: 'last November' in the opening (read as "
               "November 2025, since the article is dated January 2026) and 'November 2024' later on. At most "
               "one of them can be the first break.",
               "Primary reading: the opening's 'last November', with a break counted on the close, the usual "
               "meaning of an index breaking its record."],
        context={"first_close_month": month(breaks["close"][1][0]) if breaks["close"][1] else None,
                 "first_intraday_month": month(breaks["intraday"][1][0]) if breaks["intraday"][1] else None,
                 "stated_months": ", ".join(stated),
                 "article_dates_agree": len(stated) == 1},
    )


def months_apart(when: str | None, stated: str | None) -> int | None:
    """Calendar months from the stated month to the actual one ('2025-11' to '2025-09' is -2), or None."""
    if not when or not stated:
        return None
    a, b = pd.Period(when, "M"), pd.Period(stated, "M")
    return (a.year - b.year) * 12 + (a.month - b.month)


def _break_month(reading: Reading) -> tuple[str | None, str | None]:
    """The month of the reading's first break and the month the article states."""
    figures = {f.key: f.value for f in reading.figures}
    first, stated = figures.get("first_break"), figures.get("stated_month")
    return (month(pd.Timestamp(str(first))) if first else None), (str(stated) if stated else None)


def judge(comp: Computation) -> Verdict:
    primary = comp.primary_reading
    when, stated = _break_month(primary)
    gap = months_apart(when, stated)
    agree = bool(comp.context["article_dates_agree"])
    measure = primary.key.split("_", 1)[0]
    other = next((r for r in comp.readings if _break_month(r)[1] == stated and not r.key.startswith(measure)
                  and r.key != primary.key and "first_break" in {f.key for f in r.figures}), None)
    other_when = _break_month(other)[0] if other is not None else None
    if gap == 0 and agree:
        label: VerdictLabel = "Accurate"
    elif gap == 0 or (gap is not None and abs(gap) <= MOSTLY_MONTHS):
        label = "Mostly accurate"
    elif other_when == stated:
        label = "Misleading"
    else:
        label = "Inaccurate"
    first = comp.figure("first_break", primary.key)
    what = "close" if measure == "close" else "intraday high"
    happened = (f"The first {what} above the {RECORD_YEAR} record came on {format_day(first.value)}"
                if first.value else f"No {what} has yet risen above the {RECORD_YEAR} record")
    return Verdict(label, f"{happened}; the article says {format_month(stated)} here, and elsewhere "
                          f"{' and '.join(format_month(m) for m in str(comp.context['stated_months']).split(', ') if m != stated)}")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces the article's date when its first break falls in the month it states."""
    when, stated = _break_month(reading)
    return None if stated is None else when == stated


def format_month(stated: str | None) -> str:
    return "no date" if not stated else pd.Period(stated, "M").strftime("%B %Y")


def finding(comp: Computation) -> str:
    close = comp.figure("first_break", "close_nov_2025")
    high = comp.figure("first_break", "intraday_nov_2025")
    close_part = (f"first closed above its {RECORD_YEAR} record on {format_day(close.value)}" if close.value
                  else f"had not closed above its {RECORD_YEAR} record")
    high_part = (f"first traded above its {RECORD_YEAR} intraday high on {format_day(high.value)}" if high.value
                 else f"had not traded above its {RECORD_YEAR} intraday high")
    high_month = month(pd.Timestamp(str(high.value))) if high.value else None
    best = comp.figure("best_in_month_vs_record", "close_nov_2024") if high_month == "2024-11" else None
    closed_below = (f" but its best close that month was {abs(float(best.value)):.2f}% short of the record close"
                    if best is not None and isinstance(best.value, float) and best.value < 0 else "")
    return (f"The Russell 2000 {close_part}, not in November 2025 as the opening says; it {high_part}, the month "
            f"the later passage gives,{closed_below}." if closed_below else
            f"The Russell 2000 {close_part} and {high_part}; the article gives November 2025 and November 2024.")


CLAIM = Claim(
    id="RUT-FIRST-BREAK",
    order=3,
    title="When the Russell 2000 first broke its 2021 high",
    section="Opening",
    quote="breaking through for the first time last November",
    paraphrase="The index first rose above its 2021 record in November; the article puts that November in 2025 "
               "in one place and in 2024 in another.",
    article=(ArticleFigure("break_opening", "First break (opening)", "2025-11", "month", "last November"),
             ArticleFigure("break_later", "First break (later passage)", "2024-11", "month",
                           "Looking back to November 2024")),
    needs=("rut",),
    method="The 2021 record close and record intraday high; the first later close above the record close and "
           "the first later intraday high above the record high; each compared with both months the article "
           "gives, together with the highest close (or high) of each stated month.",
    compute=compute,
    rule=custom(
        "Uses the opening's 'last November' (November 2025) with a break counted on the close, the usual "
        "meaning of an index breaking its record. Accurate if the first close above the 2021 record close falls "
        "in that month and the article's two dates agree; Mostly accurate if it falls in that month but the "
        f"article elsewhere gives another date, or if it falls within {MOSTLY_MONTHS} calendar month of it; "
        "Misleading if it does not, but the first intraday high above the 2021 intraday record does fall in "
        "that month (the index traded above its record then without closing above it); Inaccurate otherwise. "
        "A reading reproduces the article's date when its first break falls in the month it states. The first "
        "break is a past event, so later data cannot change it.",
        judge, matches,
        summary="Accurate if the first close above the 2021 record came in the month the opening gives (November "
                "2025) and the article's dates agree; Mostly accurate within a month; Misleading if only the intraday "
                "high crossed then.",
    ),
    chart=first_breaks,
    chart_title="Russell 2000 daily close and high, July 2024 to December 2025, against the 2021 records",
    finding=finding,
    fixed_in_time=True,
)
