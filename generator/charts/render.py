"""Turn a chart spec into files: static SVGs (no JavaScript, no CDN) and the points a reader can hover.

Each chart is rendered twice by vl-convert: a wide picture for screens that fit it, and a narrow one whose text
stays at least :data:`NARROW_FONT` pixels on a phone. Before rendering, every line gets an invisible point
layer whose items carry a plain-text description ("3 Jan 2025 · Daily close: 2,030.07"); those items are taken
out of the SVG again and kept as a list of (x, y, series, text) points for the page's small hover script, so
that the picture itself stays light.

No PNG is made here: the page's script draws one from the inline SVG when a reader asks for it (``charts.js``).
Renderings are kept in the build's content cache (:func:`render_chart`), keyed on everything they depend on.
"""

from __future__ import annotations

import copy
import hashlib
import json
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc
from altair.utils.data import limit_rows, to_values

from generator import cache as content_cache
from generator.charts.drawing import (  # noqa: F401  (Rendered, render_svg, extract_hover: this module's API too)
    HOVER_PREFIX,
    MIN_STEP,
    InlineDrawing,
    Pending,
    Rendered,
    accessible_svg,
    done,
    extract_hover,
    render_svg,
)
from generator.charts.theme import HEIGHT, NARROW_WIDTH, WIDTH, config

NARROW_FONT = 12
"""Smallest font size (px) in the narrow rendering, which is drawn at (or close to) its natural size."""
HOVER_FIELD = "__hover_text"
DESCRIPTION_FIELD = "__description"


def to_spec(chart: alt.TopLevelMixin, title: str = "", validate: bool = False) -> dict:
    """The chart's Vega-Lite spec with the house theme and data inlined (deterministic key order).

    The schema is not checked on every build (it costs more than rendering some charts); the tests check every
    chart's spec once with ``validate=True``. Altair converts a table for each layer that shows it; here each
    table is converted and named once (:func:`_datasets_once`), giving the same spec."""
    with _datasets_once() as datasets:
        spec = chart.to_dict(validate=validate)
    if datasets:
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    if title:  # what chart.properties(title=title) gives, without altair deep-copying the whole chart first
        spec["title"] = title
    spec["config"] = {**config(), **spec.get("config", {})}
    return spec


MAX_ROWS = 5000
"""Altair's own limit on the rows of one inline table (its MaxRowsError); display thinning stays below it."""


@contextmanager
def _datasets_once() -> Iterator[dict[str, list]]:
    """While open, altair turns each DataFrame into a reference to a named dataset, converting and naming each
    table object once (altair's own conversion and names); the datasets are collected in the yielded dict."""
    datasets: dict[str, list] = {}
    seen: dict[int, tuple[pd.DataFrame, dict[str, str]]] = {}

    def transform(data: Any = None, **_options: Any) -> Any:
        if data is None:
            return transform
        if not isinstance(data, pd.DataFrame):
            return to_values(limit_rows(data, max_rows=MAX_ROWS))
        if id(data) not in seen:
            values = to_values(limit_rows(data, max_rows=MAX_ROWS))["values"]
            name = _dataset_name(values)
            datasets[name] = values
            seen[id(data)] = (data, {"name": name})  # the frame is held, so that its id is not reused
        return seen[id(data)][1]

    alt.data_transformers.register(_TRANSFORMER, transform)
    with alt.data_transformers.enable(_TRANSFORMER):
        yield datasets


_TRANSFORMER = "factcheck-once"


def _dataset_name(values: list) -> str:
    """A dataset's name from its content, as altair names the datasets it gathers ("data-" and 32 hex digits)."""
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


# --- plain-text descriptions from a mark's tooltip ------------------------------------------------------------


def _tooltips(encoding: dict) -> list[dict]:
    tip = encoding.get("tooltip")
    if isinstance(tip, dict):
        tip = [tip]
    return [t for t in tip or [] if isinstance(t, dict) and "field" in t and "aggregate" not in t]


