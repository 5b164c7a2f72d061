"""Russell 2000 charts for the record, breakout, 2025-return and price-discovery claims.

Each function takes a claim's evidence DataFrame (exactly what is written to its CSV) and only draws it:
reference levels and markers come from columns of that frame, nothing is computed here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from generator.charts.library import publication_marker
from generator.charts.theme import ACCENT, HEIGHT, MUTED, PALETTE, WIDTH

LEGEND = alt.Legend(orient="bottom")
"""Legends sit under the plot, so labels of markers at the right edge (the last close before the article) stay
readable."""


def _time_axis(monthly: bool = False) -> alt.X:
    """Dates labelled month and year; ``monthly`` puts one tick on each month (for spans under two years)."""
    ticks = {"tickCount": {"interval": "month", "step": 1}} if monthly else {}
    return alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True, **ticks))


def _level_lines(df: pd.DataFrame, columns: dict[str, str], title: str, monthly: bool = False) -> alt.Chart:
    """Lines for several wide columns (column -> legend label), folded declaratively into one layer."""
    return (
        alt.Chart(df).properties(width=WIDTH, height=HEIGHT)
        .transform_calculate(**{label: f"datum['{col}']" for col, label in columns.items()})
        .transform_fold(list(columns.values()), as_=["series", "level"])
        .mark_line()
        .encode(
            x=_time_axis(monthly),
            y=alt.Y("level:Q", title=title, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, legend=LEGEND,
                            scale=alt.Scale(domain=list(columns.values()), range=[PALETTE[0], PALETTE[2]])),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("level:Q", format=",.2f")],
        )
    )


def _reference(df: pd.DataFrame, column: str, label: str, dash: tuple[int, int] = (5, 4), below: bool = False
               ) -> list[alt.Chart]:
    """A dashed horizontal rule at the (constant) level held in ``column``, with a text label."""
    level = float(df[column].iloc[0])
    rule_df = pd.DataFrame({"level": [level], "label": [f"{label} {level:,.2f}"]})
    rule = alt.Chart(rule_df).mark_rule(color=ACCENT, strokeDash=list(dash)).encode(y=alt.Y("level:Q"))
    text = alt.Chart(rule_df).mark_text(align="left", dx=4, dy=12 if below else -6, color=ACCENT).encode(
        y=alt.Y("level:Q"), x=alt.XValue(0), text=alt.Text("label:N"))
    return [rule, text]


def _event_points(df: pd.DataFrame, value: str, event: str = "event", below: bool = False) -> list[alt.Chart]:
    """A dot and a label on every row whose ``event`` column is not empty."""
    marked = alt.Chart(df).transform_filter(f"datum['{event}'] != ''")
    dots = marked.mark_point(color=ACCENT, filled=True, size=60).encode(
        x=alt.X("date:T"), y=alt.Y(f"{value}:Q"),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip(f"{event}:N"), alt.Tooltip(f"{value}:Q", format=",.2f")])
    if below:
        labels = [marked.mark_text(color=ACCENT, fontWeight="bold", align="right", dx=-8, dy=16).encode(
            x=alt.X("date:T"), y=alt.Y(f"{value}:Q"), text=alt.Text(f"{event}:N"))]
    else:
        # labels run towards the middle of the chart and sit at two heights, so that two events a few months
        # apart do not print over each other on a narrow screen
        middle = pd.Timestamp(df["date"].min()) + (pd.Timestamp(df["date"].max()) - pd.Timestamp(df["date"].min())) / 2
        cut = f"time(datum['date']) < {int(middle.timestamp() * 1000)}"
        labels = [
            marked.transform_filter(cut).mark_text(color=ACCENT, fontWeight="bold", align="left", dx=-4, dy=-34)
            .encode(x=alt.X("date:T"), y=alt.Y(f"{value}:Q"), text=alt.Text(f"{event}:N")),
            marked.transform_filter(f"!({cut})").mark_text(color=ACCENT, fontWeight="bold", align="right", dx=4,
                                                           dy=-18)
            .encode(x=alt.X("date:T"), y=alt.Y(f"{value}:Q"), text=alt.Text(f"{event}:N")),
        ]
    return [dots, *labels]


def year_to_date_levels(df: pd.DataFrame) -> alt.LayerChart:
    """Daily close with the 2,700 level, the level of the article's year-to-date gain, and the last close the
    article could have seen.

    Columns: date, close, high, level_2700, level_up_9pct.
    """
    lines = _level_lines(df, {"close": "Daily close"}, "Russell 2000", monthly=True)
    return alt.layer(lines, *_reference(df, "level_2700", "the article's level:", below=True),
                     *_reference(df, "level_up_9pct", "up 9% on the year (the article's figure):", dash=(2, 3)),
                     publication_marker())


def record_and_range(df: pd.DataFrame) -> alt.LayerChart:
    """Weekly close and weekly high since 2021 against the 2021 record close and record intraday high.

    Columns: date, close, high, record_close, record_high, optionally article_says (a label on the week to mark).
    """
    lines = _level_lines(df, {"close": "Weekly close", "high": "Weekly intraday high"}, "Russell 2000")
    marks = _day_rules(df, "article_says") if "article_says" in df else []
    return alt.layer(lines, *_reference(df, "record_close", "2021 record close", below=True),
                     *_reference(df, "record_high", "2021 record high", dash=(2, 3)), *marks, publication_marker())


def first_breaks(df: pd.DataFrame) -> alt.LayerChart:
    """Daily close and high against the 2021 records, with the first close and first high above them marked.

    Columns: date, close, high, record_close, record_high, event ('' on ordinary days), optionally article_says
    (the month the article gives, on the first session of that month).
    """
    lines = _level_lines(df, {"close": "Daily close", "high": "Daily intraday high"}, "Russell 2000", monthly=True)
    layers = [lines, *_reference(df, "record_close", "2021 record close", below=True),
              *_reference(df, "record_high", "2021 record high", dash=(2, 3)), *_event_points(df, "high")]
    if "article_says" in df:
        layers += _day_rules(df, "article_says")
    return alt.layer(*layers, publication_marker())


def _day_rules(df: pd.DataFrame, column: str) -> list[alt.Chart]:
    """A dotted vertical rule, labelled with the text in ``column``, on every row where that text is not empty."""
    marked = alt.Chart(df).transform_filter(f"datum['{column}'] != ''")
    rule = marked.mark_rule(color=ACCENT, strokeDash=[1, 3]).encode(x=alt.X("date:T"))
    text = marked.mark_text(align="left", baseline="bottom", dx=3, color=ACCENT, fontSize=10).encode(
        x=alt.X("date:T"), y=alt.YValue(HEIGHT), text=alt.Text(f"{column}:N"))
    return [rule, text]


def rebased_with_events(df: pd.DataFrame) -> alt.LayerChart:
    """Lines rebased to 100 at the start (long table), with marked events on the rows that carry one.

    Columns: date, series, value, event ('' on ordinary rows), optionally claimed_level (a constant level to
    mark, e.g. the article's figure on the same scale).
    """
    lines = alt.Chart(df).properties(width=WIDTH, height=HEIGHT).mark_line().encode(
        x=_time_axis(monthly=True),
        y=alt.Y("value:Q", title="Rebased, 2024 year-end = 100", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=None, legend=LEGEND),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("value:Q", format=",.1f")],
    )
    base = pd.DataFrame({"value": [100.0]})
    start = alt.Chart(base).mark_rule(color=MUTED, strokeDash=[2, 3]).encode(y=alt.Y("value:Q"))
    claimed = _reference(df, "claimed_level", "the article's 'over 40%' (rebased):") if "claimed_level" in df else []
    return alt.layer(lines, start, *claimed, *_event_points(df, "value", below=True), publication_marker())


def closes_with_running_record(df: pd.DataFrame) -> alt.LayerChart:
    """Daily close with the all-time closing high as it stood each day; record closes marked.

    Columns: date, close, record_close, new_record (True on days that set a record close).
    """
    lines = _level_lines(df, {"close": "Daily close", "record_close": "All-time closing high to date"},
                         "Russell 2000", monthly=True)
    records = alt.Chart(df).transform_filter("datum['new_record'] == true").mark_point(
        color=ACCENT, filled=True, size=40).encode(
        x=alt.X("date:T"), y=alt.Y("close:Q"),
        tooltip=[alt.Tooltip("date:T", title="record close"), alt.Tooltip("close:Q", format=",.2f")])
    return alt.layer(lines, records, publication_marker())
