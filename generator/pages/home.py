"""The home page's view: a bottom line computed from the verdicts and the breakout evidence, and one row per
claim with the finding, the verdict on the article as published and whether it still holds."""

from __future__ import annotations

from typing import Any

from generator.claimkit.evaluate import ClaimResult
from generator.claimkit.vocabulary import HOLDS, NEEDS_DATA, STATUSES, VERDICTS
from generator.formatting import format_article_value
from generator.pages.claim import dated, finding, status_view
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


def bottom_line(pairs: list[Pair]) -> list[str]:
    """Two or three sentences: how many claims hold, how many do not, and what the signal rests on."""
    counts = verdict_counts(pairs)
    held = sum(counts[label] for label in HOLDS)
    wrong = counts["Misleading"] + counts["Inaccurate"]
    other = counts["Opinion"] + counts["Unverifiable"]
    other_text = "1 is an opinion or unverifiable" if other == 1 else f"{other} are opinions or unverifiable"
    sentences = [
        f"Of the article's {len(pairs)} checkable statements, {held} hold up as published "
        f"({counts['Accurate']} accurate, {counts['Mostly accurate']} mostly accurate) and {wrong} do not "
        f"({counts['Misleading']} misleading, {counts['Inaccurate']} inaccurate); {other_text}"
        + (f"; {counts[NEEDS_DATA]} could not be computed in this build." if counts[NEEDS_DATA] else ".")
    ]
    signal = next(((pub, lat) for pub, lat in pairs if pub.claim.id == SIGNAL_CLAIM), None)
    if signal is not None:
        pub, lat = signal
        comp = pub.computation or lat.computation
        if comp is not None and comp.comparison is not None:
            sentences.append(f"The signal itself: {comp.comparison.answer}")
        elif comp is not None:
            sentences.append(f"The signal itself: {finding(pub, lat)}")
    statuses = status_counts(pairs)
    moved = statuses["No longer holds"] + statuses["Now holds"]
    if moved:
        sentences.append(f"On the latest data, {statuses['No longer holds']} of the statements that held no longer "
                         f"do and {statuses['Now holds']} that did not now do.")
    return [esc(s) for s in sentences]


def home_row(pub: ClaimResult, lat: ClaimResult) -> dict[str, Any]:
    claim = pub.claim
    status = status_view(pub, lat)
    article_fig = "; ".join(format_article_value(a.value, a.unit) for a in claim.article) or "(opinion)"
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
        "latest_figure": esc(dated(lat.computation.primary_reading.headline_figure)) if lat.computation else "",
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
