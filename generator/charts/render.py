"""Turn a chart spec into files: a static SVG (no JavaScript, no CDN) and the Vega-Lite JSON."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import vl_convert as vlc

from generator.charts.theme import config


def to_spec(chart: alt.TopLevelMixin, title: str = "") -> dict:
    """The chart's Vega-Lite spec with the house theme and data inlined (deterministic key order)."""
    if title:
        chart = chart.properties(title=title)
    spec = chart.to_dict()
    spec["config"] = {**config(), **spec.get("config", {})}
    return spec


def render_svg(spec: dict) -> str:
    """Static SVG rendered at build time by vl-convert (runs offline)."""
    return vlc.vegalite_to_svg(json.dumps(spec, sort_keys=True))


def write_chart(chart: alt.TopLevelMixin, path_svg: Path, title: str = "") -> None:
    spec = to_spec(chart, title)
    path_svg.parent.mkdir(parents=True, exist_ok=True)
    path_svg.write_text(render_svg(spec), encoding="utf-8")
