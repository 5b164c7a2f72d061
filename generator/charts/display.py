"""What a chart draws and what its Table tab lists, when a claim's evidence is long.

The CSV always has every row. A chart draws a thinned copy once a table is longer than :data:`DRAW_ALL`
rows: along the dates, each of :data:`COLUMNS` slices of the time range (no wider than a pixel of the plot)
keeps its first and last row and the rows holding the lowest and highest value of every varying number
column (per series, in a long table). A line through those rows covers the same pixels as the line through all
of them, so the picture does not change to the eye (where dozens of rows share a pixel column, the strokes back
and forth inside it are drawn fewer times, so such a line looks a shade lighter). Rows that carry a mark (an event, a record, a breakout, a
label, the end of a window) are always kept. A table without dates, or one still too long after thinning, is
thinned to every n-th row (marked rows kept), so no chart passes :data:`MAX_ROWS` rows to Vega-Lite.

The Table tab lists at most :data:`TABLE_ROWS` rows (those that carry a mark, and others evenly spaced) and says
so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.charts.theme import WIDTH

DRAW_ALL = 4 * WIDTH
"""Tables up to this many rows per series are drawn whole (four rows a pixel column is what thinning keeps)."""
COLUMNS = WIDTH
"""Slices of the time range: the plot is at most this many pixels wide, so a slice is at most a pixel."""
MAX_ROWS = 4500
"""Never more rows than this in a chart's spec (altair refuses more than 5,000 in one dataset)."""
TABLE_ROWS = 250
"""The Table tab lists at most this many rows; the CSV has them all."""
SERIES_MAX = 24
"""A text column with at most this many distinct values, filled on every row, names series (a long table)."""


def _blank(values: pd.Series) -> pd.Series:
    """True where a column holds nothing: NaN/NaT, '' or False."""
    if pd.api.types.is_bool_dtype(values):
        return ~values.astype(bool)
    blank = values.isna()
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)):
        blank |= values.astype(str).str.strip().isin(["", "False", "false", "nan", "None", "NaT"])
    return blank


def roles(frame: pd.DataFrame, date: str = "date") -> tuple[list[str], list[str], list[str]]:
    """(series columns, marker columns, varying number columns) of an evidence table."""
    series, markers, numbers = [], [], []
    for name in frame.columns:
        if name == date:
            continue
        col = frame[name]
        if pd.api.types.is_bool_dtype(col):
            markers.append(name)
        elif pd.api.types.is_numeric_dtype(col):
            if col.nunique(dropna=True) > 1:
                numbers.append(name)
        else:
            blank = _blank(col)
            if blank.any():
                if not blank.all():
                    markers.append(name)
            elif col.nunique() <= SERIES_MAX:
                series.append(name)
    return series, markers, numbers


def _marked(frame: pd.DataFrame, markers: list[str]) -> np.ndarray:
    keep = np.zeros(len(frame), dtype=bool)
    for name in markers:
        keep |= ~_blank(frame[name]).to_numpy()
    return keep


def _pixel_extremes(frame: pd.DataFrame, date: str, numbers: list[str], series: list[str],
                    extremes_only: bool) -> np.ndarray:
    """Rows that are first, last, lowest or highest (of each number column) in their slice of the time range,
    per series; ``extremes_only``: lowest and highest only (and each series' first and last row)."""
    keep = np.zeros(len(frame), dtype=bool)
    when = pd.to_datetime(frame[date]).to_numpy().astype("datetime64[ns]").astype(np.int64)
    start, stop = when.min(), when.max()
    column = np.minimum(((when - start) / max(stop - start, 1) * COLUMNS).astype(np.int64), COLUMNS - 1)
    groups = frame.groupby(series, sort=False).indices.values() if series else [np.arange(len(frame))]
    for rows in groups:
        rows = np.asarray(rows)
        rows = rows[np.argsort(when[rows], kind="stable")]
        slices = column[rows]
        if not extremes_only:
            order = pd.Series(np.arange(len(rows))).groupby(slices)
            keep[rows[order.first().to_numpy()]] = True
            keep[rows[order.last().to_numpy()]] = True
        for name in numbers:
            values = pd.Series(frame[name].to_numpy()[rows], dtype=float)
            present = values.notna().to_numpy()
            if not present.any():
                continue
            grouped = values[present].groupby(slices[present])
            for pick in (grouped.idxmin, grouped.idxmax):
                keep[rows[pick().to_numpy()]] = True
        keep[rows[0]] = keep[rows[-1]] = True
    return keep


def _every_nth(count: int, target: int) -> np.ndarray:
    """``target`` row numbers evenly spread over ``count`` rows, first and last included."""
    if count <= target:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, target).round().astype(int))


def for_chart(frame: pd.DataFrame, date: str = "date") -> pd.DataFrame:
    """The rows a chart draws: all of them when the table is short, else a thinned copy (see the module)."""
    series, markers, numbers = roles(frame, date)
    groups = frame.groupby(series, sort=False).ngroups if series else 1
    if len(frame) <= DRAW_ALL * max(groups, 1) and len(frame) <= MAX_ROWS:
        return frame
    marked = _marked(frame, markers)
    keep = None
    if date in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[date]):
        for extremes_only in (False, True):
            keep = _pixel_extremes(frame, date, numbers, series, extremes_only) | marked
            if keep.sum() <= MAX_ROWS:
                break
    if keep is None or keep.sum() > MAX_ROWS:
        budget = max(MAX_ROWS - int(marked.sum()), 2)
        keep = marked.copy()
        keep[_every_nth(len(frame), budget)] = True
    return frame.iloc[np.flatnonzero(keep)].reset_index(drop=True)


def for_table(frame: pd.DataFrame, date: str = "date") -> tuple[pd.DataFrame, str]:
    """The rows the Table tab lists, and how they were chosen (for its caption): all of them up to
    :data:`TABLE_ROWS`; else the rows that carry a mark (at most half the table) and others evenly spaced."""
    if len(frame) <= TABLE_ROWS:
        return frame, ""
    _, markers, _ = roles(frame, date)
    marked = np.flatnonzero(_marked(frame, markers))
    if len(marked) > TABLE_ROWS // 2:
        marked = marked[_every_nth(len(marked), TABLE_ROWS // 2)]
    keep = set(marked.tolist())
    spread = TABLE_ROWS - len(keep)
    while True:
        rows = sorted(keep | set(_every_nth(len(frame), spread).tolist()))
        if len(rows) <= TABLE_ROWS:
            break
        spread -= len(rows) - TABLE_ROWS
    how = "the rows that mark an event and others evenly spaced" if len(marked) else "evenly spaced"
    return frame.iloc[rows].reset_index(drop=True), how
