"""Charts for the claims computed from live datasets: ETF flows and the Russell 2000's constituents.

Each function takes a claim's evidence DataFrame (exactly what is written to its CSV) and only draws it;
reference levels come from constant columns of that frame.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from generator.charts.library import publication_marker, time_axis
from generator.charts.theme import ACCENT, HEIGHT, MUTED, PALETTE, WIDTH

DIRECTION_COLORS = alt.Scale(domain=["inflow", "outflow"], range=[PALETTE[2], PALETTE[1]])


def _zero_rule() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=MUTED).encode(y=alt.Y("zero:Q"))


def cumulative_net_flows(df: pd.DataFrame) -> alt.LayerChart:
    """Running total of estimated net flows, one line per group of funds, in $ billions.

    Columns: date, series, cumulative_usd_bn.
    """
    lines = alt.Chart(df).properties(width=WIDTH, height=HEIGHT).mark_line().encode(
        x=time_axis(),
        y=alt.Y("cumulative_usd_bn:Q", title="Cumulative net flow ($ bn, estimated)"),
        color=alt.Color("series:N", title=None),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"),
                 alt.Tooltip("cumulative_usd_bn:Q", format=",.2f", title="$ bn")],
    )
    return alt.layer(_zero_rule(), lines, publication_marker())


def flows_and_assets(df: pd.DataFrame) -> alt.LayerChart:
    """Cumulative net flows (all funds, GBTC, the others) and total assets, one line each, in $ billions.

    Columns: date, series, measure ('cumulative net flow' or 'assets'), usd_bn. Assets are dashed.
    """
    lines = alt.Chart(df).properties(width=WIDTH, height=HEIGHT).mark_line().encode(
        x=time_axis(),
        y=alt.Y("usd_bn:Q", title="$ bn"),
        color=alt.Color("series:N", title=None),
        strokeDash=alt.StrokeDash("measure:N", title=None,
                                  scale=alt.Scale(domain=["cumulative net flow", "assets"], range=[[1, 0], [5, 3]])),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("usd_bn:Q", format=",.1f", title="$ bn")],
    )
    return alt.layer(_zero_rule(), lines, publication_marker())


def net_flow_by_fund(df: pd.DataFrame) -> alt.LayerChart:
    """One bar per fund of the named list: its estimated net flow over the period, in $ billions.

    Columns: fund, net_flow_usd_bn, direction ('inflow' / 'outflow' / 'no data': those rows are not drawn).
    """
    bars = alt.Chart(df).transform_filter("datum.direction != 'no data'").mark_bar().encode(
        y=alt.Y("fund:N", title=None, sort="x"),
        x=alt.X("net_flow_usd_bn:Q", title="Estimated net flow ($ bn)"),
        color=alt.Color("direction:N", title=None, scale=DIRECTION_COLORS),
        tooltip=[alt.Tooltip("fund:N"), alt.Tooltip("net_flow_usd_bn:Q", format=",.2f", title="$ bn")],
    ).properties(width=WIDTH)
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=MUTED).encode(x=alt.X("zero:Q"))
    return alt.layer(bars, zero)


def market_cap_histogram(df: pd.DataFrame) -> alt.Chart:
    """How many constituents fall in each market-cap bracket; the bracket holding the median is marked.

    Columns: bracket (label), lower_usd, upper_usd, companies, holds_median (bool), median_usd (constant).
    """
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("bracket:N", title="Market cap", sort=alt.SortField("lower_usd")),
        y=alt.Y("companies:Q", title="Constituents"),
        color=alt.condition("datum.holds_median", alt.value(ACCENT), alt.value(PALETTE[0])),
        tooltip=[alt.Tooltip("bracket:N"), alt.Tooltip("companies:Q"),
                 alt.Tooltip("median_usd:Q", format="$,.3s", title="median of all")],
    ).properties(width=WIDTH, height=HEIGHT)


def share_by_reading(df: pd.DataFrame) -> alt.LayerChart:
    """Share of constituents with negative net income under each reading, against the article's figure.

    Columns: reading, share_negative_pct, companies_with_data, article_pct (constant).
    """
    bars = alt.Chart(df).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("reading:N", title=None, sort=None),
        x=alt.X("share_negative_pct:Q", title="Constituents with negative net income (%)",
                scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("reading:N"), alt.Tooltip("share_negative_pct:Q", format=".1f"),
                 alt.Tooltip("companies_with_data:Q")],
    ).properties(width=WIDTH)
    level = float(df["article_pct"].iloc[0])
    marker = pd.DataFrame({"level": [level], "label": [f"article: about {level:g}%"]})
    rule = alt.Chart(marker).mark_rule(color=ACCENT, strokeDash=[5, 4]).encode(x=alt.X("level:Q"))
    text = alt.Chart(marker).mark_text(align="left", dx=4, dy=-4, color=ACCENT, baseline="bottom").encode(
        x=alt.X("level:Q"), y=alt.YValue(0), text=alt.Text("label:N"))
    return alt.layer(bars, rule, text)
