"""The claim page's view: everything ``templates/claim.md.j2`` shows, prepared and escaped here.

The page answers first: the finding in one sentence, the verdict on the article as published, and whether the
statement still holds on the latest data. The readings table, the comparison that would expose a coincidence
and the robustness grid follow; method, all figures, notes and sources are collapsed below the chart.
"""

from __future__ import annotations

import json
from typing import Any

from generator.catalog import CATALOG
from generator.claimkit.base import Claim, Computation, Figure, Reading
from generator.claimkit.evaluate import ClaimResult
from generator.claimkit.vocabulary import STATUS_MEANINGS, follow_up
from generator.formatting import format_article_value, format_figure
from generator.pages.render import cell, esc, meta_text, safe_url, short_links
from generator.snapshot.manifest import Manifest

NOT_APPLICABLE = "not applicable"
NOT_COMPUTED = "not computed"
MATCH_WORDS = {True: "yes", False: "no", None: "context only"}


def dated(fig: Figure) -> str:
    """A figure as a reader sees it, with its date unless it is a date."""
    return format_figure(fig) + (f" ({fig.date})" if fig.date and fig.unit != "date" else "")


def _reading(result: ClaimResult, key: str) -> Reading | None:
    if result.computation is None:
        return None
    try:
        return result.computation.reading(key)
    except KeyError:
        return None


def _headline(result: ClaimResult, key: str) -> str:
    if result.computation is None:
        return NOT_COMPUTED
    reading = _reading(result, key)
    return cell(dated(reading.headline_figure)) if reading else NOT_APPLICABLE


def _figure(result: ClaimResult, reading_key: str, figure_key: str) -> str:
    if result.computation is None:
        return NOT_COMPUTED
    try:
        fig = result.computation.figure(figure_key, reading_key)
    except KeyError:
        return NOT_APPLICABLE
    return cell(dated(fig) + (f"; {fig.note}" if fig.note else ""))


def reading_keys(pub: ClaimResult, lat: ClaimResult) -> list[Reading]:
    """Every reading of either moment, once, in the order first seen (publication first)."""
    seen: dict[str, Reading] = {}
    for result in (pub, lat):
        for reading in result.computation.readings if result.computation else []:
            seen.setdefault(reading.key, reading)
    return list(seen.values())


def readings_rows(pub: ClaimResult, lat: ClaimResult) -> list[dict[str, Any]]:
    """The side-by-side table: each reading's headline at both moments and whether it gives the article's figure
    (as of publication, where the verdict is made)."""
    base = pub.computation or lat.computation
    rows = []
    for reading in reading_keys(pub, lat):
        at_pub = _reading(pub, reading.key)
        matches = (at_pub or reading).matches_article
        rows.append({"label": cell(reading.label), "primary": base is not None and reading.key == base.primary,
                     "publication": _headline(pub, reading.key), "latest": _headline(lat, reading.key),
                     "matches": MATCH_WORDS[matches], "context": matches is None})
    return rows


def figure_tables(pub: ClaimResult, lat: ClaimResult) -> list[dict[str, Any]]:
    """Every figure of every reading at both moments (shown collapsed)."""
    tables = []
    for reading in reading_keys(pub, lat):
        figures = [{"label": cell(fig.label), "publication": _figure(pub, reading.key, fig.key),
                    "latest": _figure(lat, reading.key, fig.key)} for fig in reading.figures]
        tables.append({"label": cell(reading.label), "figures": figures, "explanation": esc(reading.explanation)})
    return tables


def comparison_view(comp: Computation | None) -> dict[str, Any] | None:
    if comp is None or comp.comparison is None:
        return None
    c = comp.comparison
    return {"question": esc(c.question), "answer": esc(c.answer),
            "figures": [{"label": cell(f.label), "value": cell(dated(f))} for f in c.figures]}


def grid_summary(result: ClaimResult) -> str:
    """One line over the robustness grid: how many settings give each verdict."""
    comp = result.computation
    if comp is None or not comp.sensitivity:
        return ""
    counts: dict[str, int] = {}
    for setting in comp.sensitivity:
        counts[setting.label] = counts.get(setting.label, 0) + 1
    parts = [f"{label} under {n}" for label, n in counts.items()]
    return esc(f"Across the {len(comp.sensitivity)} settings tried: " + ", ".join(parts) + ".")


def grid_rows(result: ClaimResult) -> list[dict[str, Any]]:
    comp = result.computation
    if comp is None:
        return []
    return [{"parameter": cell(s.parameter), "label": s.label, "detail": cell(s.detail), "primary": s.primary}
            for s in comp.sensitivity]


