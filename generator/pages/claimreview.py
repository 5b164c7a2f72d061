"""schema.org ClaimReview for each claim page, as JSON-LD that data text cannot break out of.

The rating uses one stated scale: 4 Accurate, 3 Mostly accurate, 2 Misleading, 1 Inaccurate (best 4, worst 1).
Unverifiable, Opinion and "Needs live data" are not points on a truth scale: they carry ``ratingValue`` -1
and say so in ``ratingExplanation``; ``alternateName`` always holds the verdict word.

The review rates the claim as the article made it: the verdict *at publication*. When the latest data give a
different verdict, the explanation says so.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from generator import article

SITE_NAME = "Russell 2000 → Bitcoin: a fact-check"
"""The reviewing organisation's name (the site's name in ``site_src/mkdocs.base.yml``)."""

TRUTH_SCALE: dict[str, int] = {"Inaccurate": 1, "Misleading": 2, "Mostly accurate": 3, "Accurate": 4}
BEST_RATING = max(TRUTH_SCALE.values())
WORST_RATING = min(TRUTH_SCALE.values())
OFF_SCALE = -1
"""``ratingValue`` of a verdict that is not a point on the truth scale (Unverifiable, Opinion, Needs live data)."""

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class SiteLike(Protocol):
    data_date: str
    published: str
    publisher: str
    article_title: str
    article_url: str
    site_url: str


def rating_value(verdict: str) -> int:
    return TRUTH_SCALE.get(verdict, OFF_SCALE)


def page_url(site: SiteLike, slug: str) -> str:
    """The claim page's address: absolute under a published version, else relative to the site root."""
    path = f"claims/{slug}/"
    return f"{site.site_url.rstrip('/')}/{path}" if site.site_url else path


def rating(view: dict[str, Any]) -> dict[str, Any]:
    """The rating of the article as published; the still-true answer on the latest data is added as a
    sentence, never as the rating."""
    verdict = view["publication"]["label"]
    explanation = view["plain"]["publication_reason"] or ""
    if verdict not in TRUTH_SCALE:
        explanation = f"{explanation} (not rated on the truth scale)".strip()
    status, latest = view["status"], view["latest"]
    if status["label"] not in ("Fixed in time", "Not a factual claim", "Not computed"):
        explanation += f" Still true on the latest data (through {latest['data_date'] or latest['as_of']})? " \
                       f"{status['label']}."
    return {
        "@type": "Rating",
        "ratingValue": rating_value(verdict),
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": verdict,
        "ratingExplanation": explanation.strip(),
    }


def claim_review(view: dict[str, Any], site: SiteLike) -> dict[str, Any]:
    """The ClaimReview object for one claim page (``view`` is :func:`generator.pages.claim_view`'s output)."""
    reviewer: dict[str, Any] = {"@type": "Organization", "name": SITE_NAME}
    if site.site_url:
        reviewer["url"] = site.site_url
    appearance = {
        "@type": "NewsArticle",
        "url": site.article_url,
        "headline": site.article_title,
        "datePublished": site.published,
        "publisher": {"@type": "Organization", "name": site.publisher},
    }
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url(site, view["slug"]),
        "name": view["plain"]["title"],
        "claimReviewed": view["plain"]["paraphrase"],
        "reviewBody": view["plain"]["finding"],
        "datePublished": site.data_date,
        "author": reviewer,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": article.AUTHOR},
            "datePublished": site.published,
            "appearance": appearance,
            "firstAppearance": appearance,
        },
        "reviewRating": rating(view),
    }


def script_json(doc: dict[str, Any]) -> str:
    """JSON for inside ``<script>``: ``<``, ``>``, ``&`` and line separators become \\u escapes (still valid JSON),
    so no text in the data can close the element or open a comment."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text)


def claim_review_script(view: dict[str, Any], site: SiteLike) -> str:
    return f'<script type="application/ld+json">{script_json(claim_review(view, site))}</script>'
