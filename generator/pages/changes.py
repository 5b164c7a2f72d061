"""Verdict drift between published versions, and the Atom feed of it.

Each published version carries its ``findings.json``. Sorting the versions by data date and comparing each
with the one before gives, per claim, the same two questions the home page asks: did the verdict on the
article as published change (a correction), and did the still-true answer on the latest data change (the
world moved)? Each comes with the headline figure (the primary reading's headline, as a reader sees it).
No state beyond the published
versions is needed, and the output depends only on them: no clock is read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from generator.claimkit.vocabulary import NEEDS_DATA
from generator.formatting import format_value
from generator.pages.claimreview import SITE_NAME

NEEDS_LIVE = NEEDS_DATA
MOMENTS = (("latest", "still true on the latest data"), ("publication", "verdict on the article as published"))
FEED_NAMESPACE = uuid.UUID("0b9f5f43-3f0e-5d3c-9a53-5a4c1c0f2026")
"""Namespace of the feed's entry ids (uuid5 of version/claim/moment: stable across rebuilds)."""


@dataclass(frozen=True)
class PublishedVersion:
    """One version of the site: its mike name, title, data date and results."""

    name: str
    title: str
    data_date: str
    findings: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Release:
    """What a build needs to know when it is published as a version."""

    version: str
    title: str
    site_root: str = ""
    """The site's root URL (never a version's URL: mike adds the version folder)."""
    history: tuple[PublishedVersion, ...] = ()
    """Versions already published (from the gh-pages branch), in any order."""

    def version_url(self, version: str) -> str:
        return f"{self.site_root.rstrip('/')}/{version}/" if self.site_root else ""


@dataclass(frozen=True)
class Change:
    """One claim whose verdict or headline figure moved between two versions (None: the claim was absent)."""

    claim_id: str
    title: str
    slug: str
    moment: str
    verdict_before: str | None
    verdict_after: str | None
    figure_before: str | None
    figure_after: str | None

    @property
    def kind(self) -> str:
        if self.verdict_before is None:
            return "new claim"
        if self.verdict_after is None:
            return "claim removed"
        label = "verdict" if self.moment == "publication" else "still-true answer"
        parts = [name for name, before, after in ((label, self.verdict_before, self.verdict_after),
                                                  ("headline figure", self.figure_before, self.figure_after))
                 if before != after]
        return " and ".join(parts)

    @property
    def moment_label(self) -> str:
        return dict(MOMENTS)[self.moment]

    def summary(self) -> str:
        if self.verdict_before is None:
            return f"new claim: {self.verdict_after}, {self.figure_after}"
        if self.verdict_after is None:
            return "claim removed"
        bits = []
        if self.verdict_before != self.verdict_after:
            label = "verdict" if self.moment == "publication" else "still true?"
            bits.append(f"{label} {self.verdict_before} → {self.verdict_after}")
        if self.figure_before != self.figure_after:
            bits.append(f"headline figure {self.figure_before} → {self.figure_after}")
        return f"{'; '.join(bits)} ({self.moment_label})"


@dataclass(frozen=True)
class VersionChanges:
    version: PublishedVersion
    previous: PublishedVersion | None
    changes: tuple[Change, ...]


def headline(evaluation: dict[str, Any]) -> tuple[str, str]:
    """(verdict, headline figure as shown) of one moment of one claim in findings.json."""
    verdict = evaluation.get("verdict") or NEEDS_LIVE
    if evaluation.get("status") != "computed":
        return verdict, NEEDS_LIVE.lower()
    primary = evaluation.get("primary_reading")
    for reading in evaluation.get("readings", []):
        if reading["key"] != primary:
            continue
        for fig in reading["figures"]:
            if fig["key"] == reading["headline"]:
                return verdict, format_value(fig["value"], fig["unit"])
    return verdict, "n/a"


def answer(claim: dict[str, Any], moment: str) -> tuple[str, str]:
    """(label, headline figure) of one claim for one question: the verdict as published, or the still-true
    label on the latest data (older findings without it fall back to the latest verdict)."""
    verdict, figure = headline(claim[moment])
    if moment == "latest" and claim.get("still_true"):
        return claim["still_true"], figure
    return verdict, figure


def drift(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every claim whose verdict, still-true answer or headline figure differs between two findings documents."""
    old = {c["id"]: c for c in before["claims"]}
    new_ids = {c["id"] for c in after["claims"]}
    changes: list[Change] = []
    for claim in after["claims"]:
        if claim["id"] not in old:
            verdict, figure = headline(claim["publication"])
            changes.append(Change(claim["id"], claim["title"], claim["slug"], "publication", None, verdict, None,
                                  figure))
            continue
        for moment, _label in MOMENTS:
            vb, fb = answer(old[claim["id"]], moment)
            va, fa = answer(claim, moment)
            if (vb, fb) != (va, fa):
                changes.append(Change(claim["id"], claim["title"], claim["slug"], moment, vb, va, fb, fa))
    for claim in before["claims"]:
        if claim["id"] not in new_ids:
            vb, fb = headline(claim["publication"])
            changes.append(Change(claim["id"], claim["title"], claim["slug"], "publication", vb, None, fb, None))
    return changes


def ordered(versions: Iterable[PublishedVersion]) -> list[PublishedVersion]:
    """Oldest data first; one entry per version name (a later duplicate replaces an earlier one)."""
    unique = {v.name: v for v in versions}
    return sorted(unique.values(), key=lambda v: (v.data_date, v.name))


def timeline(versions: Iterable[PublishedVersion]) -> list[VersionChanges]:
    """Each version with its changes since the version before it (by data date), newest first."""
    chain = ordered(versions)
    out = []
    for i, version in enumerate(chain):
        previous = chain[i - 1] if i else None
        changes = tuple(drift(previous.findings, version.findings)) if previous else ()
        out.append(VersionChanges(version, previous, changes))
    return list(reversed(out))


def entry_id(version: str, change: Change) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, f'{version}/{change.claim_id}/{change.moment}')}"


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def atom_feed(history: list[VersionChanges], release: Release, feed_url: str, page_url: str) -> str:
    """An Atom 1.0 feed with one entry per claim change per version, newest version first.

    ``feed_url`` and ``page_url`` are the feed's own address and the "What changed" page's; entry links point
    at the claim page inside the version where the change appeared.
    """
    newest = history[0].version.data_date if history else "1970-01-01"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(SITE_NAME)}: verdict changes</title>",
        f"  <subtitle>{escape('Claims whose verdict or headline figure changed between versions of the site.')}"
        "</subtitle>",
        f"  <id>urn:uuid:{uuid.uuid5(FEED_NAMESPACE, 'feed')}</id>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(feed_url)}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(page_url)}/>",
        f"  <updated>{_stamp(newest)}</updated>",
        f"  <author><name>{escape(SITE_NAME)}</name></author>",
    ]
    for item in history:
        base = release.version_url(item.version.name)
        for change in item.changes:
            link = f"{base}claims/{change.slug}/" if base and change.verdict_after is not None else page_url
            title = f"{change.claim_id}: {change.summary()}"
            body = (f"{change.title}. Version {item.version.name} (data through {item.version.data_date}) compared "
                    f"with {item.previous.name if item.previous else 'nothing'}: {change.summary()}.")
            lines += [
                "  <entry>",
                f"    <title>{escape(title)}</title>",
                f"    <id>{entry_id(item.version.name, change)}</id>",
                f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
                f"    <updated>{_stamp(item.version.data_date)}</updated>",
                f"    <summary>{escape(body)}</summary>",
                f"    <category term={quoteattr(change.kind)}/>",
                "  </entry>",
            ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
