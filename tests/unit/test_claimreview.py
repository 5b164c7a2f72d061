"""Every claim page carries schema.org ClaimReview JSON-LD that parses, has the fields search engines read,
and cannot be broken out of by text in the data."""

from __future__ import annotations

import dataclasses
import json
import shutil
from html.parser import HTMLParser

import pytest

from generator import article, paths
from generator.build import BuildConfig, build
from generator.claims import all_claims
from generator.claims.rut_ytd_2026 import CLAIM as RUT_YTD
from generator.pages import claimreview
from generator.pages.claim import status_view
from generator.pages.render import SiteInfo

SITE_URL = "https://example.github.io/factcheck/2026-08-20/"
HOSTILE = 'Up 9% </script><script>alert("x")</script> <!-- & \u2028 done'


class Scripts(HTMLParser):
    """The text of every <script type="application/ld+json"> element, as a browser would split it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.scripts = 0
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
            self._in = dict(attrs).get("type") == "application/ld+json"
            if self._in:
                self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def json_ld(html: str) -> list[dict]:
    parser = Scripts()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def fresh_site_src(root):
    site_src = root / "site_src"
    shutil.copytree(paths.SITE_SRC_DIR, site_src, ignore=shutil.ignore_patterns("mkdocs.yml"))
    return site_src


@pytest.fixture(scope="module")
def built(shared_site):
    """The session's shared build (tests/conftest.py), which has a site_url: these tests only read it."""
    assert shared_site.config.site_url.startswith("https://")
    return shared_site.config, shared_site.result


def review_of(config, slug: str) -> dict:
    html = (config.site_dir / "claims" / slug / "index.html").read_text(encoding="utf-8")
    reviews = [d for d in json_ld(html) if d.get("@type") == "ClaimReview"]
    assert len(reviews) == 1, f"{slug}: expected one ClaimReview, found {len(reviews)}"
    return reviews[0]


def test_every_claim_page_has_a_complete_claim_review(built):
    config, result = built
    site_url = config.site_url
    for pub, lat in result.pairs:
        if pub.verdict is None:  # not judged in this build: no rating is published for it
            html = (config.site_dir / "claims" / pub.claim.slug / "index.html").read_text(encoding="utf-8")
            assert not [d for d in json_ld(html) if d.get("@type") == "ClaimReview"], pub.claim.id
            continue
        review = review_of(config, pub.claim.slug)
        assert review["@context"] == "https://schema.org"
        assert review["claimReviewed"] == pub.claim.paraphrase
        assert review["url"] == f"{site_url}claims/{pub.claim.slug}/"
        assert review["datePublished"] == result.data_date
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["url"] == article.URL
        assert item["author"]["name"] == article.AUTHOR
        rating = review["reviewRating"]
        assert rating["alternateName"] == pub.verdict_label
        assert isinstance(rating["ratingValue"], int)
        assert (rating["worstRating"], rating["bestRating"]) == (1, 4)
        on_scale = pub.verdict_label in claimreview.TRUTH_SCALE
        assert (rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]) == on_scale
        assert review["reviewBody"] == (pub.finding if pub.computation else lat.finding if lat.computation
                                        else pub.finding) or review["reviewBody"].startswith("On the latest data")
        status = status_view(pub, lat)["label"]
        if status not in ("Fixed in time", "Not a factual claim", "Not computed"):
            assert f"? {status}." in rating["ratingExplanation"]  # the still-true answer, said, not rated


def test_the_review_url_is_the_canonical_page_and_the_card_is_og_image(built):
    config, result = built
    site_url, slug = config.site_url, result.pairs[0][0].claim.slug
    html = (config.site_dir / "claims" / slug / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{site_url}claims/{slug}/">' in html
    assert f'<meta property="og:image" content="{site_url}claims/{slug}.png">' in html
    for pub, _lat in result.pairs:  # every card, also those drawn while MkDocs ran, is in the site and in docs
        for folder in (config.site_dir, config.docs_dir):
            assert (folder / "claims" / f"{pub.claim.slug}.png").read_bytes().startswith(b"\x89PNG"), folder


def test_the_rating_scale_orders_the_truth_verdicts():
    values = [claimreview.rating_value(v) for v in ("Inaccurate", "Misleading", "Mostly accurate", "Accurate")]
    assert values == sorted(values) == [1, 2, 3, 4]
    for off in ("Unverifiable", "Opinion", "Needs live data"):
        assert claimreview.rating_value(off) == claimreview.OFF_SCALE


def test_data_text_cannot_close_the_script_element():
    site = SiteInfo(data_date="2026-08-20", origin_sentence="", fetch_sentence="", site_url=SITE_URL)
    moment = {"as_of": "2026-01-23", "data_date": "2026-01-23", "label": "Accurate", "reason": HOSTILE}
    plain = {"title": HOSTILE, "paraphrase": HOSTILE, "publication_reason": HOSTILE, "latest_reason": HOSTILE,
             "finding": HOSTILE}
    view = {"id": "X-1", "slug": "x-1", "plain": plain, "publication": moment, "latest": moment,
            "status": {"label": "Still holds"}}
    tag = claimreview.claim_review_script(view, site)
    body = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body and "\u2028" not in body
    [doc] = json_ld(tag)
    assert doc["claimReviewed"] == HOSTILE
    assert doc["reviewBody"] == HOSTILE
    assert doc["reviewRating"]["ratingExplanation"].startswith(HOSTILE)


def test_a_hostile_claim_text_survives_the_whole_build(tmp_path, monkeypatch):
    """Through Jinja, Markdown and MkDocs the JSON-LD stays one intact element with the text unchanged."""
    hostile = dataclasses.replace(RUT_YTD, paraphrase=HOSTILE)
    monkeypatch.setattr("generator.build.all_claims", lambda: [hostile])
    config = BuildConfig(offline=True, site_src_dir=fresh_site_src(tmp_path), site_dir=tmp_path / "site",
                         site_url=SITE_URL, log=lambda _m: None)
    build(config)
    html = (config.site_dir / "claims" / RUT_YTD.slug / "index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">')
    element = html[start:html.index("</script>", start) + len("</script>")]
    assert json.loads(element.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))[
        "claimReviewed"] == HOSTILE, "the first </script> after the JSON-LD must be its own end tag"
    assert review_of(config, RUT_YTD.slug)["claimReviewed"] == HOSTILE
    # and on the visible page the same text is shown, not run
    body = html[html.index('<article'):]
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_claim_pages_of_the_registry_are_all_reviewed(built):
    config, _ = built
    assert {c.slug for c in all_claims()} <= {p.parent.name for p in (config.site_dir / "claims").glob("*/index.html")}