def status_view(pub: ClaimResult, lat: ClaimResult) -> dict[str, Any]:
    """The still-true answer on the latest data, with the latest figure beside it."""
    label = follow_up(pub.verdict.label if pub.verdict else None, lat.verdict.label if lat.verdict else None,
                      pub.claim.fixed_in_time)
    figure = ""
    if lat.computation is not None:
        fig = lat.computation.primary_reading.headline_figure
        figure = f"{fig.label.rstrip('.')}: {dated(fig)}"
    return {"label": label, "meaning": STATUS_MEANINGS[label], "figure": esc(figure),
            "data_date": lat.data_date or "", "verdict": lat.verdict_label}


def verdict_view(result: ClaimResult) -> dict[str, Any]:
    return {"label": result.verdict_label, "reason": esc(result.verdict.reason if result.verdict else result.missing_text),
            "data_date": result.data_date or "", "as_of": result.as_of}


def finding(pub: ClaimResult, lat: ClaimResult) -> str:
    """The one-sentence answer: as of publication, or from the latest data when the claim could only be computed
    then."""
    if pub.computation is not None:
        return pub.finding
    if lat.computation is not None:
        return f"On the latest data: {lat.finding}"
    return pub.finding


def notes(pub: ClaimResult, lat: ClaimResult) -> list[str]:
    out: list[str] = []
    for comp in (pub.computation, lat.computation):
        for note in comp.notes if comp else []:
            if note not in out:
                out.append(note)
    return [short_links(esc(n)) for n in out]


def sources(claim: Claim, manifests: dict[str, Manifest]) -> list[dict[str, Any]]:
    rows = []
    for series in (*claim.needs, *claim.optional):
        m = manifests.get(series)
        spec = next(s for s in CATALOG if s.id == series)
        if m is None:
            rows.append({"id": series, "name": esc(spec.name), "upstream_id": esc(spec.upstream_id),
                         "publisher": esc(spec.source), "upstream_url": safe_url(spec.upstream_url),
                         "range": "not in this build", "retrieved_at": "never"})
            continue
        rows.append({"id": m.series, "name": esc(m.name), "upstream_id": esc(m.upstream_id), "publisher": esc(m.source),
                     "upstream_url": safe_url(m.upstream_url), "range": f"{m.first_date} to {m.last_date}",
                     "retrieved_at": esc(m.retrieved_at)})
    return rows


def plain(claim: Claim, pub: ClaimResult, lat: ClaimResult, found: str) -> dict[str, str]:
    """Unescaped text for ClaimReview and the page description (escaped where it is written)."""
    return {"title": claim.title, "paraphrase": claim.paraphrase, "finding": found,
            "publication_reason": pub.verdict.reason if pub.verdict else pub.missing_text,
            "latest_reason": lat.verdict.reason if lat.verdict else lat.missing_text,
            "status": status_view(pub, lat)["label"]}


def claim_view(pub: ClaimResult, lat: ClaimResult, manifests: dict[str, Manifest],
               chart: str | None, csv: str | None, embed: str = "") -> dict[str, Any]:
    """Everything the claim template shows, formatted and escaped. ``embed``: the chart's HTML block (Chart |
    Table | Download tabs, made by :mod:`generator.charts.embed`)."""
    claim: Claim = pub.claim
    found = finding(pub, lat)
    rows = readings_rows(pub, lat)
    return {
        "id": claim.id, "slug": claim.slug, "title": esc(claim.title), "quote": esc(claim.quote),
        "paraphrase": esc(claim.paraphrase), "section": esc(claim.section), "method": esc(claim.method),
        "rule": esc(claim.rule.text), "rule_summary": esc(claim.rule.summary), "kind": claim.kind,
        "meta_title": json.dumps(claim.title), "meta_description": json.dumps(meta_text(found)),
        "finding": esc(found), "plain": plain(claim, pub, lat, found),
        "publication": verdict_view(pub), "latest": verdict_view(lat), "status": status_view(pub, lat),
        "article_figures": [{"label": esc(a.label), "shown": esc(format_article_value(a.value, a.unit))}
                            for a in claim.article],
        "readings": [r for r in rows if not r["context"] or r["primary"]],
        "context_readings": [r for r in rows if r["context"] and not r["primary"]],
        "figure_tables": figure_tables(pub, lat),
        "comparison": comparison_view(pub.computation or lat.computation), "grid": grid_rows(pub), "grid_summary": grid_summary(pub),
        "chart": chart, "csv": csv, "chart_embed": embed, "chart_alt": esc(found).replace("]", ")").replace("[", "("),
        "chart_title": esc(claim.chart_title or claim.title),
        "notes": notes(pub, lat), "sources": sources(claim, manifests),
        "references": list(claim.references), "datasets": list(claim.datasets),
        "missing": esc(pub.missing_text or lat.missing_text),
    }
