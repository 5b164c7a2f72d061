"""RUT-FIRST-BREAK: the Russell 2000 first broke its 2021 high "last November", and elsewhere "in November 2024"."""

from __future__ import annotations

import pandas as pd

from generator.charts.rut import first_breaks
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import first_above, iso, pct_change, window
from generator.claimkit.rules import custom
from generator.claims.rut_2021_high import RECORD_YEAR, year_record
from generator.market import MarketData

STATEMENTS = (
    ("nov_2025", "'last November' (November 2025, the article being dated January 2026)", "2025-11"),
    ("nov_2024", "'November 2024'", "2024-11"),
)
"""The two dates the article gives for the first break: key, how it is read, the month (YYYY-MM)."""
MEASURES = (("close", "close", "close"), ("intraday", "intraday high", "high"))
"""How a break is measured: key, wording, column of the rut frame."""
CHART_FROM, CHART_TO = "2024-07-01", "2025-12-31"


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
                   when == stated, explanation)


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


def judge(comp: Computation) -> Verdict:
    stated = str(comp.context["stated_months"]).split(", ")
    close_month, intraday_month = comp.context["first_close_month"], comp.context["first_intraday_month"]
    agree = bool(comp.context["article_dates_agree"])
    if close_month in stated and agree:
        label = "Accurate"
    elif close_month in stated:
        label = "Mostly accurate"
    elif intraday_month in stated:
        label = "Misleading"
    else:
        label = "Inaccurate"
    return Verdict(label, f"first close above the {RECORD_YEAR} record close in {close_month or 'none yet'}, "
                          f"first intraday high above the {RECORD_YEAR} intraday record in "
                          f"{intraday_month or 'none yet'}; the article says {' and '.join(stated)}")


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
        "Accurate if the article's dates agree and the first close above the 2021 record close falls in that "
        "month; Mostly accurate if the first close above the record falls in one of the months the article "
        "gives but its dates disagree; Misleading if only the first intraday high above the 2021 intraday "
        "record falls in a month the article gives (the index traded above its record that month but did "
        "not close above it); Inaccurate if neither falls in a month the article gives.",
        judge,
    ),
    chart=first_breaks,
    chart_title="Russell 2000 daily close and high, July 2024 to December 2025, against the 2021 records",
)
