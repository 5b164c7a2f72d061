"""Altair charts: one function per chart, all sharing the house theme in :mod:`generator.charts.theme`.

Every function takes the evidence DataFrame of a claim (exactly what is written to the CSV) and returns a chart
spec (:mod:`generator.charts.library`, :mod:`~generator.charts.rut`, :mod:`~generator.charts.btc`, ...);
:mod:`generator.charts.render` turns a spec into the page's renderings and :mod:`generator.charts.drawing` draws
them. This package imports nothing itself, so that a drawing process loads vl-convert and no more.
"""
