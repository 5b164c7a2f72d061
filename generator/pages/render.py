"""Rendering: the Jinja environment, escaping, and the writer of the site's Markdown pages.

Views are prepared in Python (``claim.py``, ``home.py`` and the data-page views below); templates only lay out.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import article
from generator.catalog import CATALOG
from generator.claimkit.base import Claim
from generator.claimkit.evaluate import ClaimResult
from generator.claimkit.vocabulary import NEEDS_DATA, STATUS_MEANINGS, STATUSES, VERDICT_MEANINGS, VERDICTS
from generator.pages.claimreview import claim_review_script
from generator.snapshot.manifest import Manifest
from generator.validate import ValidationReport


def meta_text(text: str) -> str:
    """Text for a page's meta description. The theme writes it into an attribute without escaping it, so
    characters that could end the attribute or open a tag are dropped, and '&' is written as its entity."""
    return re.sub(r'[<>"]', "", str(text)).replace("&", "&amp;")


_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "`": "&#96;", "{": "&#123;", "}": "&#125;"})


def esc(text: str) -> str:
    """Data text shown on a page: HTML-escaped, so a '<script>' in a claim or note is shown, not run.
    Markdown link, code and attribute-list syntax is neutralised too, so text from data cannot make a link
    or an ``onclick`` attribute."""
    return html.escape(str(text), quote=False).translate(_MARKUP)


def safe_url(url: str) -> str:
    """A link target from data: only absolute http(s) addresses pass, percent-encoded so that no quote,
    bracket, parenthesis or space can end the link or the attribute; anything else (``javascript:``...)
    becomes an inert ``#``."""
    from urllib.parse import quote, urlsplit

    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "#"
    return quote(text, safe=":/?#@!$&*+,;=%-._~")


def link(text: str, url: str) -> str:
    """A Markdown link to an http(s) ``url`` with escaped ``text``; only the escaped text when the URL is not
    http(s) (a ``javascript:`` or ``data:`` address is never rendered as a link)."""
    target = safe_url(url)
    return f"[{cell(text)}]({target})" if target != "#" else cell(text)


URL = re.compile(r"https?://[^\s;,)<>\]]+")


