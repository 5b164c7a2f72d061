"""Charts for the Bitcoin claims. Each takes a claim's evidence table (exactly its CSV) and returns a spec."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from generator.charts.library import price_with_reference, publication_marker, time_axis
from generator.charts.theme import ACCENT, HEIGHT, INK, MUTED, PALETTE, WIDTH


def _event_marks(df: pd.DataFrame, value: str, date: str = "date", event: str = "event") -> list[alt.Chart]:
    """Dots and labels on the rows whose ``event`` column is filled in, at the height of column ``value``.
    Halving labels go below the line, the others above, so that nearby events stay readable."""
    marked = df.loc[df[event].fillna("") != ""]
    base = alt.Chart(marked).encode(x=alt.X(f"{date}:T"), y=alt.Y(f"{value}:Q"))
    dots = base.mark_point(color=ACCENT, filled=True, size=45).encode(
        tooltip=[alt.Tooltip(f"{date}:T"), alt.Tooltip(f"{event}:N"), alt.Tooltip(f"{value}:Q", format=",.2f")])
    is_halving = f"indexof(datum['{event}'], 'halving') == 0"
    # labels in the right half of the chart run leftwards, so that none runs off the picture's right edge
    middle = df[date].min() + (df[date].max() - df[date].min()) / 2
    late = f"time(datum['{date}']) >= {int(pd.Timestamp(middle).timestamp() * 1000)}"
    layers = [dots]
    for which, dy in ((f"!({is_halving})", -8), (is_halving, 12)):
        for side, align, dx in ((f"!({late})", "left", 6), (late, "right", -6)):
            layers.append(base.transform_filter(f"({which}) && ({side})").mark_text(
                align=align, dx=dx, dy=dy, color=INK, fontSize=10).encode(text=alt.Text(f"{event}:N")))
    return layers


def level_marks(levels: Sequence[tuple[float, str]], field: str = "level",
                orient: str = "horizontal") -> list[alt.Chart]:
    """Dashed rules with labels at fixed values (the article's figures): horizontal on the y scale, or
    vertical on the x scale with ``orient="vertical"``."""
    if not levels:
        return []
    df = pd.DataFrame({field: [v for v, _ in levels], "label": [t for _, t in levels]})
    vertical = orient == "vertical"
    channel = alt.X(f"{field}:Q") if vertical else alt.Y(f"{field}:Q")
    rule = alt.Chart(df).mark_rule(color=ACCENT, strokeDash=[5, 4], opacity=0.8).encode(channel)
    text = alt.Chart(df).mark_text(align="left", dx=4, dy=-6 if not vertical else 10, color=ACCENT,
                                   fontSize=10).encode(
        channel, text=alt.Text("label:N"), **({"y": alt.YValue(0)} if vertical else {"x": alt.XValue(0)}))
    return [rule, text]


def price_with_events(df: pd.DataFrame, value: str, value_title: str, reference: str | None = None,
                      reference_title: str = "", log: bool = False, second: str | None = None,
                      event_value: str | None = None, mark_publication: bool = True,
                      levels: Sequence[tuple[float, str]] = (), second_title: str = "intraday high"
                      ) -> alt.LayerChart:
    """A price line with labelled dots at the dated events of the claim (column ``event``).

    ``second``: another price column drawn as a faint line (e.g. the intraday high); ``event_value``: the
    column giving each event dot's height (default: ``value``); ``levels``: further fixed prices to mark
    (value, label), such as the article's figures.
    """
    line = price_with_reference(df, value, value_title, reference, reference_title, log=log,
                                mark_publication=mark_publication)
    layers: list[alt.TopLevelMixin] = [line, *level_marks(levels)]
    if second:
        # a second colour, a thin solid line and its name at the right end: a faint dashed copy of the first
        # line could not be told apart from it
        layers.append(alt.Chart(df).mark_line(color=PALETTE[4], strokeWidth=1).encode(
            x=time_axis(), y=alt.Y(f"{second}:Q"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip(f"{second}:Q", format=",.2f", title=second_title)]))
        last = df.loc[[df["date"].idxmax()]].assign(name=second_title)
        layers.append(alt.Chart(last).mark_text(color=PALETTE[4], align="right", dy=-10, fontSize=11).encode(
            x=alt.X("date:T"), y=alt.Y(f"{second}:Q"), text=alt.Text("name:N")))
    chart = alt.layer(*layers, *_event_marks(df, event_value or value))
    if df["date"].max() - df["date"].min() < pd.Timedelta(days=400):
        chart = chart.configure_axisX(tickCount={"interval": "month", "step": 1})  # one label a month
    return chart


def multiples_since_halving(df: pd.DataFrame, levels: Sequence[tuple[float, str]] = (),
                            publication_days: int | None = None) -> alt.LayerChart:
    """BTC price as a multiple of its price at each halving, by days since that halving (log scale).

    ``levels``: multiples to mark (the article's figures); ``publication_days``: the days from the latest
    halving to the last close before the article, marked as a vertical rule."""
    lines = alt.Chart(df).mark_line().encode(
        x=alt.X("days_since_halving:Q", title="Days since the halving"),
        y=alt.Y("multiple:Q", title="Price / price at the halving (log)", scale=alt.Scale(type="log")),
        color=alt.Color("cycle:N", title=None),
        tooltip=[alt.Tooltip("cycle:N"), alt.Tooltip("date:T"), alt.Tooltip("days_since_halving:Q"),
                 alt.Tooltip("multiple:Q", format=",.2f")],
    ).properties(width=WIDTH, height=HEIGHT)
    layers: list[alt.Chart] = [lines, *level_marks(levels)]
    if publication_days is not None:
        marker = pd.DataFrame({"days": [publication_days], "label": ["last close before the article"]})
        layers.append(alt.Chart(marker).mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x=alt.X("days:Q")))
        layers.append(alt.Chart(marker).mark_text(align="right", baseline="top", dx=-4, dy=2, color=MUTED,
                                                  fontSize=10).encode(x=alt.X("days:Q"), y=alt.YValue(0),
                                                                      text=alt.Text("label:N")))
    return alt.layer(*layers)


def volatility_by_period(df: pd.DataFrame) -> alt.LayerChart:
    """Rolling annualised volatility, coloured by period (before / after the spot ETFs), with the realised
    volatility of each compared window drawn as a labelled level across that window (rows with a
    ``window_end``) and the last close before the article marked."""
    rolling = alt.Chart(df).transform_filter("!isValid(datum.window_end)")
    line = rolling.mark_line(point=alt.OverlayMarkDef(size=12)).encode(
        x=time_axis(),
        y=alt.Y("volatility_90d_pct:Q", title="90-day realised volatility, annualised (%)"),
        color=alt.Color("period:N", title=None, sort=None, legend=alt.Legend(labelLimit=0, orient="bottom"),
                        scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("period:N"),
                 alt.Tooltip("volatility_90d_pct:Q", format=".1f")],
    ).properties(width=WIDTH, height=HEIGHT)
    windows = alt.Chart(df).transform_filter("isValid(datum.window_end)")
    levels = windows.mark_rule(color=INK, strokeWidth=2).encode(
        x=alt.X("date:T"), x2=alt.X2("window_end:T"), y=alt.Y("volatility_90d_pct:Q"),
        tooltip=[alt.Tooltip("period:N"), alt.Tooltip("volatility_90d_pct:Q", format=".1f")])
    labels = windows.mark_text(align="left", dy=-6, color=INK, fontSize=10).encode(
        x=alt.X("date:T"), y=alt.Y("volatility_90d_pct:Q"), text=alt.Text("volatility_90d_pct:Q", format=".0f"))
    return alt.layer(line, levels, labels, publication_marker())


def schedule_with_events(df: pd.DataFrame, value: str, value_title: str, log: bool = False,
                         levels: Sequence[tuple[float, str]] = ()) -> alt.LayerChart:
    """A quantity from the issuance schedule over time, with the halvings labelled and ``levels`` (value,
    label) marked, such as the article's figures."""
    line = alt.Chart(df).mark_line(color=PALETTE[0]).encode(
        x=time_axis(),
        y=alt.Y(f"{value}:Q", title=value_title, scale=alt.Scale(type="log" if log else "linear", zero=False)),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("height_estimate:Q", format=",d"),
                 alt.Tooltip(f"{value}:Q", format=",.3f")],
    ).properties(width=WIDTH, height=HEIGHT)
    return alt.layer(line, *level_marks(levels), *_event_marks(df, value), publication_marker())
