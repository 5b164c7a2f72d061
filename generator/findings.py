"""The machine-readable results (``findings.json``): every claim, its figures and verdict at both dates.

Shape (version 1)::

    {"schema": "factcheck-findings/1",
     "article": {"url", "title", "publisher", "author", "published"},
     "data": {"data_date", "origin": "embedded snapshot" | "live fetch merged into the snapshot",
              "series": {id: {...manifest summary}}, "live_only": [series ids not in the snapshot]},
     "claims": [{"id", "slug", "title", "section", "kind", "quote", "paraphrase", "method", "rule",
                 "needs": [series ids, the main one first], "datasets": [live-only dataset names],
                 "article_figures": [{"key", "label", "value", "unit", "phrase"}],
                 "publication": Evaluation, "latest": Evaluation}]}

    Claim also has "kind" ("fact" | "signal" | "opinion"), "fixed_in_time" and
    "still_true" (the label on the still-true scale, from both moments).

    Evaluation = {"as_of", "data_date", "status": "computed" | "needs-live-data", "missing",
                  "verdict", "verdict_reason", "finding" (one plain sentence),
                  "alternatives": [{"what", "verdict"}] (other readings or settings that flip the verdict),
                  "primary_reading", "readings_matching_article": [keys],
                  "figures": {key: {"value", "unit", "date", "label"}},   # the primary reading's figures
                  "readings": [{"key", "label", "matches_article", "headline", "explanation",
                                "figures": [{"key", "label", "value", "unit", "date", "note"}]}],
                  "notes": [...], "context": {...},
                  "comparison": {"question", "answer", "figures"} | null (the check for a coincidence),
                  "sensitivity": [{"parameter", "verdict", "detail", "primary"}] (the robustness grid)}

Numbers are plain JSON numbers in the stated unit (``%`` = percent, ``USD``, ``points``, ``x`` = multiple,
``BTC``, ``date`` = ISO date string). No timestamps of the build itself: same inputs, same bytes.
"""

from __future__ import annotations

import json
import math
from typing import Any

from generator import article
from generator.claimkit.base import Figure, Reading
from generator.claimkit.evaluate import ClaimResult
from generator.claimkit.vocabulary import follow_up

SCHEMA = "factcheck-findings/1"


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 10)
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def figure_dict(fig: Figure) -> dict[str, Any]:
    return {"key": fig.key, "label": fig.label, "value": _clean(fig.value), "unit": fig.unit,
            "date": fig.date, "note": fig.note}


def reading_dict(reading: Reading) -> dict[str, Any]:
    return {"key": reading.key, "label": reading.label, "matches_article": reading.matches_article,
            "headline": reading.headline, "explanation": reading.explanation,
            "figures": [figure_dict(f) for f in reading.figures]}


def evaluation_dict(result: ClaimResult) -> dict[str, Any]:
    comp = result.computation
    out: dict[str, Any] = {
        "as_of": result.as_of, "data_date": result.data_date, "status": result.status,
        "missing": result.missing,
        "verdict": result.verdict.label if result.verdict else None,
        "verdict_reason": result.verdict.reason if result.verdict else None,
        "finding": result.finding,
        "alternatives": [{"what": a.what, "verdict": a.label} for a in result.alternatives],
    }
    if comp is None:
        out.update({"primary_reading": None, "readings_matching_article": [], "figures": {}, "readings": [],
                    "notes": [], "context": {}, "comparison": None, "sensitivity": []})
        return out
    primary = comp.primary_reading
    out["primary_reading"] = primary.key
    out["readings_matching_article"] = [r.key for r in comp.readings if r.matches_article]
    out["figures"] = {f.key: {"value": _clean(f.value), "unit": f.unit, "date": f.date, "label": f.label}
                      for f in primary.figures}
    out["readings"] = [reading_dict(r) for r in comp.readings]
    out["notes"] = list(comp.notes)
    out["context"] = {k: _clean(v) for k, v in sorted(comp.context.items())}
    out["comparison"] = None if comp.comparison is None else {
        "question": comp.comparison.question, "answer": comp.comparison.answer,
        "figures": [figure_dict(f) for f in comp.comparison.figures]}
    out["sensitivity"] = [{"parameter": s.parameter, "verdict": s.label, "detail": s.detail, "primary": s.primary}
                          for s in comp.sensitivity]
    return out


def claim_dict(publication: ClaimResult, latest: ClaimResult) -> dict[str, Any]:
    claim = publication.claim
    return {
        "id": claim.id, "slug": claim.slug, "title": claim.title, "section": claim.section,
        "kind": claim.kind, "quote": claim.quote, "paraphrase": claim.paraphrase,
        "method": claim.method, "rule": claim.rule.text, "needs": list(claim.needs),
        "datasets": list(claim.datasets),
        "article_figures": [{"key": a.key, "label": a.label, "value": a.value, "unit": a.unit, "phrase": a.phrase}
                            for a in claim.article],
        "fixed_in_time": claim.fixed_in_time,
        "still_true": follow_up(publication.verdict.label if publication.verdict else None,
                                latest.verdict.label if latest.verdict else None, claim.fixed_in_time),
        "publication": evaluation_dict(publication),
        "latest": evaluation_dict(latest),
    }


def findings(pairs: list[tuple[ClaimResult, ClaimResult]], data_info: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "article": {"url": article.URL, "title": article.TITLE, "publisher": article.PUBLISHER,
                    "author": article.AUTHOR, "published": article.PUBLICATION_DATE.isoformat()},
        "data": data_info,
        "claims": [claim_dict(pub, lat) for pub, lat in pairs],
    }


def dumps(doc: dict[str, Any]) -> str:
    """Compact JSON (no indentation: 40% fewer bytes in every published version); ``python -m json.tool``
    shows it indented. Every reader (the changes page, the publish history, the tests) parses it."""
    return json.dumps(doc, separators=(",", ":"), sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"
