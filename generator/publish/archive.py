"""The archive form of a published version: every page it had stays at its URL, generated from its findings.

An archived version holds:

- one small HTML page per page the full version had (same paths): a claim page shows that claim's verdicts as
  published and on the version's data, the still-true answer, both finding sentences and the main reading's
  figures with their dates; every other page (home, methodology, data, ...) shows the version's verdict table.
  Each page says what it is and links to the same page in the nearest full version before it (charts, tables
  and data downloads), in ``latest/``, and to the version's findings;
- ``findings.json.gz``: the version's ``findings.json``, byte for byte, gzip-compressed (fixed header, so the
  same input gives the same bytes);
- its ``sitemap.xml`` (the version selector looks pages up in it), and a one-entry ``feed.xml`` that points
  to the current feed.

The theme, search index, charts and downloads are not kept (the full versions carry them). Rebuilding the
archive form from an archived version gives the same bytes: :func:`archive_version` reads either form.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from collections.abc import Mapping
from html import escape, unescape
from typing import Any

from generator.formatting import format_value

FINDINGS = "findings.json"
FINDINGS_GZ = "findings.json.gz"
KEPT = ("sitemap.xml", "sitemap.xml.gz")
ARCHIVED_SUFFIX = " (archived)"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
STYLE = ("body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
         ".note{background:#f4f4f4;padding:.6rem 1rem}")


class ArchiveError(Exception):
    """A version cannot be archived (it has no findings)."""


def compress(data: bytes) -> bytes:
    """gzip with a zero timestamp: the same bytes in, the same bytes out."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def findings_bytes(files: Mapping[str, bytes]) -> bytes:
    """The version's findings.json bytes, from either form."""
    if FINDINGS in files:
        return files[FINDINGS]
    if FINDINGS_GZ in files:
        return gzip.decompress(files[FINDINGS_GZ])
    raise ArchiveError("the version has neither findings.json nor findings.json.gz")


def is_archived(files: Mapping[str, bytes]) -> bool:
    return FINDINGS_GZ in files and FINDINGS not in files


def archived_title(title: str) -> str:
    return title if title.endswith(ARCHIVED_SUFFIX) else title + ARCHIVED_SUFFIX


def _page_title(html: bytes, fallback: str) -> str:
    found = _TITLE.search(html.decode("utf-8", "replace"))
    return unescape(found.group(1)).strip() if found else fallback


def _up(page: str) -> str:
    """From ``page`` (a path in the version) to the version's folder."""
    return "../" * page.count("/")


def _figures(evaluation: Mapping[str, Any]) -> str:
    rows = []
    for fig in (evaluation.get("figures") or {}).values():
        date = f" ({escape(str(fig['date']))})" if fig.get("date") else ""
        rows.append(f"<tr><td>{escape(str(fig.get('label', '')))}</td>"
                    f"<td>{escape(format_value(fig.get('value'), str(fig.get('unit', ''))))}{date}</td></tr>")
    return "<table><tr><th>Figure</th><th>Value (date)</th></tr>" + "".join(rows) + "</table>" if rows else ""


def _verdict(evaluation: Mapping[str, Any]) -> str:
    return escape(str(evaluation.get("verdict") or "No verdict (the data needed were not available)"))


def _claim_body(claim: Mapping[str, Any], data_date: str) -> str:
    pub, lat = claim["publication"], claim["latest"]
    parts = [f"<h1>{escape(str(claim['title']))}</h1>",
             f"<p>The article: “{escape(str(claim.get('quote', '')))}”</p>",
             f"<h2>Verdict on the article as published: {_verdict(pub)}</h2>",
             f"<p>{escape(str(pub.get('finding') or ''))}</p>", _figures(pub),
             f"<h2>On the data through {escape(data_date)}: {_verdict(lat)}</h2>",
             f"<p>Still true? {escape(str(claim.get('still_true') or 'n/a'))}</p>",
             f"<p>{escape(str(lat.get('finding') or ''))}</p>", _figures(lat)]
    return "\n".join(p for p in parts if p)


