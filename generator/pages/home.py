"""The home page's view: a bottom line computed from the verdicts and the breakout evidence, and one row per
claim with the finding, the verdict on the article as published and whether it still holds."""

from __future__ import annotations

from typing import Any

from generator.claimkit.evaluate import ClaimResult
from generator.claimkit.vocabulary import NEEDS_DATA, STATUSES, VERDICTS
from generator.formatting import format_article_value
from generator.pages.claim import finding, status_view
from generator.pages.render import esc

SIGNAL_CLAIM = "RUT-BREAKOUTS-2016-2020"
"""The claim that carries the article's central signal: its comparison (the base rate) goes into the bottom line."""
SEVERITY = {label: rank for rank, label in enumerate([*VERDICTS, NEEDS_DATA])}
"""Sort order of verdicts on the home table: Accurate first, then down the scale."""

Pair = tuple[ClaimResult, ClaimResult]


def verdict_counts(pairs: list[Pair]) -> dict[str, int]:
    counts = {label: 0 for label in [*VERDICTS, NEEDS_DATA]}
    for pub, _lat in pairs:
        counts[pub.verdict_label] += 1
    return counts


def status_counts(pairs: list[Pair]) -> dict[str, int]:
    counts = {label: 0 for label in STATUSES}
    for pub, lat in pairs:
        counts[status_view(pub, lat)["label"]] += 1
    return counts


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def signal_answer(pairs: list[Pair]) -> str:
    """The home page's own question answered from the signal claim: its verdict and the comparison that would
    expose a coincidence."""
    signal = next(((pub, lat) for pub, lat in pairs if pub.claim.id == SIGNAL_CLAIM), None)
    if signal is None:
        return ""
    pub, lat = signal
    comp = pub.computation or lat.computation
    if comp is None:
        return ""
    evidence = comp.comparison.answer if comp.comparison is not None else finding(pub, lat)
    if pub.verdict_label == "Accurate":
        return f"On the record so far, the breakouts did come before bitcoin rallies: {evidence}"
    return f"The data do not show a reliable signal: {evidence}"


def bottom_line(pairs: list[Pair]) -> list[str]:
    """The answer to the home page's question, then how many statements hold and whether that has changed."""
    counts = verdict_counts(pairs)
    held = counts["Accurate"] + counts["Mostly accurate"]
    wrong = counts["Misleading"] + counts["Inaccurate"]
    parts = [f"{held} of the article's {len(pairs)} checkable statements hold up as published "
             f"({counts['Accurate']} accurate, {counts['Mostly accurate']} mostly accurate)",
             f"{wrong} do not ({counts['Misleading']} misleading, {counts['Inaccurate']} inaccurate)"]
    if counts["Opinion"]:
        parts.append(_count(counts["Opinion"], "is an opinion", "are opinions"))
    if counts["Unverifiable"]:
        parts.append(_count(counts["Unverifiable"], "cannot be verified", "cannot be verified"))
    if counts[NEEDS_DATA]:
        parts.append(_count(counts[NEEDS_DATA], "could not be computed in this build",
                            "could not be computed in this build"))
    sentences = [s for s in (signal_answer(pairs), _join(parts) + ".") if s]
    statuses = status_counts(pairs)
    lost, gained = statuses["No longer holds"], statuses["Now holds"]
    if lost or gained:
        changes = []
        if lost:
            changes.append(_count(lost, "statement that held no longer does", "statements that held no longer do"))
        if gained:
            changes.append(_count(gained, "that did not hold now does", "that did not hold now do"))
        sentences.append("On the latest data, " + " and ".join(changes) + ".")
    return [esc(s) for s in sentences]


def home_row(pub: ClaimResult, lat: ClaimResult) -> dict[str, Any]:
    claim = pub.claim
    status = status_view(pub, lat)
    article_fig = "; ".join(format_article_value(a.value, a.unit) for a in claim.article) or f"“{claim.quote}”"
    sort_value = ""
    comp = pub.computation or lat.computation
    if comp is not None:
        value = comp.primary_reading.headline_figure.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            sort_value = f"{float(value):.10g}"
    return {
        "order": claim.order, "id": claim.id, "title": esc(claim.title), "href": f"claims/{claim.slug}/",
        "article_figure": esc(article_fig), "finding": esc(finding(pub, lat)), "sort_value": sort_value,
        "verdict": pub.verdict_label, "verdict_rank": SEVERITY[pub.verdict_label],
        "status": status["label"], "status_rank": STATUSES.index(status["label"]),
        "latest_figure": status["figure"],
    }


def home_view(pairs: list[Pair]) -> dict[str, Any]:
    rows = [home_row(pub, lat) for pub, lat in pairs]
    verdicts = verdict_counts(pairs)
    statuses = status_counts(pairs)
    return {
        "rows": rows, "bottom_line": bottom_line(pairs),
        "verdict_summary": [{"label": k, "count": v} for k, v in verdicts.items() if v],
        "status_summary": [{"label": k, "count": v} for k, v in statuses.items() if v],
        "verdict_labels": [k for k, v in verdicts.items() if v],
        "status_labels": [k for k, v in statuses.items() if v],
    }
