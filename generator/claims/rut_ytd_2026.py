"""RUT-YTD-2026: three weeks into 2026 the Russell 2000 is up 9% and broke through 2,700."""

from __future__ import annotations

import pandas as pd

from generator.article import PUBLICATION_DATE
from generator.charts import price_with_reference
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import first_above, iso, on_or_before, pct_change, window, year_end
from generator.claimkit.rules import band, custom
from generator.market import MarketData

CLAIMED_RETURN = 9.0
LEVEL = 2700.0
ACCURATE_PP, MOSTLY_PP = 1.0, 2.5


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    close, high = rut["close"], rut["high"]
    base_day, base = year_end(close, 2025)
    anchor = min(pd.Timestamp(PUBLICATION_DATE), close.index[-1])
    day, last = on_or_before(close, anchor)
    ytd = window(close, "2026-01-01", anchor)
    peak_day, peak = ytd.idxmax(), float(ytd.max())
    ytd_high = window(high, "2026-01-01", anchor)
    hi_day, hi = ytd_high.idxmax(), float(ytd_high.max())
    first_close = first_above(window(close, "2026-01-01", close.index[-1]), LEVEL)
    first_high = first_above(window(high, "2026-01-01", high.index[-1]), LEVEL)
    base_fig = Figure("base_close", "2025 year-end close", base, "points", iso(base_day))
    breaks = (
        Figure("first_close_above_2700", "First 2026 close above 2,700",
               iso(first_close[0]) if first_close else None, "date",
               note="" if first_close else "no close above 2,700 yet"),
        Figure("first_high_above_2700", "First 2026 intraday high above 2,700",
               iso(first_high[0]) if first_high else None, "date"),
    )
    readings = [
        Reading("close_at_publication", "Close on the publication date vs the 2025 year-end close",
                (Figure("ytd_return", "Year-to-date return", pct_change(base, last), "%", iso(day)),
                 Figure("close", "Close", last, "points", iso(day)), base_fig, *breaks),
                "ytd_return", abs(pct_change(base, last) - CLAIMED_RETURN) <= ACCURATE_PP),
        Reading("peak_close", "Highest 2026 close up to publication vs the 2025 year-end close",
                (Figure("ytd_return", "Year-to-date return at the peak close", pct_change(base, peak), "%",
                        iso(peak_day)),
                 Figure("close", "Peak close", peak, "points", iso(peak_day)), base_fig),
                "ytd_return", abs(pct_change(base, peak) - CLAIMED_RETURN) <= ACCURATE_PP),
        Reading("intraday_high", "Highest 2026 intraday level up to publication vs the 2025 year-end close",
                (Figure("ytd_return", "Year-to-date gain at the intraday high", pct_change(base, hi), "%",
                        iso(hi_day)),
                 Figure("high", "Intraday high", hi, "points", iso(hi_day)), base_fig),
                "ytd_return", abs(pct_change(base, hi) - CLAIMED_RETURN) <= ACCURATE_PP),
    ]
    if close.index[-1] > pd.Timestamp(PUBLICATION_DATE):
        now_day, now = close.index[-1], float(close.iloc[-1])
        readings.append(Reading(
            "year_to_date_now", "For context: year to date at the latest close (not the article's window)",
            (Figure("ytd_return", "Year-to-date return", pct_change(base, now), "%", iso(now_day)),
             Figure("close", "Close", now, "points", iso(now_day))),
            "ytd_return", None))
    chart_from = pd.Timestamp("2025-10-01")
    evidence = rut.loc[rut.index >= chart_from, ["close", "high"]].reset_index()
    evidence["reference"] = LEVEL
    return Computation(
        readings, "close_at_publication", evidence,
        notes=["'Three weeks into 2026' is read as the close of 2026-01-23, the publication date; "
               "later data are shown for context only."],
        context={"closed_above_2700": first_close is not None and first_close[0] <= anchor,
                 "high_above_2700": first_high is not None and first_high[0] <= anchor},
    )


def judge(comp: Computation) -> Verdict:
    value = float(comp.figure("ytd_return", comp.primary).value)  # type: ignore[arg-type]
    label = band(abs(value - CLAIMED_RETURN), ACCURATE_PP, MOSTLY_PP)
    if not comp.context["high_above_2700"]:
        label = "Inaccurate"
    elif label == "Accurate" and not comp.context["closed_above_2700"]:
        label = "Mostly accurate"
    return Verdict(label, f"up {value:.2f}% vs the article's {CLAIMED_RETURN:g}%; "
                          f"closed above 2,700: {'yes' if comp.context['closed_above_2700'] else 'no'}")


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
    method="Return from the last 2025 close to the close on or before 2026-01-23, with two other readings "
           "(the highest 2026 close and the highest intraday level up to that day); the first 2026 close and "
           "intraday high above 2,700.",
    compute=compute,
    rule=custom(
        f"Accurate if the year-to-date return at the 2026-01-23 close is within {ACCURATE_PP:g} percentage "
        f"point of 9% and the index had closed above 2,700; Mostly accurate if within {MOSTLY_PP:g} points "
        "and it had at least traded above 2,700 intraday (an Accurate return without a close above 2,700 "
        "is capped at Mostly accurate); Inaccurate otherwise, or if it had not traded above 2,700 at all.",
        judge,
    ),
    chart=lambda df: price_with_reference(df, "close", "Russell 2000 close", "reference", "2,700"),
    chart_title="Russell 2000 daily close since October 2025, with the 2,700 level",
)
