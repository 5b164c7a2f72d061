"""Chart rendering for the page: hover points taken out of the SVG, the narrow rendering's text sizes, the
Chart | Table | Download block. Small synthetic charts, so no test depends on the snapshot."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from generator.charts.embed import column_title, data_table, embed
from generator.charts.render import (
    HOVER_PREFIX,
    NARROW_FONT,
    extract_hover,
    narrow,
    render_chart,
    to_spec,
    with_hover,
)
from generator.charts.theme import WIDTH


def lines() -> alt.Chart:
    df = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=40, freq="D").repeat(2),
                       "series": ["close", "high"] * 40, "level": [float(i) for i in range(80)]})
    return alt.Chart(df).mark_line().encode(
        x="date:T", y="level:Q", color="series:N",
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("level:Q", format=",.2f")],
    ).properties(width=WIDTH, height=300)


def bars() -> alt.LayerChart:
    df = pd.DataFrame({"fund": ["AAA", "BBB"], "flow_usd_bn": [1.5, -0.25]})
    bar = alt.Chart(df).mark_bar().encode(y="fund:N", x="flow_usd_bn:Q",
                                         tooltip=[alt.Tooltip("fund:N"), alt.Tooltip("flow_usd_bn:Q", format=".2f")])
    label = alt.Chart(df).mark_text(fontSize=9).encode(y="fund:N", x="flow_usd_bn:Q", text="fund:N")
    return alt.layer(bar, label).properties(width=WIDTH)


def test_every_line_gets_a_hover_layer_and_other_marks_a_description():
    spec = with_hover(to_spec(lines()))
    names = [layer.get("name", "") for layer in spec["layer"]]
    assert names[1].startswith(HOVER_PREFIX) and spec["layer"][1]["mark"]["opacity"] == 0
    described = with_hover(to_spec(bars()))["layer"][0]
    assert described["encoding"]["description"]["field"] == "__description"


def test_hover_points_leave_the_svg_with_their_date_series_and_value():
    wide, small = render_chart(lines(), "Two lines", "The finding")
    assert HOVER_PREFIX not in wide.svg and HOVER_PREFIX not in small.svg
    assert len(wide.series) == 2 and {p[2] for p in wide.points} == {0, 1}
    first = wide.points[0]
    assert first[3] == "1 Jan 2025 · series: close · level: 0.00"
    xs = [p[0] for p in wide.points if p[2] == 0]
    assert xs == sorted(xs) and min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 2
    assert 'aria-label="The finding"' in wide.svg and 'role="graphics-document"' in wide.svg


def test_extract_hover_keeps_an_svg_without_hover_layers_whole():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g class="mark-line"><path d="M0,0"/></g></svg>'
    rendered = extract_hover(svg)
    assert rendered.points == [] and "mark-line" in rendered.svg


def test_narrow_rendering_is_narrow_with_text_of_at_least_the_minimum_size():
    spec = narrow(with_hover(to_spec(bars(), "A title long enough to need wrapping on a phone screen, surely")))
    sizes = [float(v) for v in re.findall(r'"(?:fontSize|labelFontSize|titleFontSize)": ([\d.]+)', str(spec).replace("'", '"'))]
    assert sizes and min(sizes) >= NARROW_FONT
    assert isinstance(spec["title"], list) and len(spec["title"]) > 1
    _, small = render_chart(bars(), "Bars", "Bars")
    assert float(re.search(r'width="([\d.]+)"', small.svg).group(1)) <= 358
    assert all(float(s) >= NARROW_FONT for s in re.findall(r'font-size="([\d.]+)px"', small.svg))


def test_column_titles_are_plain_words():
    assert column_title("cumulative_usd_bn") == "Cumulative $ bn"
    assert column_title("share_negative_pct") == "Share negative %"
    assert "_" not in column_title("volatility_90d_pct")


def test_data_table_has_a_caption_scoped_headers_and_escaped_cells():
    table = data_table("date,note,value\n2025-01-02,<b>x</b>,1234.5678\n", "The data")
    assert "<caption>The data</caption>" in table
    assert table.count('<th scope="col">') == 3
    assert "&lt;b&gt;x&lt;/b&gt;" in table and "1,234.57" in table


def test_embed_has_chart_table_and_download_tabs():
    wide, small = render_chart(lines(), "Two lines", "The finding")
    from generator.charts.render import ChartFiles

    block = embed(ChartFiles(wide, small, "x.svg"), "x.csv", "date,level\n2025-01-01,1\n",
                  "Two lines", "The finding").html
    assert [m for m in re.findall(r'<label for="chart-tab-\d">(\w+)</label>', block)] == ["Chart", "Table", "Download"]
    assert 'href="../x.csv"' in block and 'href="../x.svg"' in block
    assert ".png" not in block  # the PNG is drawn in the browser (charts.js), not stored
    assert '<table class="chart-data" data-search-exclude>' in block
    assert block.count("<svg") == 2 and "<figcaption>The finding</figcaption>" in block
    assert "\n\n" not in block  # one raw HTML block for Markdown


def test_materials_search_skips_the_pictures_and_the_table_but_keeps_the_caption():
    """The search index gets the chart's caption, not its axis labels (twice) or its data rows."""
    from material.plugins.search.plugin import Parser

    wide, small = render_chart(lines(), "Two lines", "The finding")
    from generator.charts.render import ChartFiles

    block = embed(ChartFiles(wide, small, "x.svg"), "x.csv", "date,level\n2025-01-01,1234.5\n",
                  "Two lines", "The finding").html
    parser = Parser()
    parser.feed(f'<h2 id="chart">Chart</h2>{block}<p>After the chart.</p>')
    parser.close()
    text = " ".join("".join(section.text) for section in parser.data)
    assert "The finding" in text and "After the chart." in text and "The data (CSV, 1 row)" in text
    assert "1,234.50" not in text and "The data behind the chart" not in text  # the table
    assert "Jan" not in text and "level" not in text  # the axes of both pictures


def test_long_lines_get_a_bounded_number_of_hover_points_and_the_same_picture():
    from collections import Counter

    from generator.charts.render import (
        HOVER_NARROW,
        HOVER_WIDE,
        WIDE_FONT,
        WIDE_TOTAL,
        accessible_svg,
        fitted,
        min_fonts,
        render_spec,
        render_svg,
    )

    df = pd.DataFrame({"date": pd.date_range("2020-01-01", periods=1500, freq="D").repeat(2),
                       "series": ["close", "high"] * 1500, "level": [float(i % 97) for i in range(3000)]})
    chart = alt.Chart(df).mark_line().encode(
        x="date:T", y="level:Q", color="series:N",
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("series:N"), alt.Tooltip("level:Q")]).properties(width=WIDTH)
    spec = to_spec(chart)
    wide, small = render_spec(spec, "Long")
    every_row = extract_hover(render_svg(fitted(min_fonts(with_hover(spec), WIDE_FONT), WIDE_TOTAL)))
    assert wide.svg == accessible_svg(every_row.svg, "Long")  # the hover layer leaves no trace in the picture
    for rendered, most in ((wide, HOVER_WIDE), (small, HOVER_NARROW)):
        counts = Counter(p[2] for p in rendered.points)
        assert sorted(counts) == [0, 1] and all(most / 2 < n <= most for n in counts.values())
    assert wide.points[0][3].startswith("1 Jan 2020")  # the first row of each line keeps its point
