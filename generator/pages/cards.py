"""A static preview image per claim (1200x630 PNG, for ``og:image``): site name, claim title, both verdicts.

Drawn as a Vega-Lite spec of text and rectangle marks and rendered with vl-convert, like the charts: no
browser, no network, and the same inputs give the same bytes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import vl_convert as vlc

from generator.article import PUBLICATION_DATE
from generator.charts.theme import INK, MUTED

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
FONT = "Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif"
TITLE_CHARS = 34
TITLE_LINES = 3

# The badge colours of site_src/docs/assets/stylesheets/site.css.
VERDICT_COLOURS = {
    "Accurate": "#047857", "Mostly accurate": "#4d7c0f", "Misleading": "#b45309", "Inaccurate": "#b91c1c",
    "Unverifiable": "#6b7280", "Opinion": "#6d28d9", "Needs live data": "#374151",
    "Still holds": "#047857", "Now holds": "#4d7c0f", "No longer holds": "#b45309", "Still does not hold": "#b91c1c",
    "Fixed in time": "#475569", "Not a factual claim": "#6d28d9", "Not computed": "#374151",
}


def title_lines(title: str) -> list[str]:
    """The title wrapped for the card; a title too long for three lines ends with an ellipsis."""
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    if len(lines) > TITLE_LINES:
        lines = lines[:TITLE_LINES]
        lines[-1] = textwrap.shorten(lines[-1] + " …", TITLE_CHARS, placeholder=" …")
    return lines


def _text(x: float, y: float, text: str | list[str], size: int, colour: str = INK, **mark: Any) -> dict[str, Any]:
    return {"mark": {"type": "text", "x": x, "y": y, "text": text, "fontSize": size, "color": colour,
                     "align": "left", "baseline": "alphabetic", "font": FONT, **mark}}


def _badge(x: float, label: str, caption: str) -> list[dict[str, Any]]:
    top, width, height = 470, 440, 84
    return [
        _text(x, top - 18, caption, 24, MUTED),
        {"mark": {"type": "rect", "x": x, "x2": x + width, "y": top, "y2": top + height, "cornerRadius": 14,
                  "color": VERDICT_COLOURS.get(label, "#6b7280")}},
        _text(x + width / 2, top + height / 2, label, 38, "#ffffff", align="center", baseline="middle",
              fontWeight="bold"),
    ]


def card_spec(claim_id: str, title: str, verdict_publication: str, verdict_latest: str, data_date: str,
              site_name: str) -> dict[str, Any]:
    """The Vega-Lite spec of one card."""
    lines = title_lines(title)
    layers = [
        {"mark": {"type": "rect", "x": 0, "x2": WIDTH, "y": 0, "y2": 14, "color": "#455a64"}},
        _text(MARGIN, 88, site_name, 28, MUTED),
        _text(WIDTH - MARGIN, 88, claim_id, 24, MUTED, align="right"),
        _text(MARGIN, 196, lines, 54, INK, fontWeight="bold", lineHeight=66),
        *_badge(MARGIN, verdict_publication, f"Verdict as published ({PUBLICATION_DATE.isoformat()})"),
        *_badge(MARGIN + 480, verdict_latest, f"Still true? (data through {data_date})"),
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH, "height": HEIGHT, "padding": 0, "autosize": "none", "background": "#ffffff",
        "config": {"view": {"stroke": None}},
        "data": {"values": [{}]},
        "layer": layers,
    }


def render_card(spec: dict[str, Any]) -> bytes:
    return vlc.vegalite_to_png(spec, scale=1)


def write_card(path: Path, spec: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_card(spec))
    return path
