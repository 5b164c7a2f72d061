"""Everything a reader sees, in one place: claim pages, the home page, methodology and data pages, the reader
pages (how to read, what changed, the feed), preview cards and ClaimReview.

The build calls :func:`write_pages`; publishing only deploys what it wrote. Views are prepared in Python
(``claim.py``, ``home.py``, ``render.py``); Jinja templates only lay them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.catalog import CATALOG
from generator.charts.embed import ChartEmbed
from generator.claimkit.evaluate import ClaimResult
from generator.pages.claim import claim_view
from generator.pages.render import PageWriter, SiteInfo, cell, dataset_views, reference_views, series_views

__all__ = ["PageWriter", "SiteInfo", "claim_view", "write_pages"]

Pair = tuple[ClaimResult, ClaimResult]


def claim_warnings(needs: tuple[str, ...] | list[str], reports: dict[str, Any]) -> list[str]:
    """The validation warnings on the series a claim uses, as escaped lines for its page."""
    names = {s.id: s.name for s in CATALOG}
    return [cell(f"{names.get(sid, sid)}, {issue.date or 'whole series'}: {issue.check}: {issue.message}")
            for sid in needs if sid in reports for issue in reports[sid].warnings]


def write_pages(writer: PageWriter, pairs: list[Pair], manifests: dict[str, Any], reports: dict[str, Any],
                absent: list[str], charts: dict[str, ChartEmbed], fetch_lines: list[str],
                reference_dir: Path, datasets_dir: Path) -> None:
    """The home page, one page per claim, the methodology page and the data page."""
    writer.home(pairs)
    for pub, lat in pairs:
        chart = charts.get(pub.claim.id)
        view = claim_view(pub, lat, manifests, chart.svg if chart else None, chart.csv if chart else None,
                          embed=chart.html if chart else "")
        view["data_warnings"] = claim_warnings(pub.claim.needs, reports)
        writer.claim(view)
    claims = [p[0].claim for p in pairs]
    writer.methodology(claims)
    missing = [{"upstream_id": s.upstream_id, "name": s.name} for s in CATALOG if s.id in absent]
    writer.data(series_views(manifests, reports), missing, fetch_lines, reference_views(reference_dir),
                dataset_views(datasets_dir, claims))
