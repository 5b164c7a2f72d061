"""A whole offline build, into temporary folders: pages, charts, CSVs and findings.json all appear."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from html import escape as html_escape
from html.parser import HTMLParser

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.build import build
from generator.calendars import last_visible_day
from generator.claims import all_claims

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def built(shared_site):
    """The session's shared build (tests/conftest.py): these tests only read it."""
    return shared_site.config, shared_site.result, shared_site.lines


def test_offline_build_says_it_used_the_snapshot(built):
    config, result, lines = built
    assert any("offline" in line and "snapshot" in line for line in lines)
    home = (config.site_dir / "index.html").read_text(encoding="utf-8")
    assert "stored with the site's code, not refreshed for this build" in home
    assert f"Data through {result.data_date}" in home


def test_every_claim_has_a_page_and_an_entry_in_findings(built):
    config, result, _ = built
    findings = json.loads((config.site_dir / "findings.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in findings["claims"]]
    assert ids == [c.id for c in all_claims()]
    for claim in all_claims():
        page = config.site_dir / "claims" / claim.slug / "index.html"
        assert page.exists(), claim.id
        html = page.read_text(encoding="utf-8")
        assert "Data through" in html and claim.rule.text.split(";")[0][:40] in html


def test_findings_figures_match_the_snapshot(built, market):
    config, _, _ = built
    findings = json.loads((config.site_dir / "findings.json").read_text(encoding="utf-8"))
    ytd = next(c for c in findings["claims"] if c["id"] == "RUT-YTD-2026")
    close = market.close("rut")
    seen = last_visible_day("nyse", PUBLISHED_AT).isoformat()  # the last US close before publication
    assert seen == "2026-01-22"
    expected = (close[:seen].iloc[-1] / close[:"2025-12-31"].iloc[-1] - 1) * 100
    assert ytd["publication"]["figures"]["ytd_return"]["value"] == pytest.approx(expected)
    assert ytd["publication"]["figures"]["ytd_return"]["unit"] == "%"
    assert ytd["publication"]["data_date"] == seen
    assert ytd["latest"]["data_date"] == market.last_date("rut")


def test_charts_and_csvs_sit_next_to_the_pages(built):
    config, result, _ = built
    for pub, lat in result.pairs:
        if pub.claim.chart is None or lat.computation is None:
            continue  # no chart for a claim that needs live data
        svg = config.site_dir / "claims" / f"{pub.claim.slug}.svg"
        csv = config.site_dir / "claims" / f"{pub.claim.slug}.csv"
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg"), pub.claim.id
        shown = pd.read_csv(csv)
        evidence = lat.computation.evidence
        assert list(shown.columns) == [str(c) for c in evidence.columns], pub.claim.id
        assert len(shown) == len(evidence), pub.claim.id
        assert svg.stat().st_size < 400_000, "keep pages light: downsample the evidence"


def _generated(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and "assets" not in p.parts}


def test_the_same_inputs_give_the_same_bytes(built, tmp_path):
    """A second build of the same inputs writes the same generated files, byte for byte. It renders afresh (no
    cache: a cache hit would repeat the first build's bytes) into a copy of the shared build's MkDocs project."""
    config, _, _ = built
    first = _generated(config.docs_dir)
    site_src = shutil.copytree(config.site_src_dir, tmp_path / "site_src")
    again = dataclasses.replace(config, site_src_dir=site_src, site_dir=tmp_path / "site", build_site=False,
                                cache_dir=None, log=lambda _m: None)
    build(again)
    second = _generated(again.docs_dir)
    assert sorted(second) == sorted(first)
    changed = [name for name in first if first[name] != second[name]]
    assert changed == []


class VisibleText(HTMLParser):
    """The words a reader sees: no scripts, styles, SVG internals or code spans (which show file and field names
    on purpose), and no link text that names a source repository (a proper name)."""

    SKIP = {"script", "style", "svg", "code", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.skipping: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag in self.SKIP or (tag == "a" and href.startswith("https://github.com/")):
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


SNAKE_CASE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*_[a-z0-9_]+\b(?![/.])")
"""snake_case words, but not inside a path or a repository name ("owner/some_repo:file.csv" is a proper name)."""
BUILD_JARGON = ("embedded snapshot", "needs-live-data", "matches_article", "primary_reading")


def internal_words(text: str, keys: set[str]) -> list[str]:
    found = set(SNAKE_CASE.findall(text)) | {w for w in BUILD_JARGON if w in text}
    found |= {k for k in keys if re.search(rf"\b{re.escape(k)}\b", text)}
    return sorted(found)


def test_the_scan_finds_internal_words():
    """The scan below can fail: it catches a reading key, snake_case and build jargon in reader text."""
    html = "<p>Under the at_halving_block reading, from the embedded snapshot</p><code>fine_here</code>"
    assert internal_words(visible_text(html), {"at_halving_block"}) == ["at_halving_block", "embedded snapshot"]


def test_no_internal_vocabulary_in_any_page(built):
    """Reader text is plain English: no reading keys, snake_case, dataset ids or build jargon on any page."""
    config, result, _ = built
    keys = {r.key for pub, lat in result.pairs for res in (pub, lat) if res.computation
            for r in res.computation.readings if "_" in r.key}
    keys |= {d for pub, _ in result.pairs for d in pub.claim.datasets if "_" in d}
    offenders = {}
    for page in sorted(config.site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        described = " ".join(re.findall(r'<meta name="description" content="([^"]*)"', html))
        words = internal_words(visible_text(html) + " " + described, keys)
        if words:
            offenders[str(page.relative_to(config.site_dir))] = words
    assert offenders == {}


def words_before_first_collapsed_section(html: str) -> int:
    body = html[html.index("<article"):]
    end = body.find("<details")
    body = body[:end] if end >= 0 else body[:body.index("</article>")]
    parser = VisibleText()
    parser.SKIP = {"script", "style", "svg", "figure"}  # a chart counts as a picture, not its hidden data tab
    parser.feed(body)
    return len(" ".join(parser.parts).split())


def test_each_claim_page_answers_within_its_length_budget(built):
    """What a reader sees before any collapsed section (finding, verdicts, rule, readings, chart) is at most
    about 400 words; the rest is collapsed."""
    config, result, _ = built
    counts = {pub.claim.id: words_before_first_collapsed_section(
        (config.site_dir / "claims" / pub.claim.slug / "index.html").read_text(encoding="utf-8"))
        for pub, _lat in result.pairs}
    assert {claim: n for claim, n in counts.items() if n > 400} == {}


def test_each_claim_page_opens_with_its_finding(built):
    """The first paragraph under the title is the one-sentence finding, the same one the home table shows."""
    config, result, _ = built
    home = (config.site_dir / "index.html").read_text(encoding="utf-8")
    for pub, lat in result.pairs:
        html = (config.site_dir / "claims" / pub.claim.slug / "index.html").read_text(encoding="utf-8")
        body = html[html.index("</h1>"):]
        first = re.search(r"<p[^>]*>(.*?)</p>", body, re.S).group(1)
        expected = pub.finding if pub.computation or not lat.computation else f"On the latest data: {lat.finding}"
        assert visible_text(first) == " ".join(expected.split()), pub.claim.id
        assert html_escape(expected, quote=False) in home
