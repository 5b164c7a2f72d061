"""The house look: one place for fonts, colours and sizes."""

from __future__ import annotations

from typing import Any

INK = "#1f2933"
MUTED = "#6b7280"
ACCENT = "#c2410c"
PALETTE = ["#1d4ed8", "#c2410c", "#047857", "#7c3aed", "#b45309", "#be185d", "#0e7490", "#4d7c0f"]
WIDTH, HEIGHT = 640, 300
NARROW_WIDTH = 250
"""Plot width of the narrow rendering: with its axes it fits a 360 px phone at its natural size."""


def config() -> dict[str, Any]:
    """A Vega-Lite ``config`` block applied to every chart."""
    font = "Helvetica, Arial, sans-serif"
    return {
        "font": font,
        "background": "white",
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "title": {"font": font, "fontSize": 14, "fontWeight": 600, "color": INK, "anchor": "start"},
        "axis": {"labelColor": MUTED, "titleColor": INK, "gridColor": "#e5e7eb", "domainColor": "#9ca3af",
                 "labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": 500},
        "legend": {"labelColor": INK, "titleColor": INK, "orient": "top", "labelFontSize": 11},
        "range": {"category": PALETTE},
        "line": {"strokeWidth": 1.6},
    }
