"""Chart functions. Each builds one declarative spec from a tidy DataFrame; no data is computed here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from generator.charts.theme import ACCENT, HEIGHT, MUTED, PALETTE, WIDTH


def _base(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df).properties(width=WIDTH, height=HEIGHT)


def time_axis(date: str = "date") -> alt.X:
    """The shared time axis: month and year labels, no title."""
    return alt.X(f"{date}:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True))


def date_marker(day: str, label: str) -> alt.LayerChart:
    """A dashed vertical rule with a label, e.g. the article's publication date."""
    df = pd.DataFrame({"date": [pd.Timestamp(day)], "label": [label]})
    rule = alt.Chart(df).mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x=alt.X("date:T"))
    text = alt.Chart(df).mark_text(align="right", baseline="top", dx=-3, dy=2, color=MUTED, fontSize=10).encode(
        x=alt.X("date:T"), y=alt.YValue(0), text=alt.Text("label:N"))
    return alt.layer(rule, text)


def publication_marker(calendar: str = "nyse") -> alt.LayerChart:
    """Marks the publication day the verdict uses: the last bar that had closed when the article appeared
    (2026-01-22 for US closes and for bitcoin's UTC day)."""
    from generator.article import PUBLISHED_AT
    from generator.calendars import last_visible_day

    day = last_visible_day(calendar, PUBLISHED_AT)
    return date_marker(day.isoformat(), f"last close before the article ({day:%-d %b %Y})")


def price_with_reference(
    df: pd.DataFrame, value: str, value_title: str, reference: str | None = None, reference_title: str = "",
    date: str = "date", log: bool = False, mark_publication: bool = True,
) -> alt.LayerChart:
    """A price line, optionally with a horizontal reference level (from a constant column)."""
    y = alt.Y(f"{value}:Q", title=value_title, scale=alt.Scale(type="log" if log else "linear", zero=False))
    line = _base(df).mark_line(color=PALETTE[0]).encode(
        x=time_axis(date), y=y,
        tooltip=[alt.Tooltip(f"{date}:T"), alt.Tooltip(f"{value}:Q", format=",.2f")],
    )
    layers: list[alt.Chart] = [line]
    if reference:
        level = float(df[reference].iloc[0])
        rule_df = pd.DataFrame({"level": [level], "label": [reference_title or f"{level:,.0f}"]})
        rule = alt.Chart(rule_df).mark_rule(color=ACCENT, strokeDash=[5, 4]).encode(y=alt.Y("level:Q"))
        text = alt.Chart(rule_df).mark_text(align="left", dx=4, dy=-6, color=ACCENT).encode(
            y=alt.Y("level:Q"), x=alt.XValue(0), text=alt.Text("label:N"))
        layers += [rule, text]
    if mark_publication:
        layers.append(publication_marker())
    return alt.layer(*layers)


def lines_by_series(
    df: pd.DataFrame, value: str, value_title: str, series: str = "series", date: str = "date",
    log: bool = False, value_format: str = ",.2f",
) -> alt.Chart:
    """Several lines from a long table (date, series, value)."""
    return _base(df).mark_line().encode(
        x=time_axis(date),
        y=alt.Y(f"{value}:Q", title=value_title, scale=alt.Scale(type="log" if log else "linear", zero=False)),
        color=alt.Color(f"{series}:N", title=None),
        tooltip=[alt.Tooltip(f"{date}:T"), alt.Tooltip(f"{series}:N"),
                 alt.Tooltip(f"{value}:Q", format=value_format)],
    )


def bar_by_category(
    df: pd.DataFrame, category: str, value: str, value_title: str, color: str | None = None,
    value_format: str = ",.2f", sort: str | list[str] = "-x",
) -> alt.Chart:
    """Horizontal bars, one per category."""
    encoding = {
        "y": alt.Y(f"{category}:N", title=None, sort=sort),
        "x": alt.X(f"{value}:Q", title=value_title),
        "tooltip": [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=value_format)],
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=None)
    return alt.Chart(df).mark_bar(color=PALETTE[0]).encode(**encoding).properties(width=WIDTH)