def short_links(text: str) -> str:
    """Raw web addresses in (already escaped) text become Markdown links with a short label: the host and,
    for a long path, its last 8 characters ("mempool.space/…171342e"), so hashes do not fill the page."""

    def link(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(".")
        rest = match.group(0)[len(url):]
        host, _, path = url.split("://", 1)[1].partition("/")
        label = host if not path else (f"{host}/{path}" if len(path) <= 24 else f"{host}/…{path[-8:]}")
        return f"[{label}]({url}){rest}"

    return URL.sub(link, text)


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: escaped, no pipes or line breaks that would split the row."""
    return esc(text).replace("|", "\\|").replace("\n", " ")


def verdict_class(label: str) -> str:
    return label.lower().replace(" ", "-")


def environment(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["verdict_class"] = verdict_class
    return env


@dataclass(frozen=True)
class SiteInfo:
    data_date: str
    origin_sentence: str
    fetch_sentence: str
    published: str = article.PUBLICATION_DATE.isoformat()
    publisher: str = article.PUBLISHER
    article_title: str = article.TITLE
    article_url: str = article.URL
    description: str = ("A claim-by-claim fact-check of a January 2026 article linking the Russell 2000's "
                        "breakout to a Bitcoin bull market, recomputed from market data.")
    site_url: str = ""
    """Absolute URL this build is served from (a published version's folder), or "" for a local build."""
    stale_note: str = ""
    """How old the data are when they trail the build date (shown on every page), or "" when current."""


def dataset_views(root: Path, claims: list[Claim]) -> list[dict[str, Any]]:
    """Datasets: what each is, which claims read it, its manifest when there is one (imported from public
    files, with terms, origins and checks, or fetched live)."""
    from generator.datasets.store import load_manifests

    manifests = load_manifests(root) if root.exists() else {}
    names = sorted({d for c in claims for d in c.datasets} | set(manifests))
    views = []
    for name in names:
        m = manifests.get(name)
        views.append({
            "name": name, "claims": ", ".join(c.id for c in claims if name in c.datasets) or "-",
            "fetched": m is not None,
            "description": cell(m.description) if m else "not fetched yet (needs network)",
            "source": cell(m.source) if m else "-", "retrieved_at": m.retrieved_at if m else "-",
            "range": f"{m.first_date} to {m.as_of}" if m else "-", "rows": m.rows if m else 0,
            "sha256": m.sha256[:12] if m else "-",
            "status": ("imported from public files" if m.method == "import" else "fetched") if m else "not fetched",
            "imported": bool(m and m.method == "import"),
            "long_description": esc(m.description) if m else "",
            "terms": esc(m.terms) if m else "",
            "origins": [{"short": esc(o.location.split("/blob/")[0].removeprefix("https://github.com/")),
                         "location": safe_url(quote(o.location, safe=":/#")), "commit_short": (o.commit or "")[:7],
                         "publisher": esc(o.publisher), "range": f"{o.first_date} to {o.last_date}"}
                        for o in (m.origins if m else [])],
            "checks": [esc(str(c["summary"])) for c in (m.cross_checks if m else []) if "summary" in c],
            "notes": [esc(n) for n in (m.notes if m else [])],
        })
    return views


def reference_views(reference_dir: Path) -> list[dict[str, Any]]:
    """Every sourced fact of every reference file (entries that carry a ``source``), for the data page."""
    views = []
    for path in sorted(reference_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        facts = []
        for key, entry in doc.items():
            entries = entry if isinstance(entry, list) else [entry]
            for item in entries:
                if not isinstance(item, dict) or "source" not in item:
                    continue
                shown = item.get("value", item.get("height"))
                note = cell(item.get("note", ""))
                if "url" in item:
                    # a fact from a publication: ``source`` names the publisher, ``url`` links it, ``date`` is
                    # when it was published (older files put the link itself in ``source``)
                    note = cell(f"{item['source']}, {item.get('date', 'undated')}: {item.get('note', '')}")
                elif "date" in item:
                    shown = f"{shown} ({item['date']})"
                name = key.replace("_", " ")
                if "change_pct" in item:
                    name, shown = f"{item.get('series', '')} one-day move", f"{item['change_pct']:+.2f}% ({item['date']})"
                facts.append({"name": cell(name), "value": cell(f"{shown} {item.get('unit', '')}".strip()),
                              "source": safe_url(item.get("url", item["source"])),
                              "retrieved": cell(item.get("retrieved", "-")), "note": note})
        views.append({"file": cell(path.name), "about": cell(doc.get("about", "")), "facts": facts})
    return views


def series_views(manifests: dict[str, Manifest], reports: dict[str, ValidationReport]) -> list[dict[str, Any]]:
    views = []
    for spec in CATALOG:
        m = manifests.get(spec.id)
        if m is None:
            continue
        origins = [{
            "role": cell(o.role),
            "link": link(o.location.split("github.com/")[-1].split("/blob/")[0] + ":"
                         + o.location.split("/blob/")[-1].split("/", 1)[-1]
                         if "github.com/" in o.location else o.location, o.location),
            "commit_short": cell((o.commit or "-")[:10]), "written_at": cell(o.written_at or "-"),
            "rows_used": o.rows_used, "first_date": cell(o.first_date or "-"), "last_date": cell(o.last_date or "-"),
        } for o in m.origins]
        checks = [{key: cell(value) for key, value in
                   {"examples": "", **x, "tolerance_pct": f"{float(x['tolerance']):.3%}"}.items()}
                  for x in m.cross_checks]
        report = reports.get(spec.id)
        plain = {key: cell(value) for key, value in m.model_dump().items() if isinstance(value, str | int | float)}
        views.append({
            **plain, "adjusted": m.adjusted, "id": spec.id, "origins": origins, "cross_checks": checks,
            "upstream_link": link(m.upstream_url, m.upstream_url), "notes": [cell(n) for n in m.notes],
            "excluded": m.excluded, "excluded_dates": cell(", ".join(e.get("date", "") for e in m.excluded)),
            "warnings": [cell(f"{i.check}" + (f" ({i.date})" if i.date else "") + f": {i.message}")
                         for i in (report.warnings if report else [])],
        })
    return views


class PageWriter:
    """Writes rendered pages into the MkDocs docs folder."""

    def __init__(self, templates: Path, docs: Path, site: SiteInfo) -> None:
        self.env = environment(templates)
        self.docs = docs
        self.site = site

    def render(self, template: str, target: str, **context: Any) -> Path:
        depth = target.count("/")
        text = self.env.get_template(template).render(site=self.site, root="../" * depth, **context)
        path = self.docs / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def home(self, pairs: list[tuple[ClaimResult, ClaimResult]]) -> Path:
        from generator.pages.home import home_view

        return self.render("home.md.j2", "index.md", home=home_view(pairs), claims=pairs)

    def claim(self, view: dict[str, Any]) -> Path:
        # a claim this build could not judge gets no ClaimReview: there is no rating to give
        review = claim_review_script(view, self.site) if view["publication"]["label"] != NEEDS_DATA else ""
        view = {**view, "claimreview": review, "card": f"claims/{view['slug']}.png"}
        return self.render("claim.md.j2", f"claims/{view['slug']}.md", c=view)

    def methodology(self, claims: list[Claim]) -> Path:
        from generator.article import PUBLISHED_AT, PUBLISHED_AT_NOTE

        return self.render("methodology.md.j2", "methodology.md", verdicts=verdict_badges(), statuses=status_badges(),
                           published_at=PUBLISHED_AT.isoformat(timespec="minutes"),
                           published_at_utc=PUBLISHED_AT.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                           published_at_note=esc(PUBLISHED_AT_NOTE),
                           claims=[{"id": c.id, "slug": c.slug, "title": esc(c.title), "rule": cell(c.rule.text)}
                                   for c in claims])

    def data(self, series: list[dict[str, Any]], absent: list[dict[str, str]], fetch_lines: list[str],
             references: list[dict[str, Any]] | None = None, datasets: list[dict[str, Any]] | None = None) -> Path:
        return self.render("data.md.j2", "data.md", series=series, absent=absent, fetch_lines=fetch_lines,
                           references=references or [], datasets=datasets or [])


def verdict_badges() -> list[dict[str, str]]:
    return [{"badge": f'<span class="verdict verdict--{verdict_class(v)}">{v}</span>', "meaning": VERDICT_MEANINGS[v]}
            for v in [*VERDICTS, NEEDS_DATA]]


def status_badges() -> list[dict[str, str]]:
    return [{"badge": f'<span class="status status--{verdict_class(s)}">{s}</span>', "meaning": STATUS_MEANINGS[s]}
            for s in STATUSES]
