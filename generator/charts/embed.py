"""A chart as it goes on a claim page: Chart | Table | Download tabs in plain HTML.

The chart tab holds the two inline SVG renderings (wide, and narrow for phones: the stylesheet shows the one
that fits) with their hover points; the table tab shows the chart's data (at most
:data:`generator.charts.display.TABLE_ROWS` rows, saying which and linking the CSV); the download tab
links the CSV and the SVG. The tabs are Material's radio-button tabs, so everything works with JavaScript off; the
site's ``charts.js`` adds values on hover and keyboard focus, and a button that draws the chart as a PNG in the
reader's browser (no PNG is stored with the site).

The table and the pictures' text (axis labels, twice over) are left out of the site's search index
(``data-search-exclude``, honoured by Material's search plugin): they would fill the index without helping anyone
find a page. The caption under the chart, which says what it shows and found, stays searchable.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from dataclasses import dataclass

from generator.charts.render import ChartFiles, Rendered

UNIT_WORDS = {"pct": "%", "usd": "$", "bn": "bn", "bp": "bp", "pp": "pp", "btc": "BTC", "90d": "90-day"}


def column_title(name: str) -> str:
    """A CSV column name as a reader sees it: 'cumulative_usd_bn' -> 'Cumulative ($ bn)'-like plain words."""
    words = [UNIT_WORDS.get(w, w) for w in name.split("_") if w]
    text = " ".join(words)
    return (text[:1].upper() + text[1:]) if text else name


def cell_text(value: str) -> str:
    """A CSV value shown in the table: numbers rounded for reading (the CSV keeps full precision)."""
    try:
        number = float(value)
    except ValueError:
        return value
    if value.strip().lower() in ("nan", "inf", "-inf") or not math.isfinite(number):
        return "" if value.strip().lower() == "nan" else value
    if number.is_integer() and "." not in value and "e" not in value.lower():
        return f"{int(number):,}" if abs(number) >= 10000 else value
    return f"{number:,.2f}" if abs(number) >= 1 else f"{number:.4f}"


def data_table(csv_text: str, caption: str, caption_html: str = "") -> str:
    """The rows of ``csv_text`` as an HTML table; ``caption`` is escaped, ``caption_html`` (markup) follows it."""
    rows = list(csv.reader(io.StringIO(csv_text)))
    if not rows:
        return ""
    head, body = rows[0], rows[1:]
    out = [f'<table class="chart-data" data-search-exclude><caption>{html.escape(caption)}{caption_html}</caption>'
           '<thead><tr>']
    out += [f'<th scope="col">{html.escape(column_title(h))}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in body:
        out.append("<tr>" + "".join(f"<td>{html.escape(cell_text(v))}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _variant(kind: str, rendered: Rendered) -> str:
    points = json.dumps({"series": rendered.series, "points": rendered.points}, separators=(",", ":"),
                        ensure_ascii=False).replace("</", "<\\/")
    return (f'<div class="chart-variant chart-{kind}" data-search-exclude>{rendered.svg}'
            f'<script type="application/json" class="chart-points">{points}</script></div>')


@dataclass(frozen=True)
class ChartEmbed:
    """The chart's files (relative to its page's folder) and the HTML block that shows them."""

    svg: str
    csv: str
    html: str


def _rows(csv_text: str) -> int:
    return max(len(csv_text.splitlines()) - 1, 0)


def rows_text(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def table_caption(title: str, rows: int, listed: int, csv_href: str, how: str = "evenly spaced"
                  ) -> tuple[str, str]:
    """(plain caption, markup after it): a table listing fewer rows than the data has says which (``how``) and
    links the CSV."""
    if listed >= rows:
        return f"The data behind the chart: {title} ({rows_text(rows)})", ""
    return (f"The data behind the chart: {title} ({listed:,} of its {rows_text(rows)}: {how}; ",
            f'<a href="{html.escape(csv_href)}" download>the CSV</a> has every row)')


def embed(files: ChartFiles, csv_name: str, csv_text: str, title: str, label: str,
          table_text: str | None = None, table_note: str = "evenly spaced") -> ChartEmbed:
    """The HTML block for one chart. ``label`` is its text alternative (shown under it as the caption);
    ``csv_text`` is the whole CSV, ``table_text`` the rows the Table tab lists (default: all) and
    ``table_note`` how they were chosen. The files sit beside the page's Markdown file, so from its folder URL
    (``claims/<slug>/``) they are ``../``."""
    t = html.escape(title)
    rows = _rows(csv_text)
    table_text = csv_text if table_text is None else table_text
    listed = _rows(table_text)
    caption, caption_html = table_caption(title, rows, listed, f"../{csv_name}", table_note or "evenly spaced")
    block = (
        '<figure class="chart" markdown="0">'
        '<div class="tabbed-set tabbed-alternate chart-tabs" data-tabs="1:3">'
        '<input checked="checked" id="chart-tab-1" name="chart-tabs" type="radio">'
        '<input id="chart-tab-2" name="chart-tabs" type="radio">'
        '<input id="chart-tab-3" name="chart-tabs" type="radio">'
        '<div class="tabbed-labels"><label for="chart-tab-1">Chart</label><label for="chart-tab-2">Table</label>'
        '<label for="chart-tab-3">Download</label></div>'
        '<div class="tabbed-content">'
        '<div class="tabbed-block"><div class="chart-frame" data-chart tabindex="0" '
        f'aria-label="{t}: use the left and right arrow keys to read the values">'
        f'{_variant("wide", files.wide)}{_variant("narrow", files.narrow)}'
        '<div class="chart-tip" role="status" aria-live="polite"></div></div></div>'
        f'<div class="tabbed-block"><div class="chart-table-wrap" tabindex="0" role="region" '
        f'aria-label="Data behind the chart ({rows_text(listed)})">'
        f'{data_table(table_text, caption, caption_html)}</div></div>'
        '<div class="tabbed-block"><ul class="chart-downloads">'
        f'<li><a href="../{html.escape(csv_name)}" download>The data (CSV, {rows_text(rows)})</a></li>'
        f'<li><a href="../{html.escape(files.svg)}" download>The chart as a picture (SVG)</a></li>'
        '</ul></div>'
        '</div></div>'
        f'<figcaption>{html.escape(label)}</figcaption>'
        '</figure>'
    )
    return ChartEmbed(files.svg, csv_name, block)
