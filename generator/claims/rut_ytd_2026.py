"""RUT-YTD-2026: three weeks into 2026 the Russell 2000 is up 9% and broke through 2,700."""

from __future__ import annotations

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.calendars import last_visible_day
from generator.catalog import spec
from generator.charts.rut import year_to_date_levels
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import first_above, iso, on_or_before, pct_change, window, year_end
from generator.claimkit.rules import band, custom, reading_value
from generator.formatting import format_day, format_value
from generator.market import MarketData

CLAIMED_RETURN = 9.0
LEVEL = 2700.0
ACCURATE_PP, MOSTLY_PP = 1.0, 2.5
CHART_FROM = "2025-10-01"


def article_day() -> pd.Timestamp:
    """The last Russell 2000 close the article could have seen (the window 'three weeks into 2026' ends there)."""
    return pd.Timestamp(last_visible_day(spec("rut").calendar, PUBLISHED_AT))


def window_end(data: MarketData, close: pd.Series) -> pd.Timestamp:
    """Where 'three weeks into 2026' ends.

    Data cut at a moment stand for what a writer saw at that moment: the window ends at the last close they
    show (the last close before the article; one close later for the framework's "one more day" reading). On
    the latest, uncut data the window is the article's own: it ends at the last close before the article.
    """
    if data.as_of is not None:
        return close.index[-1]
    return min(article_day(), close.index[-1])


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    close, high = rut["close"], rut["high"]
    base_day, base = year_end(close, 2025)
    anchor = window_end(data, close)
    day, last = on_or_before(close, anchor)
    ytd = window(close, "2026-01-01", anchor)
    peak_day, peak = ytd.idxmax(), float(ytd.max())
    ytd_high = window(high, "2026-01-01", anchor)
    hi_day, hi = ytd_high.idxmax(), float(ytd_high.max())
    first_close = first_above(window(close, "2026-01-01", anchor), LEVEL)
    first_high = first_above(window(high, "2026-01-01", anchor), LEVEL)
    base_fig = Figure("base_close", "2025 year-end close", base, "points", iso(base_day))
    breaks = (
        Figure("first_close_above_2700", "First 2026 close above 2,700",
               iso(first_close[0]) if first_close else None, "date",
               note="" if first_close else "no close above 2,700 by then"),
        Figure("first_high_above_2700", "First 2026 intraday high above 2,700",
               iso(first_high[0]) if first_high else None, "date",
               note="" if first_high else "no intraday high above 2,700 by then"),
    )
    readings = [
        Reading("close_at_publication", "Last close before the article",
                (Figure("ytd_return", "Year-to-date return", pct_change(base, last), "%", iso(day)),
                 Figure("close", "Close", last, "points", iso(day)), base_fig, *breaks),
                "ytd_return", False),
        Reading("peak_close", "Highest 2026 close before the article",
                (Figure("ytd_return", "Year-to-date return at the peak close", pct_change(base, peak), "%",
                        iso(peak_day)),
                 Figure("close", "Peak close", peak, "points", iso(peak_day)), base_fig),
                "ytd_return", False),
        Reading("intraday_high", "Highest 2026 intraday level before the article",
                (Figure("ytd_return", "Year-to-date gain at the intraday high", pct_change(base, hi), "%",
                        iso(hi_day)),
                 Figure("high", "Intraday high", hi, "points", iso(hi_day)), base_fig),
                "ytd_return", False),
    ]
    if close.index[-1] > anchor:
        after = close.loc[close.index > anchor]
        next_day, following = after.index[0], float(after.iloc[0])
        readings.append(Reading(
            "next_close", "For context: the first close after the article",
            (Figure("ytd_return", "Year-to-date return", pct_change(base, following), "%", iso(next_day)),
             Figure("close", "Close", following, "points", iso(next_day))),
            "ytd_return", None,
            "The article could not have seen this close; it shows how quickly the figure moved."))
        now_day, now = close.index[-1], float(close.iloc[-1])
        readings.append(Reading(
            "year_to_date_now", "For context: the latest close",
            (Figure("ytd_return", "Year-to-date return", pct_change(base, now), "%", iso(now_day)),
             Figure("close", "Close", now, "points", iso(now_day))),
            "ytd_return", None))
    evidence = rut.loc[rut.index >= pd.Timestamp(CHART_FROM), ["close", "high"]].reset_index()
    evidence["level_2700"] = LEVEL
    evidence["level_up_9pct"] = base * (1 + CLAIMED_RETURN / 100)
    return Computation(
        readings, "close_at_publication", evidence,
        notes=["'Three weeks into 2026' is read as the last close before the article appeared; later closes are "
               "context only."],
        context={"closed_above_2700": first_close is not None, "high_above_2700": first_high is not None},
    )


