"""Charts for the macro claims: breakouts and what BTC did next, base rates, rate sensitivity,
correlations and the risk curve.

Each function takes a claim's evidence DataFrame (exactly what is written to its CSV) and only draws it:
fitted lines, markers and groupings come from columns of that frame; nothing is computed here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from generator.charts.library import publication_marker
from generator.charts.theme import HEIGHT, INK, MUTED, PALETTE, WIDTH

OUTCOME_COLORS = {"rally": PALETTE[2], "no rally": PALETTE[1], "pending": PALETTE[3], "no data": MUTED}
OUTCOME_SHAPES = ("triangle-up", "triangle-down", "diamond", "circle")
"""Each outcome also has its own shape, so that colour is not the only thing telling them apart."""


def _time_axis() -> alt.X:
    return alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True))


def breakouts_with_outcomes(df: pd.DataFrame) -> alt.LayerChart:
    """Weekly index closes (log scale) with each breakout marked and coloured by what BTC did next; the
    breakouts with BTC data are labelled (the article's 2016 and 2020 among them) and the last close before
    the article is marked.

    Columns: date, close, breakout (True on breakout rows), btc_outcome ('' on ordinary rows), label.
    """
    line = alt.Chart(df).properties(width=WIDTH, height=HEIGHT).mark_line(color=PALETTE[0]).encode(
        x=_time_axis(),
        y=alt.Y("close:Q", title="Russell 2000 (log scale)", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("close:Q", format=",.2f")],
    )
    marked = alt.Chart(df).transform_filter("datum['breakout'] == true")
    outcome = alt.Color("btc_outcome:N", title="BTC after the breakout", legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(OUTCOME_COLORS), range=list(OUTCOME_COLORS.values())))
    shapes = alt.Shape("btc_outcome:N", title="BTC after the breakout",
                       scale=alt.Scale(domain=list(OUTCOME_COLORS), range=list(OUTCOME_SHAPES)))
    dots = marked.mark_point(filled=True, size=80, opacity=1).encode(
        x=alt.X("date:T"), y=alt.Y("close:Q"), color=outcome, shape=shapes,
        tooltip=[alt.Tooltip("date:T", title="breakout"), alt.Tooltip("close:Q", format=",.2f"),
                 alt.Tooltip("btc_outcome:N", title="BTC")])
    labels = marked.mark_text(align="right", dx=-6, dy=-10, color=MUTED, fontSize=10).encode(
        x=alt.X("date:T"), y=alt.Y("close:Q"), text=alt.Text("label:N"))
    return alt.layer(line, dots, labels, publication_marker())


def rate_comparison(df: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars: a share (in %) for each group, with its sample size in the label.

    Columns: group, kind (colours the bars), share_pct, n, label.
    """
    base = alt.Chart(df).properties(width=WIDTH, height=40 * max(len(df), 1))
    bars = base.mark_bar().encode(
        y=alt.Y("group:N", title=None, sort=None),
        color=alt.Color("kind:N", title=None, sort=None, scale=alt.Scale(range=[MUTED, PALETTE[0]])),
        x=alt.X("share_pct:Q", title="Share followed by a BTC rally (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("share_pct:Q", format=".1f"), alt.Tooltip("n:Q")],
    )
    text = base.mark_text(align="left", dx=4, color=INK).encode(
        y=alt.Y("group:N", sort=None), x=alt.X("share_pct:Q"), text=alt.Text("label:N"))
    return alt.layer(bars, text)


def scatter_with_fits(df: pd.DataFrame) -> alt.LayerChart:
    """Weekly points (x: yield change, y: relative return) with one fitted line per window.

    Columns: date, yield_change_bp, relative_return_pct, window, fit_pct (the fitted value of the row's
    window; a row appears once per window it belongs to).
    """
    base = alt.Chart(df).properties(width=WIDTH, height=HEIGHT)
    color = alt.Color("window:N", title=None)
    # one static dot per week: no tooltip or ARIA label per dot, which would make the SVG heavy
    points = base.mark_circle(size=14, opacity=0.35, aria=False).encode(
        x=alt.X("yield_change_bp:Q", title="Weekly change in the 2-year Treasury yield (bp)"),
        y=alt.Y("relative_return_pct:Q", title="Russell 2000 minus S&P 500, weekly return (pp)"),
        color=color,
    )
    fits = base.mark_line(strokeWidth=2.4).encode(
        x=alt.X("yield_change_bp:Q"), y=alt.Y("fit_pct:Q"), color=color, detail=alt.Detail("window:N"))
    zero = alt.Chart(pd.DataFrame({"v": [0.0]}))
    axes = [zero.mark_rule(color=MUTED, strokeDash=[2, 3]).encode(y=alt.Y("v:Q")),
            zero.mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x=alt.X("v:Q"))]
    return alt.layer(points, fits, *axes)


def rolling_correlations(df: pd.DataFrame) -> alt.LayerChart:
    """Rolling correlation lines (long table) with a zero line and the last close before the article.

    Columns: date, series, correlation.
    """
    lines = alt.Chart(df).properties(width=WIDTH, height=HEIGHT).mark_line().encode(
        x=_time_axis(),
        y=alt.Y("correlation:Q", title="Rolling 90-day correlation with BTC"),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("correlation:Q", format=".2f")],
    )
    zero = alt.Chart(pd.DataFrame({"v": [0.0]})).mark_rule(color=MUTED, strokeDash=[2, 3]).encode(y=alt.Y("v:Q"))
    return alt.layer(lines, zero, publication_marker())


def grouped_returns(df: pd.DataFrame) -> alt.FacetChart:
    """Grouped bars: one group per event, one bar per asset, one panel per horizon.

    Columns: event, horizon, asset, return_pct (rows with no value are left out by the claim).
    """
    assets = list(dict.fromkeys(df["asset"]))
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("event:N", title=None, axis=alt.Axis(labelAngle=-45)),
        xOffset=alt.XOffset("asset:N", sort=assets),
        y=alt.Y("return_pct:Q", title="Return (%)"),
        color=alt.Color("asset:N", title=None, sort=assets),
        tooltip=[alt.Tooltip("event:N"), alt.Tooltip("horizon:N"), alt.Tooltip("asset:N"),
                 alt.Tooltip("return_pct:Q", format=".1f")],
    ).properties(width=WIDTH, height=HEIGHT // 2).facet(
        row=alt.Row("horizon:N", title=None, sort=list(dict.fromkeys(df["horizon"])),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")))

