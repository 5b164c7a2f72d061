"""The site as a reader sees it, in headless Chromium: layout at phone and desktop widths, charts, controls,
accessibility (axe-core) and the version selector on a published gh-pages tree."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from urllib.parse import urljoin

import pytest

WIDTHS = (390, 1280)
SCREENSHOT_PAGES = {"home": "", "first-break": "claims/rut-first-break/", "breakouts": "claims/rut-breakouts-2016-2020/"}
# one chart of each kind: lines (with a legend), dots on a line, horizontal bars, facetted grouped bars
HOVER_CHARTS = {
    "claims/rut-first-break/": "line",
    "claims/btc-2020-run/": "line",
    "claims/article-two-samples/": "mark",
    "claims/risk-curve/": "mark",
}

CHART_TEXT = """() => {
  const small = [];
  document.querySelectorAll('.chart-variant').forEach(v => {
    if (v.offsetParent === null) return;
    const svg = v.querySelector('svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(t => {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (t.textContent.trim() && px < 11) small.push(t.textContent.trim() + ' (' + px.toFixed(1) + ' px)');
    });
  });
  return small;
}"""
# Inside the chart pictures, text is drawn by the chart theme on its own white ground: axe skips them. (Every
# row of a data table is checked: excluding rows by selector made axe match each node against each excluded row,
# three times slower than checking them all.)
AXE_RUN = """async () => {
  const context = {exclude: [['.chart-variant svg']]};
  const result = await axe.run(context, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
AXE_START = f"() => {{ window.__axeViolations = ({AXE_RUN})(); }}"
"""Starts the check and returns at once, so that several pages' checks run side by side; ``AXE_RESULT`` waits."""
AXE_RESULT = "() => window.__axeViolations"
VERSIONS_READY = """() => {
  const base = new URL(JSON.parse(document.getElementById('__config').textContent).base, location.href);
  return document.querySelector('.md-version') !== null && __md_get('__outdated', sessionStorage, base) !== null;
}"""
"""True once the theme has read versions.json on a published page: the version selector is drawn, and whether
this version is outdated is decided (stored in sessionStorage just before the banner is shown)."""
TOOLTIPS_HIDDEN = "() => [...document.querySelectorAll('.md-tooltip')].every(t => getComputedStyle(t).opacity === '0')"
PAGES_AT_ONCE = 1
"""The crawl loads and checks this many pages side by side, in as many tabs per width. Measured on 2 cores
(the crawl fixture with the shared build): one tab visiting page after page 36 s, two tabs side by side 48 s,
three new pages at a time (the way it ran before) 43 s. The rest of the suite runs beside it (xdist)."""


def page_paths(site_dir: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths (directory URLs), plus the 404 page."""
    found = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        found.append("" if rel == "." else rel + "/")
    return [*found, "404.html"]


def test_the_404_page_links_the_feed_on_this_site(site, tabs):
    page, _ = tabs[1280].visit(f"{site.base}/404.html")
    href = page.eval_on_selector("link[type='application/atom+xml']", "l => l.href")
    assert href == f"{site.base}/feed.xml"


def open_page(context, url: str, origin: str, wait: str = "networkidle"):
    """Open ``url``; collect console errors, uncaught exceptions, requests that leave ``origin`` and 404s."""
    page = context.new_page()
    seen = {"errors": [], "outside": [], "missing": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["outside"].append(r.url)
            if not r.url.startswith(origin) and not r.url.startswith(("data:", "blob:")) else None)
    page.on("response", lambda r: seen["missing"].append(r.url) if r.status == 404 and r.url != url else None)
    page.goto(url, wait_until=wait)
    return page, seen


@pytest.fixture(scope="session")
def crawl(site, browser, artifacts):
    """Every page at both widths: sideways scroll, console errors, outside requests, small chart text; axe on
    every page at desktop width and on the home page, the data page and two claim pages at phone width.
    ``PAGES_AT_ONCE`` tabs load and check pages side by side; each tab visits page after page."""
    results = {}
    paths = page_paths(site.site_dir)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        tabs = [site.tab(context) for _ in range(PAGES_AT_ONCE)]
        for start in range(0, len(paths), PAGES_AT_ONCE):
            batch = [(path, tab, tab.visit(f"{site.base}/{path}", wait="commit")[1])
                     for path, tab in zip(paths[start:start + PAGES_AT_ONCE], tabs, strict=False)]
            for path, tab, seen in batch:
                page = tab.page
                page.wait_for_load_state("load")
                seen["overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                seen["small_text"] = page.evaluate(CHART_TEXT)
                seen["axe"] = []
                if width == max(WIDTHS) or path in (*SCREENSHOT_PAGES.values(), "data/"):
                    page.add_script_tag(url=site.axe_url)
                    page.evaluate(AXE_START)
            for path, tab, seen in batch:
                page = tab.page
                if width == max(WIDTHS) or path in (*SCREENSHOT_PAGES.values(), "data/"):
                    seen["axe"] = page.evaluate(AXE_RESULT)
                for name, shot in SCREENSHOT_PAGES.items():
                    if shot == path:
                        page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
                results[(width, path)] = seen
        context.close()
    report = {f"{width} /{path}": seen for (width, path), seen in results.items()}
    (artifacts / "crawl.json").write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    return results


def problems(crawl: dict, key: str) -> list[str]:
    return [f"{width}px /{path}: {value}" for (width, path), seen in crawl.items() if (value := seen[key])]


def test_the_crawl_saw_every_kind_of_page(crawl, site):
    paths = {path for _, path in crawl}
    assert {"", "about/", "data/", "methodology/", "404.html", "claims/rut-first-break/"} <= paths
    assert len(paths) >= 25


def test_no_page_scrolls_sideways_at_phone_or_desktop_width(crawl):
    assert problems(crawl, "overflow") == []


def test_no_console_error_and_no_missing_file(crawl):
    assert problems(crawl, "errors") == []
    assert problems(crawl, "missing") == []


def test_no_request_leaves_the_site_and_a_local_build_asks_for_no_versions_json(crawl):
    assert problems(crawl, "outside") == []
    assert not [p for p in crawl.values() if any("versions.json" in u for u in p["missing"])]


def test_chart_text_is_at_least_11px_on_a_phone(crawl):
    assert problems({k: v for k, v in crawl.items() if k[0] == 390}, "small_text") == []
    assert all((390, path) in crawl for path in HOVER_CHARTS)


def test_axe_finds_no_serious_or_critical_violation(crawl):
    assert problems(crawl, "axe") == []


def test_screenshots_are_saved(crawl, artifacts):
    for name in SCREENSHOT_PAGES:
        for width in WIDTHS:
            assert (artifacts / f"{name}-{width}.png").stat().st_size > 10_000


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", list(HOVER_CHARTS))
def test_hovering_and_arrow_keys_show_values(site, tabs, path, width):
    page, seen = tabs[width].visit(f"{site.base}/{path}")
    frame = page.locator("[data-chart]")
    svg = page.locator(".chart-variant svg:visible")
    svg.scroll_into_view_if_needed()
    tip = page.locator(".chart-tip")
    if HOVER_CHARTS[path] == "line":
        box = svg.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
        text = tip.inner_text()
        assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}", text), text  # a date
        assert re.search(r"\d[\d,]*\.\d", text), text  # a value
    else:
        mark = page.locator(".chart-variant:visible :is(.mark-rect, .mark-symbol).role-mark path[aria-label]").first
        mark.hover(force=True)
        assert tip.inner_text() == mark.get_attribute("aria-label")
    page.mouse.move(0, 0)
    frame.focus()
    page.keyboard.press("Home")
    first = tip.inner_text()
    page.keyboard.press("ArrowRight")
    assert first and tip.inner_text() and tip.inner_text() != first
    assert seen["errors"] == []


def test_chart_tabs_show_the_data_and_the_downloads(site, tabs):
    page, _ = tabs[1280].visit(f"{site.base}/claims/rut-first-break/")
    page.get_by_text("Table", exact=True).click()
    table = page.locator("table.chart-data")
    assert table.is_visible()
    assert table.locator("tbody tr").count() > 100
    assert table.locator("th[scope=col]").first.inner_text() == "Date"
    page.get_by_text("Download", exact=True).click()
    links = page.locator(".chart-downloads a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert [h.rsplit(".", 1)[-1] for h in hrefs] == ["csv", "svg"]
    for href in hrefs:
        assert page.request.get(urljoin(page.url, href)).ok, href
    # the PNG is drawn from the chart's SVG in the browser: a real picture, twice the SVG's size
    button = page.locator(".chart-downloads button.chart-png")
    assert button.inner_text() == "The chart as a picture (PNG)"
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "rut-first-break.png"
    png = Path(download.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    svg_width = float(page.eval_on_selector(".chart-wide svg", "s => s.getAttribute('width')"))
    assert width == round(2 * svg_width) and height > 200
    assert len(png) > 20_000  # not a blank canvas


def test_with_javascript_off_the_chart_is_a_static_picture(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.base}/claims/rut-first-break/")
    svg = page.locator(".chart-variant svg:visible")
    assert svg.count() == 1
    assert svg.get_attribute("aria-label")
    assert svg.bounding_box()["width"] <= 390
    assert page.locator(".chart-downloads button").count() == 0  # the PNG button needs the script
    assert page.locator(".chart-downloads a").count() == 2
    context.close()


def test_chart_scripts_stay_small(site):
    js = site.site_dir / "assets" / "javascripts"
    ours = [js / name for name in ("charts.js", "tables.js", "site.js")]
    assert sum(p.stat().st_size for p in ours) < 60_000


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "#claims-table tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{index}].innerText.trim())")


def _ranks(page, index: int) -> list[float | None]:
    keys = page.eval_on_selector_all(
        "#claims-table tbody tr", f"rows => rows.map(r => r.cells[{index}].getAttribute('data-value'))")
    return [float(k) if k else None for k in keys]


def test_home_table_sorts_by_severity_and_value_with_mouse_and_keyboard(site, tabs):
    page, _ = tabs[1280].visit(f"{site.base}/")
    headers = page.locator("#claims-table thead th")
    verdict = headers.nth(4)
    verdict.locator("button").click()
    assert verdict.get_attribute("aria-sort") == "ascending"
    ranks = _ranks(page, 4)
    assert ranks == sorted(ranks) and len(set(ranks)) > 2
    labels = _column(page, 4)
    assert labels.index("Accurate") < labels.index("Misleading") < labels.index("Inaccurate")  # down the scale
    # the keyboard: the header's button takes focus, Enter sorts the other way
    verdict.locator("button").focus()
    page.keyboard.press("Enter")
    assert verdict.get_attribute("aria-sort") == "descending"
    assert _ranks(page, 4) == sorted(ranks, reverse=True)
    found = headers.nth(3).locator("button")
    found.focus()
    page.keyboard.press("Space")
    keys = _ranks(page, 3)
    numbers = [k for k in keys if k is not None]
    assert numbers == sorted(numbers) and len(numbers) > 10
    assert all(k is None for k in keys[len(numbers):])  # findings without a figure come last


def test_home_filters_say_whether_they_are_pressed_and_how_many_are_shown(site, tabs):
    page, _ = tabs[390].visit(f"{site.base}/")
    total = page.locator("#claims-table tbody tr").count()
    assert page.locator(".claims-count").inner_text() == f"{total} of {total} shown"
    button = page.locator(".claims-filter button[data-verdict='Misleading']")
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator(".claims-filter button[data-verdict='']").get_attribute("aria-pressed") == "false"
    shown = page.locator("#claims-table tbody tr:visible")
    assert 0 < shown.count() < total
    for i in range(shown.count()):
        assert shown.nth(i).get_attribute("data-verdict") == "Misleading"
    assert page.locator(".claims-count").inner_text() == f"{shown.count()} of {total} shown"


def test_dark_mode_toggle_keeps_pages_and_charts_legible(site, browser):
    """Its own context: the theme keeps the reader's choice of scheme in the context's localStorage."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page, _ = open_page(context, f"{site.base}/", site.origin, wait="load")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    # the toggle's tooltip fades in under the pointer; checked half-faded, its text fails contrast. Move away
    # and wait until every tooltip is fully hidden, as a reader's would be once the pointer leaves.
    page.mouse.move(640, 880)
    page.wait_for_function(TOOLTIPS_HIDDEN)
    page.add_script_tag(url=site.axe_url)
    assert page.evaluate(AXE_RUN) == []
    page.goto(f"{site.base}/claims/rut-first-break/", wait_until="load")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"  # the choice is kept
    ground = page.eval_on_selector(".chart-wide svg > rect", "r => r.getAttribute('fill')")
    assert ground == "white"  # the picture keeps its own white ground under dark text
    context.close()


def test_about_page_and_footer_say_who_how_to_report_and_how_to_cite(site, tabs):
    page, _ = tabs[1280].visit(f"{site.base}/about/")
    text = page.locator("article").inner_text()
    for heading in ("Who made it", "Report an error", "Corrections policy", "Source code and licence", "How to cite"):
        assert heading in text
    assert page.locator("article a[href='https://github.com/example/factcheck/issues']").count() == 1
    footer = page.locator("footer")
    assert footer.locator("a[href='https://github.com/example/factcheck/issues']").count() == 1
    assert "MIT" in footer.inner_text()


# --- the published tree: versions ------------------------------------------------------------------------------


def test_version_selector_moves_between_latest_a_dated_version_and_as_published(published, browser):
    server, dated, base = published
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, seen = open_page(context, f"{base}/latest/claims/rut-first-break/", server.origin, wait="load")
    page.wait_for_function(VERSIONS_READY)
    canonical = page.get_attribute("link[rel=canonical]", "href")
    assert canonical == "https://example.github.io/factcheck/latest/claims/rut-first-break/"
    assert page.locator(".md-banner--warning:visible, [data-md-component=outdated]:visible").count() == 0

    def choose(label: str, expected: str) -> None:
        page.mouse.move(5, 600)  # away from the selector, which opens on hover
        page.locator(".md-version").hover()
        page.locator(".md-version__link", has_text=label).first.click()
        page.wait_for_url(expected)  # the theme finds the same page in the chosen version, then goes there
        page.wait_for_function(VERSIONS_READY)

    choose("As published", f"{base}/as-published/claims/rut-first-break/")
    banner = page.locator("[data-md-component=outdated]")
    assert banner.is_visible()
    with page.expect_navigation():
        banner.locator("a").click()
    assert page.url == f"{base}/latest/claims/rut-first-break/"

    choose("latest", f"{base}/latest/claims/rut-first-break/")  # chosen from latest/, stays on latest/
    page.goto(f"{base}/as-published/claims/rut-first-break/", wait_until="load")
    choose("latest", f"{base}/latest/claims/rut-first-break/")
    page.goto(f"{base}/{dated}/claims/rut-first-break/", wait_until="load")
    page.wait_for_function(VERSIONS_READY)
    assert page.locator("[data-md-component=outdated]:visible").count() == 0  # it is the latest version
    assert seen["errors"] == [] and seen["outside"] == []
    context.close()


def test_published_pages_have_no_console_error(published, browser):
    server, dated, base = published
    """Each page waits until the network is idle (every request the theme makes has answered): no later error."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    opened = [(version, path, *open_page(context, f"{base}/{version}/{path}", server.origin, wait="commit"))
              for version in ("latest", dated, "as-published") for path in ("", "claims/rut-ytd-2026/", "404.html")]
    for version, path, page, seen in opened:  # nine pages side by side: their idle periods overlap
        page.wait_for_load_state("networkidle")
        assert seen["errors"] == [] and seen["outside"] == [], (version, path, seen)
    context.close()