def judge(comp: Computation) -> Verdict:
    value = comp.number("ytd_return", comp.primary)
    label = band(abs(value - CLAIMED_RETURN), ACCURATE_PP, MOSTLY_PP)
    if not comp.context["high_above_2700"]:
        label = "Inaccurate"
    elif label == "Accurate" and not comp.context["closed_above_2700"]:
        label = "Mostly accurate"
    closed = "had" if comp.context["closed_above_2700"] else "had not"
    return Verdict(label, f"The index was up {format_value(value, '%')} on the year against the article's "
                          f"{CLAIMED_RETURN:g}%, and it {closed} closed above 2,700")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces '9%' when its year-to-date figure is within the Accurate band."""
    value = reading_value(reading, "ytd_return")
    return None if value is None else band(abs(value - CLAIMED_RETURN), ACCURATE_PP, MOSTLY_PP) == "Accurate"


def finding(comp: Computation) -> str:
    ret = comp.figure("ytd_return", comp.primary)
    close = comp.figure("close", comp.primary)
    first = comp.text("first_close_above_2700", comp.primary)
    above = (f"had closed above 2,700 (first on {format_day(first)})" if first
             else "had not yet closed above 2,700")
    return (f"By the last close before the article ({format_day(ret.date)}) the Russell 2000 stood at "
            f"{format_value(close.value, 'points')}, up {format_value(ret.value, '%')} on the year, and {above}.")


CLAIM = Claim(
    id="RUT-YTD-2026",
    order=1,
    title="Russell 2000 up 9% in three weeks, through 2,700",
    section="Opening",
    quote="has risen 9%, breaking through 2700 points",
    paraphrase="By the third week of January 2026 the Russell 2000 had gained about 9% on the year and "
               "moved above 2,700.",
    article=(ArticleFigure("ytd_return", "Year-to-date gain", CLAIMED_RETURN, "%", "risen 9%"),
             ArticleFigure("level", "Level broken", LEVEL, "points", "breaking through 2700 points")),
    needs=("rut",),
    method="Every reading is measured from the 2025 year-end close. The main one ends at the last close the "
           "article could have seen (the close of 22 January 2026, see the methodology page); two others use the "
           "highest 2026 close and the highest intraday level up to that day; also the first 2026 close and "
           "intraday high above 2,700 by then. The claim describes a closed window, the first three weeks of 2026, so later closes cannot change "
           "it; they are shown for context only.",
    compute=compute,
    rule=custom(
        f"Uses the last close before the article. Accurate if the year-to-date return is within {ACCURATE_PP:g} "
        f"percentage point of 9% (inclusive) and the index had closed above 2,700; Mostly accurate if it is "
        f"within {MOSTLY_PP:g} points and the index had at least traded above 2,700 during a session (an "
        "Accurate return without a close above 2,700 is capped at Mostly accurate); Inaccurate otherwise, or "
        "if it had not traded above 2,700 at all. A reading reproduces the article's 9% when its "
        f"year-to-date figure is within {ACCURATE_PP:g} point of it.",
        judge, matches,
        summary=f"Accurate if the gain on the year at the last close before the article is within {ACCURATE_PP:g} "
                f"percentage point of 9% and the index had closed above 2,700; Mostly accurate within "
                f"{MOSTLY_PP:g} points.",
    ),
    chart=year_to_date_levels,
    chart_title="Russell 2000 daily close since October 2025, with 2,700 and the article's 9% gain marked",
    finding=finding,
    fixed_in_time=True,
)
