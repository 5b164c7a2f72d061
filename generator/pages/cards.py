"""A static preview image per claim (1200x630 PNG, for ``og:image``): site name, claim title, both verdicts.

Drawn as a Vega-Lite spec of text and rectangle marks and rendered with vl-convert, like the charts: no
browser, no network, and the same inputs give the same bytes. The PNG is then recompressed losslessly by oxipng
(the same pixels in about an eighth of the bytes), and kept in the build's content cache keyed on the spec, the
vl-convert and oxipng versions and the drawing code, so an unchanged card is not drawn again.

The card keeps the data date beside the "Still true?" verdict: that verdict is about the data up to that day,
and a card shared on its own must say when it was true.
"""

from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert as vlc

from generator import cache as content_cache
from generator.article import PUBLICATION_DATE
from generator.charts import drawing
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


DEFLATE_LEVEL = 9
"""oxipng's settings for the cards: palette reduction (which oxipng always tries), rows unfiltered, libdeflate at
level 9. Measured on 22 cards: about 15 KB a card (vl-convert's own: about 130 KB) for 30 ms of CPU a card;
oxipng's preset level 1 saves another 1 KB a card for 75 ms, level 2 another 0.3 KB for 135 ms."""
CACHE_NAMESPACE = "card"


def render_card(spec: dict[str, Any]) -> bytes:
    """The card's PNG: drawn by vl-convert, then recompressed losslessly (in this process)."""
    return drawing.draw_png(_spec_text(spec), DEFLATE_LEVEL)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    return content_cache.source_digest(Path(__file__), Path(drawing.__file__))


def _spec_text(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def card_key(spec: dict[str, Any]) -> str:
    """The cache key of a card: its spec, the vl-convert and oxipng versions, and the drawing code."""
    return content_cache.key("card 1", _spec_text(spec), vlc.__version__, version("pyoxipng"), _code_digest())


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


def start_card(name: str, spec: dict[str, Any], cache: content_cache.ContentCache | None = None,
               drawer: drawing.InlineDrawing | None = None) -> drawing.Pending:
    """Start the card's PNG: read from ``cache`` when this spec was drawn before by the same code and versions,
    otherwise handed to ``drawer`` (default: drawn in this process now) and stored once drawn."""
    drawer = drawer or drawing.InlineDrawing()
    if cache is None or not cache.enabled:
        return drawing.Pending(drawer.png(name, _spec_text(spec), DEFLATE_LEVEL))
    key = card_key(spec)
    found = cache.get(CACHE_NAMESPACE, key)
    if found is not None and _is_png(found):
        return drawing.Pending(drawing.done(found))
    if found is not None:
        cache.stats.corrupt.append(f"{CACHE_NAMESPACE}/{key}")
    return drawing.Pending(drawer.png(name, _spec_text(spec), DEFLATE_LEVEL),
                           lambda data: cache.put(CACHE_NAMESPACE, key, data))


def card_bytes(spec: dict[str, Any], cache: content_cache.ContentCache | None = None) -> bytes:
    """The card's PNG, from ``cache`` when this spec was drawn before by the same code and versions."""
    return start_card("a preview card", spec, cache).result()


def write_card(path: Path, spec: dict[str, Any], cache: content_cache.ContentCache | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(card_bytes(spec, cache))
    return path