def _expression(tips: list[dict]) -> str:
    """A Vega expression joining the tooltip fields into one line of text, each formatted for a reader."""
    parts = []
    for t in tips:
        name = t["field"].replace("\\", "\\\\").replace("'", "\\'")
        ref = f"datum['{name}']"
        if t.get("type") == "temporal":
            value = f"timeFormat(toDate({ref}), '%-d %b %Y')"
        elif t.get("type") == "quantitative":
            fmt = str(t.get("format", ",.4~g")).replace("'", "")
            value = f"(isValid({ref}) ? format({ref}, '{fmt}') : 'no value')"
        else:
            value = f"'' + {ref}"
        title = str(t.get("title", t["field"].replace("_", " "))).replace("'", "\\'")
        parts.append(value if t.get("type") == "temporal" and not t.get("title") else f"'{title}: ' + {value}")
    return " + ' · ' + ".join(parts) if parts else "''"


def _mark_type(unit: dict) -> str:
    mark = unit.get("mark")
    return mark.get("type", "") if isinstance(mark, dict) else str(mark or "")


def _with_description(unit: dict) -> dict:
    """A unit whose items (bars, dots) are described by their tooltip in plain text (their SVG aria-label)."""
    tips = _tooltips(unit.get("encoding", {}))
    if not tips:
        return unit
    unit = copy.deepcopy(unit)
    unit["transform"] = [*unit.get("transform", []), {"calculate": _expression(tips), "as": DESCRIPTION_FIELD}]
    unit["encoding"]["description"] = {"field": DESCRIPTION_FIELD, "type": "nominal"}
    return unit


def _thinning(encoding: dict, steps: int) -> list[dict]:
    """Transforms keeping about ``steps`` rows of each line, its first and last among them, evenly spread along x
    (in Vega, after the line's own transforms and with its data parsed as for the line)."""
    groups = [encoding[c]["field"] for c in ("color", "detail") if isinstance(encoding.get(c), dict)
              and "field" in encoding[c]]
    return [
        {"window": [{"op": "row_number", "as": "__hover_i"}, {"op": "count", "as": "__hover_n"}],
         "groupby": groups, "sort": [{"field": encoding["x"]["field"]}], "frame": [None, None]},
        {"filter": f"datum.__hover_n <= {steps} || datum.__hover_i == 1 || "
                   f"floor(datum.__hover_i * {steps} / datum.__hover_n) != "
                   f"floor((datum.__hover_i - 1) * {steps} / datum.__hover_n)"},
    ]


def _hover_layer(unit: dict, index: int, steps: int | None = None) -> dict | None:
    """Invisible points on the rows of a line, described by the line's tooltip (None for other marks). With
    ``steps``, only about that many rows of each line, evenly spread along x, get one: points closer than
    :data:`MIN_STEP` pixels are dropped after rendering anyway, and each point costs rendering time."""
    encoding = unit.get("encoding", {})
    tips = _tooltips(encoding)
    if _mark_type(unit) != "line" or not tips or "x" not in encoding or "y" not in encoding:
        return None
    keep = {k: v for k, v in encoding.items() if k in ("x", "y", "color", "detail")}
    keep["description"] = {"field": HOVER_FIELD, "type": "nominal"}
    for channel in ("x", "y"):  # axes and legends come from the line itself
        keep[channel] = {k: v for k, v in keep[channel].items() if k not in ("axis", "title")}
    mark = {"type": "point", "opacity": 0, "size": 4}
    line = unit.get("mark")
    if isinstance(line, dict) and "color" in line:
        mark["color"] = line["color"]
    thin = _thinning(keep, steps) if steps and "field" in keep["x"] else []
    hover = {"name": f"{HOVER_PREFIX}{index}", "mark": mark,
             "encoding": keep,
             "transform": [*unit.get("transform", []), *thin, {"calculate": _expression(tips), "as": HOVER_FIELD}]}
    if "data" in unit:
        hover["data"] = unit["data"]
    return hover


