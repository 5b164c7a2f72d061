"""The reader pages around the claims: preview cards, "How to read this site", "What changed" and its feed.

Called by :func:`generator.pages.write_pages` in the build. A plain build has no release: its "What changed"
page has this build only; ``generator publish`` passes the versions already on gh-pages and deploys the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.article import PUBLICATION_DATE
from generator.charts.drawing import Pending
from generator.claimkit.evaluate import ClaimResult
from generator.pages import cards, changes, claimreview
from generator.pages.claim import status_view
from generator.pages.render import PageWriter, SiteInfo, status_badges, verdict_badges

if TYPE_CHECKING:
    from generator.build import BuildConfig
    from generator.cache import ContentCache
    from generator.charts.drawing import InlineDrawing

Pair = tuple[ClaimResult, ClaimResult]

LATEST = "latest"
AS_PUBLISHED = "as-published"
FEED = "feed.xml"


def current_release(config: BuildConfig, site: SiteInfo) -> changes.Release:
    if config.release is not None:
        return config.release
    return changes.Release(version=site.data_date, title=f"Data through {site.data_date}")


StartedCards = list[tuple[Path, Pending]]
EXAMPLE = 0
"""The claim (by position) whose card "How to read this site" shows: the one card a page needs while MkDocs runs."""


def start_cards(config: BuildConfig, pairs: list[Pair], site: SiteInfo, build_cache: ContentCache | None = None,
                drawer: InlineDrawing | None = None) -> StartedCards:
    """Start every claim's card (read from ``build_cache`` when unchanged, else handed to ``drawer``)."""
    started = []
    for pub, lat in pairs:
        spec = cards.card_spec(pub.claim.id, pub.claim.title, pub.verdict_label, status_view(pub, lat)["label"],
                               lat.data_date or site.data_date, claimreview.SITE_NAME)
        path = config.docs_dir / "claims" / f"{pub.claim.slug}.png"
        started.append((path, cards.start_card(f"the preview card of {pub.claim.id}", spec, build_cache, drawer)))
    return started


def finish_cards(started: StartedCards, docs: Path | None = None, site: Path | None = None) -> None:
    """Wait for each card and write it into the docs folder, and also into the built ``site`` if given (at its
    place relative to ``docs``, where MkDocs would have copied it)."""
    for path, pending in started:
        data = pending.result()
        targets = [path] + ([site / path.relative_to(docs)] if site is not None and docs is not None else [])
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def write_cards(config: BuildConfig, pairs: list[Pair], site: SiteInfo, build_cache: ContentCache | None = None
                ) -> None:
    finish_cards(start_cards(config, pairs, site, build_cache))


def _change_row(change: changes.Change, present: set[str]) -> dict[str, Any]:
    return {
        "claim_id": change.claim_id, "title": change.title, "kind": change.kind, "moment": change.moment_label,
        "is_status": change.moment == "latest",
        "link": f"claims/{change.slug}.md" if change.claim_id in present else None,
        "verdict_before": change.verdict_before or "-", "verdict_after": change.verdict_after or "-",
        "figure_before": change.figure_before or "-", "figure_after": change.figure_after or "-",
    }


def version_rows(history: list[changes.VersionChanges], release: changes.Release,
                 present: set[str]) -> list[dict[str, Any]]:
    rows = []
    for item in history:
        rows.append({
            "name": item.version.name, "title": item.version.title, "data_date": item.version.data_date,
            "anchor": f"v-{item.version.name}", "current": item.version.name == release.version,
            "url": release.version_url(item.version.name),
            "previous": item.previous.name if item.previous else None,
            "changes": [_change_row(c, present) for c in item.changes],
        })
    return rows


def feed_urls(config: BuildConfig, release: changes.Release) -> tuple[str, str]:
    """(feed URL, "What changed" page URL): the stable `latest` addresses when published, else this build's."""
    if release.site_root:
        base = release.version_url(LATEST)
    else:
        base = config.site_url.rstrip("/") + "/" if config.site_url else ""
    return f"{base}{FEED}", f"{base}changes/"


def write_reader_pages(config: BuildConfig, pairs: list[Pair], doc: dict[str, Any], site: SiteInfo,
                       build_cache: ContentCache | None = None, cards_too: bool = True) -> None:
    """How-to-read.md, changes.md and feed.xml into the docs folder, and with ``cards_too`` the cards (read from
    ``build_cache`` when unchanged, else drawn here; the build starts and writes them itself)."""
    release = current_release(config, site)
    writer = PageWriter(config.templates_dir, config.docs_dir, site)
    if cards_too:
        write_cards(config, pairs, site, build_cache)
    current = changes.PublishedVersion(release.version, release.title, site.data_date, doc)
    history = changes.timeline([*release.history, current])
    present = {c["id"] for c in doc["claims"]}
    feed_url, page_url = feed_urls(config, release)
    (config.docs_dir / FEED).write_text(changes.atom_feed(history, release, feed_url, page_url), encoding="utf-8")
    writer.render("changes.md.j2", "changes.md", versions=version_rows(history, release, present),
                  release=release, feed=FEED, feed_url=feed_url)
    example = pairs[EXAMPLE][0].claim if pairs else None
    writer.render(
        "how-to-read.md.j2", "how-to-read.md", release=release, verdicts=verdict_badges(), statuses=status_badges(),
        scale=[{"verdict": v, "value": n} for v, n in sorted(claimreview.TRUTH_SCALE.items(), key=lambda x: -x[1])],
        off_scale=claimreview.OFF_SCALE, best=claimreview.BEST_RATING, worst=claimreview.WORST_RATING,
        example={"slug": example.slug, "title": example.title} if example else None,
        latest=LATEST, as_published=AS_PUBLISHED, publication=PUBLICATION_DATE.isoformat(),
        root_url=release.site_root, feed=FEED,
    )
