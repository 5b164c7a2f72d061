"""Render the site's Markdown pages from Jinja templates. Views are prepared here; templates only lay out."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import article
from generator.catalog import CATALOG
from generator.claimkit.base import VERDICTS, Claim
from generator.claimkit.evaluate import ClaimResult
from generator.formatting import format_article_value, format_figure
from generator.publish.claimreview import claim_review_script
from generator.snapshot.manifest import Manifest
from generator.validate import ValidationReport

NEEDS_LIVE = "Needs live data"
VERDICT_MEANINGS = {
    "Accurate": "The figure is right under the most natural reading, within the claim's stated tolerance.",
    "Mostly accurate": "Close, but off by more than the tolerance for Accurate, or right only with a caveat.",
    "Misleading": "The number may be right under some reading, but the impression it gives is not.",
    "Inaccurate": "The data contradict the figure under the most natural reading.",
    "Unverifiable": "No public data can settle it.",
    "Opinion": "An interpretation, not a checkable figure: the page shows context data instead.",
    NEEDS_LIVE: "Computable, but this build had no access to an input that exists only upstream.",
}


def meta_text(text: str) -> str:
    """Text for a page's meta description. The theme writes it into an attribute without escaping it,
    so characters that could end the attribute or open a tag are dropped, and '&' is spelled out."""
    return re.sub(r'[<>"]', "", str(text)).replace("&", "and")


_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "`": "&#96;", "{": "&#123;", "}": "&#125;"})


def esc(text: str) -> str:
    """Data text shown on a page: HTML-escaped, so a '<script>' in a claim or note is shown, not run.
    Markdown link, code and attribute-list syntax is neutralised too, so text cannot make a link or an
    ``onclick`` attribute."""
    return html.escape(str(text), quote=False).translate(_MARKUP)


def safe_url(url: str) -> str:
    """``url`` if it is an absolute http(s) address safe inside a Markdown link, else "" (never linked)."""
    from urllib.parse import quote, urlsplit

    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        return ""
    return quote(text, safe=":/?#@!$&'*+,;=%-._~")


def link(text: str, url: str) -> str:
    """A Markdown link to an http(s) ``url`` with escaped ``text``; only the escaped text when the URL is not
    http(s) (a ``javascript:`` or ``data:`` address is never rendered as a link)."""
    target = safe_url(url)
    label = cell(text)
    return f"[{label}]({target})" if target else label


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


def _shown(result: ClaimResult, key: str, reading: str) -> str:
    if result.computation is None:
        return NEEDS_LIVE.lower()
    try:
        return format_figure(result.computation.figure(key, reading))
    except KeyError:
        return "n/a"


def claim_view(pub: ClaimResult, lat: ClaimResult, manifests: dict[str, Manifest],
               chart: str | None, csv: str | None) -> dict[str, Any]:
    """Everything the claim template shows, formatted."""
    claim: Claim = pub.claim
    base = pub.computation or lat.computation
    readings = []
    if base is not None:
        for reading in base.readings:
            def side(result: ClaimResult, key: str = reading.key) -> str:
                if result.computation is None:
                    return NEEDS_LIVE.lower()
                try:
                    r = result.computation.reading(key)
                except KeyError:
                    return "not applicable"
                f = r.headline_figure
                return format_figure(f) + (f" ({f.date})" if f.date and f.unit != "date" else "")

            figures = []
            for fig in reading.figures:
                def fig_side(result: ClaimResult, key: str = fig.key, rk: str = reading.key) -> str:
                    if result.computation is None:
                        return NEEDS_LIVE.lower()
                    try:
                        f = result.computation.figure(key, rk)
                    except KeyError:
                        return "n/a"
                    shown = format_figure(f) + (f" ({f.date})" if f.date and f.unit != "date" else "")
                    return cell(shown + (f"; {f.note}" if f.note else ""))

                figures.append({"label": cell(fig.label), "publication": fig_side(pub), "latest": fig_side(lat)})
            matches = {True: "yes", False: "no", None: "context only"}[reading.matches_article]
            readings.append({"label": cell(reading.label), "publication": side(pub), "latest": side(lat),
                             "matches": matches, "primary": reading.key == base.primary,
                             "figures": figures, "explanation": reading.explanation})
        # readings that exist only at the latest date (context) are appended by the latest computation
        if lat.computation is not None and pub.computation is not None:
            known = {r.key for r in pub.computation.readings}
            for reading in lat.computation.readings:
                if reading.key in known:
                    continue
                f = reading.headline_figure
                readings.append({
                    "label": reading.label, "publication": "not applicable",
                    "latest": format_figure(f) + (f" ({f.date})" if f.date and f.unit != "date" else ""),
                    "matches": {True: "yes", False: "no", None: "context only"}[reading.matches_article],
                    "primary": False, "explanation": reading.explanation,
                    "figures": [{"label": g.label, "publication": "not applicable", "latest": format_figure(g)}
                                for g in reading.figures],
                })

    def matching(result: ClaimResult) -> str:
        if result.computation is None:
            return ""
        labels = [r.label for r in result.computation.readings if r.matches_article]
        if labels:
            return "reproduced by: " + "; ".join(esc(label) for label in labels)
        if any(r.matches_article is False for r in result.computation.readings):
            return "no reading reproduces the article's figure"
        return ""

    def moment(result: ClaimResult) -> dict[str, Any]:
        return {"as_of": result.as_of, "data_date": result.data_date, "verdict": result.verdict_label,
                "reason": cell(moment_reason(result))}

    notes: list[str] = []
    for comp in (pub.computation, lat.computation):
        for note in comp.notes if comp else []:
            if note not in notes:
                notes.append(note)
    sources = []
    for series in claim.needs:
        m = manifests.get(series)
        if m is None:
            spec = next(s for s in CATALOG if s.id == series)
            sources.append({"id": series, "name": spec.name, "upstream_id": spec.upstream_id,
                            "publisher": spec.source, "upstream_url": link(spec.upstream_url, spec.upstream_url),
                            "first_date": "-", "last_date": "-", "retrieved_at": "never (live only)",
                            "method": "not fetched"})
            continue
        sources.append({"id": m.series, "name": cell(m.name), "upstream_id": cell(m.upstream_id),
                        "publisher": cell(m.source), "upstream_url": link(m.upstream_url, m.upstream_url),
                        "first_date": cell(m.first_date), "last_date": cell(m.last_date),
                        "retrieved_at": cell(m.retrieved_at), "method": cell(m.method)})
    return {
        "meta_title": json.dumps(f"{claim.id}: {claim.title}"), "meta_description": json.dumps(meta_text(claim.paraphrase)),
        "plain": {"title": claim.title, "paraphrase": claim.paraphrase,
                  "publication_reason": moment_reason(pub), "latest_reason": moment_reason(lat)},
        "id": claim.id, "slug": claim.slug, "title": esc(claim.title), "quote": esc(claim.quote),
        "paraphrase": esc(claim.paraphrase), "section": esc(claim.section), "method": esc(claim.method),
        "rule": esc(claim.rule.text), "chart": chart, "csv": csv, "chart_title": esc(claim.chart_title or claim.title),
        "article_figures": [{"label": esc(a.label), "shown": esc(format_article_value(a.value, a.unit))}
                            for a in claim.article],
        "matching_publication": matching(pub), "matching_latest": matching(lat),
        "publication": moment(pub), "latest": moment(lat), "readings": readings, "notes": [esc(n) for n in notes],
        "sources": sources, "datasets": list(claim.datasets), "references": list(claim.references),
        "missing": pub.missing or lat.missing,
    }


def dataset_views(root: Path, claims: list[Claim]) -> list[dict[str, Any]]:
    """Live-only datasets: what each is, which claims need it, and its manifest when one was fetched."""
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
        })
    return views


def moment_reason(result: ClaimResult) -> str:
    """Why a verdict was given (or why there is none), as plain text."""
    return result.verdict.reason if result.verdict else (result.missing or "")


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
                if "date" in item:
                    shown = f"{shown} ({item['date']})"
                name = key.replace("_", " ")
                if "change_pct" in item:
                    name, shown = f"{item.get('series', '')} one-day move", f"{item['change_pct']:+.2f}% ({item['date']})"
                facts.append({"name": cell(name), "value": cell(f"{shown} {item.get('unit', '')}".strip()),
                              "source": link("source", item["source"]), "retrieved": cell(item.get("retrieved", "-")),
                              "note": cell(item.get("note", ""))})
        views.append({"file": cell(path.name), "about": cell(doc.get("about", "")), "facts": facts})
    return views


def home_rows(pairs: list[tuple[ClaimResult, ClaimResult]]) -> list[dict[str, Any]]:
    rows = []
    for pub, lat in pairs:
        claim = pub.claim
        headline, what = NEEDS_LIVE.lower(), ""
        for result, suffix in ((pub, ""), (lat, " (latest)")):
            if result.computation is not None:
                figure = result.computation.primary_reading.headline_figure
                headline, what = format_figure(figure) + suffix, figure.label
                break
        article_fig = "; ".join(format_article_value(a.value, a.unit) for a in claim.article) or "(opinion)"
        rows.append({"order": claim.order, "id": claim.id, "title": esc(claim.title), "href": f"claims/{claim.slug}/",
                     "article_figure": esc(article_fig), "computed": esc(headline), "computed_label": esc(what),
                     "verdict_publication": pub.verdict_label, "verdict_latest": lat.verdict_label})
    return rows


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
        rows = home_rows(pairs)
        labels = [*VERDICTS, NEEDS_LIVE]
        summary = [{"label": label, "count": sum(r["verdict_publication"] == label for r in rows)} for label in labels]
        return self.render("home.md.j2", "index.md", rows=rows, claims=rows,
                           summary=[s for s in summary if s["count"]],
                           verdict_labels=[label for label in labels if any(
                               label in (r["verdict_publication"], r["verdict_latest"]) for r in rows)])

    def claim(self, view: dict[str, Any]) -> Path:
        view = {**view, "claimreview": claim_review_script(view, self.site), "card": f"claims/{view['slug']}.png"}
        return self.render("claim.md.j2", f"claims/{view['slug']}.md", c=view)

    def methodology(self, claims: list[Claim]) -> Path:
        from generator.pages import verdict_badges

        return self.render("methodology.md.j2", "methodology.md", verdicts=verdict_badges(),
                           claims=[{"id": c.id, "slug": c.slug, "rule": c.rule.text.replace("|", "/")} for c in claims])

    def data(self, series: list[dict[str, Any]], absent: list[dict[str, str]], fetch_lines: list[str],
             references: list[dict[str, Any]] | None = None, datasets: list[dict[str, Any]] | None = None) -> Path:
        return self.render("data.md.j2", "data.md", series=series, absent=absent, fetch_lines=fetch_lines,
                           references=references or [], datasets=datasets or [])


def verdict_badges() -> list[dict[str, str]]:
    return [{"badge": f'<span class="verdict verdict--{verdict_class(v)}">{v}</span>', "meaning": VERDICT_MEANINGS[v]}
            for v in [*VERDICTS, NEEDS_LIVE]]