def _copy(spec: dict) -> dict:
    """A deep copy of a spec that shares its datasets (the tables are never changed, and copying them is most of
    the cost of a copy)."""
    shared = spec.get("datasets")
    copied = copy.deepcopy({k: v for k, v in spec.items() if k != "datasets"})
    if shared is not None:
        copied["datasets"] = shared
    return copied


UNIT_KEYS = ("mark", "encoding", "transform", "params", "name", "data")


HOVER_WIDE, HOVER_NARROW = 340, 140
"""Hover points per line, at most, in each rendering: a little more than its plot's width (640 and 250 px)
divided by :data:`MIN_STEP`."""


def with_hover(spec: dict, steps: int | None = None) -> dict:
    """The spec with descriptions on described marks and a hover layer after each line (a copy); ``steps``: at
    most about that many rows of each line get hover points."""
    spec = _copy(spec)
    counter = [0]

    def visit(node: dict) -> None:
        if "layer" in node:
            layers = []
            for child in node["layer"]:
                if "mark" in child:
                    layers.append(child if _mark_type(child) == "line" else _with_description(child))
                    hover = _hover_layer(child, counter[0], steps)
                    if hover is not None:
                        counter[0] += 1
                        layers.append(hover)
                else:
                    visit(child)
                    layers.append(child)
            node["layer"] = layers
        elif "spec" in node:
            visit(node["spec"])
        elif "mark" in node:
            unit = {k: node.pop(k) for k in UNIT_KEYS if k in node and k != "data"}
            node["layer"] = [unit]
            visit(node)

    visit(spec)
    return spec


# --- the narrow rendering --------------------------------------------------------------------------------------


def _wrap_title(title: Any, width: int) -> Any:
    if isinstance(title, str):
        return textwrap.wrap(title, width) or title
    if isinstance(title, dict) and isinstance(title.get("text"), str):
        return {**title, "text": textwrap.wrap(title["text"], width) or title["text"]}
    return title


NARROW_TOTAL = 340
"""Width (px) of the whole narrow picture of a single view: a 360 px phone shows it at its natural size."""


def _without_widths(node: Any) -> Any:
    """The spec without any view's fixed width (the data is left alone)."""
    if isinstance(node, dict):
        return {k: (v if k in ("data", "datasets") else _without_widths(v)) for k, v in node.items()
                if not (k == "width" and isinstance(v, int | float))}
    if isinstance(node, list):
        return [_without_widths(v) for v in node]
    return node


WIDE_TOTAL = 680
"""Width (px) of the whole wide picture of a single view: the page's text column on a desktop screen."""


def fitted(spec: dict, total: int) -> dict:
    """A single view fitted whole (axes, legend, labels past the plot) into ``total`` pixels of width; a
    facetted chart is left as it is (Vega cannot fit those)."""
    if any(k in spec for k in ("facet", "hconcat", "vconcat", "concat", "repeat")):
        return spec
    spec = _without_widths(spec)
    spec["width"] = total
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


WIDE_FONT = 11
"""Smallest font size (px) in the wide rendering."""