def _table(doc: Mapping[str, Any], page: str) -> str:
    rows = []
    for claim in doc.get("claims", []):
        href = f"{_up(page)}claims/{claim['slug']}/"
        rows.append(f"<tr><td><a href=\"{escape(href)}\">{escape(str(claim['title']))}</a></td>"
                    f"<td>{_verdict(claim['publication'])}</td><td>{_verdict(claim['latest'])}</td>"
                    f"<td>{escape(str(claim.get('still_true') or 'n/a'))}</td></tr>")
    return ("<table><tr><th>Claim</th><th>Verdict as published</th><th>On this version's data</th>"
            "<th>Still true?</th></tr>" + "".join(rows) + "</table>")


def render_page(page: str, title: str, doc: Mapping[str, Any], version_title: str, nearest: str | None,
                claim: Mapping[str, Any] | None) -> str:
    """One archived page (``page`` is its path in the version, e.g. ``claims/x/index.html``)."""
    data_date = str(doc["data"]["data_date"])
    up = _up(page)
    here = posixpath.dirname(page) + "/" if posixpath.dirname(page) else ""
    here = "" if page == "404.html" else here
    links = [f"<a href=\"{up}{FINDINGS_GZ}\">all of this version's figures (findings.json, compressed)</a>"]
    if nearest:
        links.insert(0, f"<a href=\"{up}../{escape(nearest)}/{escape(here)}\">this page in the full version of "
                        f"{escape(nearest)}</a> (charts, tables and data downloads)")
    links.append(f"<a href=\"{up}../latest/{escape(here)}\">this page on the latest data</a>")
    if claim:
        body = _claim_body(claim, data_date)
    elif page == "index.html":
        body = f"<h1>{escape(title)}</h1>\n" + _table(doc, page)
    else:  # methodology, data, about...: the full version has them; the verdicts are on the home page
        body = (f"<h1>{escape(title)}</h1>\n<p>This page is kept in the full versions. Every claim's verdict in "
                f"this version is on <a href=\"{up or './'}\">this version's home page</a>.</p>")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{escape(title)}</title><meta name=\"robots\" content=\"noindex\"><style>{STYLE}</style></head>\n"
        f"<body>\n<p class=\"note\">{escape(archived_title(version_title))}: an archived copy of this fact-check "
        f"with data through {escape(data_date)}. It keeps every verdict, finding and headline figure of this "
        f"version; the charts, tables and method are in the full versions. See "
        + "; ".join(links) + ".</p>\n"
        + body + "\n</body></html>\n"
    )


def feed(version: str, data_date: str, latest_feed: str) -> str:
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>Verdict changes (archived version {escape(version)})</title>"
            f"<id>urn:factcheck:archived:{escape(version)}</id><updated>{escape(data_date)}T00:00:00Z</updated>"
            f"<link rel=\"alternate\" href=\"{escape(latest_feed)}\"/>"
            f"<entry><title>This version is archived: the current feed is at {escape(latest_feed)}</title>"
            f"<id>urn:factcheck:archived:{escape(version)}:feed</id><updated>{escape(data_date)}T00:00:00Z</updated>"
            f"<link href=\"{escape(latest_feed)}\"/><summary>Subscribe to the latest feed for verdict changes."
            "</summary></entry></feed>\n")


def archive_version(files: Mapping[str, bytes], version: str, version_title: str, nearest: str | None
                    ) -> dict[str, bytes]:
    """The archive form of one version, from its files in full or archive form (paths inside the version).

    ``nearest``: the full version its pages point to for charts and data (None: none before it)."""
    raw = findings_bytes(files)
    doc = json.loads(raw)
    claims = {f"claims/{c['slug']}/index.html": c for c in doc.get("claims", [])}
    out: dict[str, bytes] = {FINDINGS_GZ: compress(raw)}
    for page in sorted(p for p in files if p.endswith(".html")):
        title = _page_title(files[page], version_title)
        out[page] = render_page(page, title, doc, version_title, nearest, claims.get(page)).encode("utf-8")
    for name in KEPT:
        if name in files:
            out[name] = files[name]
    if "feed.xml" in files:
        out["feed.xml"] = feed(version, str(doc["data"]["data_date"]), "../latest/feed.xml").encode("utf-8")
    return out
