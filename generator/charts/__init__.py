"""Altair charts: one function per chart, all sharing the house theme in :mod:`generator.charts.theme`.

Every function takes the evidence DataFrame of a claim (exactly what is written to the CSV) and returns
a chart spec; rendering to static SVG happens in :mod:`generator.charts.render`.
"""

from generator.charts.library import (
    bar_by_category,
    date_marker,
    lines_by_series,
    price_with_reference,
    publication_marker,
    time_axis,
)

__all__ = ["bar_by_category", "date_marker", "lines_by_series", "price_with_reference", "publication_marker",
           "time_axis"]