def min_fonts(spec: dict, smallest: int) -> dict:
    """The spec with every font size below ``smallest`` raised to it (data left alone)."""

    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (v if k in ("data", "datasets") else
                        max(v, smallest) if k in FONT_KEYS and isinstance(v, int | float) else visit(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [visit(v) for v in node]
        return node

    return visit(spec)


FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize")


def narrow(spec: dict) -> dict:
    """The same chart for a phone: narrower, fonts at least :data:`NARROW_FONT`, legends stacked below."""
    ratio = NARROW_WIDTH / WIDTH  # the rewrite below builds new containers: nothing of ``spec`` is changed

    def visit(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "width" and isinstance(v, int | float):
                    out[k] = round(v * ratio)
                elif k == "height" and isinstance(v, int | float) and v == HEIGHT:
                    out[k] = round(HEIGHT * 0.8)
                elif k in ("fontSize", "labelFontSize", "titleFontSize") and isinstance(v, int | float):
                    out[k] = max(v, NARROW_FONT)
                elif k in ("labelLimit",) and v == 0:
                    out[k] = NARROW_WIDTH
                elif k in ("data", "datasets"):
                    out[k] = v  # data is never rewritten
                else:
                    out[k] = visit(v, k)
            return out
        if isinstance(node, list):
            return [visit(v, key) for v in node]
        return node

    spec = fitted(visit(spec), NARROW_TOTAL)
    if "title" in spec:
        spec["title"] = _wrap_title(spec["title"], 38)
    cfg = spec.setdefault("config", {})
    cfg["view"] = {**cfg.get("view", {}), "continuousWidth": NARROW_WIDTH, "continuousHeight": round(HEIGHT * 0.8)}
    cfg["text"] = {**cfg.get("text", {}), "fontSize": NARROW_FONT}
    cfg["legend"] = {**cfg.get("legend", {}), "orient": "bottom", "direction": "vertical", "labelLimit": NARROW_WIDTH,
                     "labelFontSize": NARROW_FONT, "titleFontSize": NARROW_FONT}
    cfg["axis"] = {**cfg.get("axis", {}), "labelFontSize": NARROW_FONT, "titleFontSize": NARROW_FONT,
                   "labelOverlap": True, "labelSeparation": 6}
    cfg["header"] = {**cfg.get("header", {}), "labelFontSize": NARROW_FONT, "titleFontSize": NARROW_FONT}
    cfg["title"] = {**cfg.get("title", {}), "fontSize": max(NARROW_FONT + 1, 13)}
    return spec


@dataclass
class ChartFiles:
    """What a chart gives the page: the two renderings, and the downloadable SVG (the wide rendering)."""

    wide: Rendered
    narrow: Rendered
    svg: str


CACHE_NAMESPACE = "chart"
CODE_FILES = ("render.py", "drawing.py", "embed.py", "theme.py")
"""The code that shapes a chart's renderings from its spec: part of every chart's cache key."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    here = Path(__file__).resolve().parent
    return content_cache.source_digest(*(here / name for name in CODE_FILES))


def spec_json(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chart_key(spec: dict, label: str, data: bytes = b"") -> str:
    """The cache key of a chart's renderings: its data (the CSV bytes), its final spec, the label they carry,
    the altair and vl-convert versions, and the rendering code."""
    return content_cache.key("chart 1", data, spec_json(spec), label, alt.__version__, vlc.__version__,
                             code_digest())


def _encode(wide: Rendered, small: Rendered) -> bytes:
    return json.dumps({"wide": asdict(wide), "narrow": asdict(small)}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _decode(payload: bytes) -> tuple[Rendered, Rendered] | None:
    """The two renderings stored in a cache entry, or None if the entry is not one (then it is rendered again)."""
    try:
        doc = json.loads(payload.decode("utf-8"))
        return Rendered(**doc["wide"]), Rendered(**doc["narrow"])
    except (ValueError, KeyError, TypeError):
        return None


def drawing_specs(spec: dict) -> tuple[str, str]:
    """The final wide and narrow specs of a chart (JSON text, as vl-convert reads them): hover layers added,
    fonts raised, fitted to the page column and to a phone."""
    wide = fitted(min_fonts(with_hover(spec, HOVER_WIDE), WIDE_FONT), WIDE_TOTAL)
    small = narrow(with_hover(spec, HOVER_NARROW))
    return json.dumps(wide, sort_keys=True), json.dumps(small, sort_keys=True)


def render_spec(spec: dict, label: str, drawer: InlineDrawing | None = None) -> tuple[Rendered, Rendered]:
    """Wide and narrow renderings of a spec (hover points taken out, labelled for assistive technology), drawn by
    ``drawer`` (default: in this process)."""
    return (drawer or InlineDrawing()).chart(label, *drawing_specs(spec), label).result()


def _stored(cache: content_cache.ContentCache, keys: list[tuple[str, str]]) -> Callable[[Any], None]:
    """What to do with two fresh renderings: store them in ``cache`` under each of ``keys`` (namespace, key)."""

    def store(renderings: tuple[Rendered, Rendered]) -> None:
        payload = _encode(*renderings)
        for namespace, key in keys:
            cache.put(namespace, key, payload)

    return store


def start_chart(chart: alt.TopLevelMixin, title: str, label: str, cache: content_cache.ContentCache | None = None,
                data: bytes = b"", drawer: InlineDrawing | None = None, recipe: str | None = None,
                name: str = "") -> Pending:
    """Start the wide and narrow renderings of a chart: read from ``cache`` when this spec, label and data (the
    chart's CSV bytes) were rendered before by the same code and library versions; otherwise handed to ``drawer``
    (default: drawn in this process now) and stored once drawn, also under the chart's ``recipe`` key if given.
    ``name`` names the chart in an error (default: its title)."""
    spec = to_spec(chart, title)
    name = name or title or label
    if cache is None or not cache.enabled:
        return Pending((drawer or InlineDrawing()).chart(name, *drawing_specs(spec), label))
    key = chart_key(spec, label, data)
    found = cached_renderings(cache, key, CACHE_NAMESPACE)
    keys = [(RECIPE_NAMESPACE, recipe)] if recipe else []
    if found is not None:
        return Pending(done(found), _stored(cache, keys) if keys else None)
    return Pending((drawer or InlineDrawing()).chart(name, *drawing_specs(spec), label),
                   _stored(cache, [(CACHE_NAMESPACE, key), *keys]))


def render_chart(chart: alt.TopLevelMixin, title: str, label: str, cache: content_cache.ContentCache | None = None,
                 data: bytes = b"") -> tuple[Rendered, Rendered]:
    """Wide and narrow renderings of a chart, drawn in this process now or read from ``cache``
    (:func:`start_chart`)."""
    return start_chart(chart, title, label, cache, data).result()


def save_chart(wide: Rendered, small: Rendered, folder: Path, stem: str) -> ChartFiles:
    """Write the wide rendering as ``<stem>.svg`` (the download) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.svg").write_text(wide.svg, encoding="utf-8")
    return ChartFiles(wide, small, f"{stem}.svg")


def write_chart(chart: alt.TopLevelMixin, folder: Path, stem: str, title: str = "", label: str = "",
                cache: content_cache.ContentCache | None = None, data: bytes = b"") -> ChartFiles:
    """Render a chart (or read it from ``cache``) and write ``<stem>.svg`` into ``folder``."""
    wide, small = render_chart(chart, title, label or title, cache, data)
    return save_chart(wide, small, folder, stem)


# --- the recipe key: skip building the chart at all ------------------------------------------------------------

RECIPE_NAMESPACE = content_cache.CHARTS_NAMESPACE


@lru_cache(maxsize=1)
def charts_digest() -> str:
    """The digest of every module of this package: the chart functions, the display thinning, the rendering."""
    here = Path(__file__).resolve().parent
    return content_cache.source_digest(*sorted(here.glob("*.py")))


def recipe_key(claim_key: str, data: bytes, title: str, label: str) -> str:
    """A chart's key before its spec exists: the claim's own cache key (its code and every input it declares,
    so whatever the chart function closes over), the chart package's code, the chart's data (CSV bytes), its
    title and label, and the altair and vl-convert versions. Equal keys give the same spec, so a hit skips
    building the chart (altair) as well as rendering it."""
    return content_cache.key("chart recipe 1", claim_key, charts_digest(), data, title, label, alt.__version__,
                             vlc.__version__)


def cached_renderings(cache: content_cache.ContentCache, name: str, namespace: str = RECIPE_NAMESPACE
                      ) -> tuple[Rendered, Rendered] | None:
    """The two renderings stored under a key (a recipe key by default), or None (absent, or damaged: then
    redrawn)."""
    payload = cache.get(namespace, name)
    if payload is None:
        return None
    found = _decode(payload)
    if found is None:
        cache.stats.corrupt.append(f"{namespace}/{name}")
    return found
