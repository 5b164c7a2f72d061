"""How the gh-pages branch stores five years of weekday versions in under 1 GB, every URL still readable.

GitHub Pages refuses a site over 1 GB (the tree on the branch, uncompressed). mike copies a whole built site
per version (17.7 MB before this module; about 1,300 versions in five years of weekdays), so storage is
designed around two measured facts: most of a version's bytes are files that are byte-identical across
versions (theme, scripts, styles) or that only a few readers ever open (chart downloads, CSVs, card images),
and nobody needs every daily version's full pages forever, but everybody needs every verdict ever published.

1. **Shared, content-addressed assets** (:func:`share_assets`). Every non-HTML file a version links to
   (JavaScript, CSS, images, chart SVG/PNG downloads, CSVs, cards) moves to ``_assets/<sha256 prefix>/<name>``
   at the branch root and the version's HTML/XML references are rewritten to it: relative links (the
   ``latest/`` copy sits at the same depth as its version, so one rewrite fits both), root-absolute links (the
   404 page) and absolute URLs under the site (``og:image``). A file identical in two versions is stored once;
   its name is kept so a download keeps its file name. ``_assets/refs.json`` lists which assets each full
   version uses, so assets nothing uses any more are deleted in the same commit.
2. **A retention rule that never loses a verdict** (:class:`Retention`). These versions stay full (theme,
   charts, tables, search): the newest ``newest`` dated versions (default 10, two weeks), every non-dated
   version (``as-published``), the first version of each ``period`` (default: quarter), and versions in which
   a claim's verdict at publication, its verdict on the latest data or its still-true answer differs from the
   previous dated version (``changes``: all of them, or the first of each month or quarter; default: the
   first of each month). Every other version is rewritten into its **archive form**
   (:mod:`generator.publish.archive`): each HTML page it had stays at its URL as a small page generated from
   that version's own findings (each claim's verdicts, finding sentences, figures and data date, with links
   to the same page in the nearest full version before it and in ``latest/``), ``findings.json`` becomes
   ``findings.json.gz`` (the publish history and the "What changed" page read either), the sitemap stays.
   ``versions.json`` keeps every version (an archived version's title ends in "(archived)"), so the version
   selector lists all of them. No verdict is lost in either form: an archived version still shows every
   verdict, finding and headline figure it published, and the "What changed" page still compares them all.

   Whether a version is kept depends only on it and the versions before it, so a version's status and the
   full version its archive links to never change once it is archived: archiving is deterministic and
   idempotent (an archived version run through it again gives the same bytes). An archived version cannot
   become full again (its charts are gone), so loosening the rule later only affects versions not yet archived.

   The defaults come from the measurements (``python scripts/project_storage.py``, 2026-12-02): a new full
   version adds about 6 MB (its pages with inline charts about 3.9 MB, its findings and search index 0.65 MB,
   its new chart SVG downloads, CSVs and cards about 1.4 MB); an archived one about 130 KB; on the committed
   data a verdict or still-true answer moved in 14 of 31 weeks of 2026 (mostly the "price discovery" claim
   flipping as the index nears its high), so keeping *every* change-version full would mean some 150 full
   versions, about 1.1 GB. The default rule keeps at most 10 + 20 + 60 = 90 full versions whatever the change
   rate (81 at the measured rate): about 0.66 GB in five years, a third of the limit spare for heavier pages.
   (Before the chart PNG downloads left the site and the cards were compressed, a full version added 12.6 MB
   and only "the first change of each quarter" fitted.)

Why this design rather than the alternatives: sharing alone (slim per-version pages) still costs every
version its HTML, with the inline charts and tables about 4-5 MB; 1,300 of those are several GB. Keeping
findings and claim pages for every version, with charts shared when unchanged, fails for the same reason:
charts change with every day of data. Dropping old versions would lose URLs that readers and search engines
were given. The archive form keeps every URL and every verdict and figure at about a hundred KB per version;
the full versions kept by the rule carry the charts, and their number grows with periods and verdict changes,
not with days. :func:`project` shows the numbers (``python scripts/project_storage.py``).

Staging (:func:`generator.publish.flow.stage`) writes the exact change set into ``<stage>/pages/`` (new
versions in shared form, archive rewrites, new assets); the links gate checks those files; the deploy commits
them, ``versions.json`` and the asset clean-up in one commit (:meth:`generator.publish.versions.Pages.commit`).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SHARED_DIR = "_assets"
REFS = f"{SHARED_DIR}/refs.json"
"""Which shared assets each full version uses: ``{"version": [asset paths]}``."""
SHAREABLE = frozenset({".js", ".css", ".png", ".svg", ".csv", ".woff", ".woff2", ".ttf", ".ico", ".jpg", ".jpeg",
                       ".gif", ".webp"})
REWRITTEN = frozenset({".html", ".xml"})
"""Files whose references to shared assets are rewritten (never shared themselves)."""
HASH_CHARS = 16
PAGES_LIMIT = 1_000_000_000
"""GitHub Pages refuses a published site over 1 GB."""
_CSS_URL = re.compile(rb"url\(\s*['\"]?(?!data:)([^'\")\s]+)")
_QUOTED = re.compile(r"""(["'])([^"'\s<>]+?\.(?:js|css|png|svg|csv|woff2?|ttf|ico|jpe?g|gif|webp))([?#][^"'\s<>]*)?\1""")


# --- shared assets -------------------------------------------------------------------------------------------


def asset_path(name: str, data: bytes) -> str:
    """Where a file's bytes live in the shared store: ``_assets/<first 16 hex of SHA-256>/<file name>``."""
    return f"{SHARED_DIR}/{hashlib.sha256(data).hexdigest()[:HASH_CHARS]}/{name}"


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def shareable(files: Mapping[str, bytes]) -> set[str]:
    """The site paths that can move to the shared store.

    Not shared: HTML/XML/JSON (they differ per version or are read at a fixed path: findings, search index,
    sitemap), a stylesheet that loads other files by a relative ``url()`` and those files (the relative path
    would break), and the search worker when the site ships search languages (it loads them relative to itself).
    """
    out = {p for p in files if posixpath.splitext(p)[1].lower() in SHAREABLE}
    for path in [p for p in out if p.endswith(".css")]:
        refs = [m.group(1).decode("utf-8", "replace") for m in _CSS_URL.finditer(files[path])]
        refs = [r for r in refs if not urlsplit(r).scheme and not r.startswith(("/", "#"))]
        if refs:
            out.discard(path)
            for ref in refs:
                out.discard(posixpath.normpath(posixpath.join(posixpath.dirname(path), urlsplit(ref).path)))
    if any(p.startswith("assets/javascripts/lunr/") for p in files):
        out = {p for p in out if not p.startswith("assets/javascripts/workers/")}
    return out


@dataclass(frozen=True)
class Addresses:
    """How a version's pages may name one of its files: ``root`` is the site's root URL (``https://host/repo/``,
    "" when unknown); an absolute or root-absolute address names ``<root><version or alias>/<path>``."""

    root: str = ""

    @property
    def root_path(self) -> str:
        return urlsplit(self.root).path if self.root else ""

    def site_path(self, url: str, page: str) -> tuple[str, str] | None:
        """(form, site path) of the file ``url`` names from ``page`` (site-relative); None if not in the site."""
        if url.startswith("//"):
            return None
        if urlsplit(url).scheme:
            if not (self.root and url.startswith(self.root)):
                return None
            form, rest = "absolute", url[len(self.root):]
        elif url.startswith("/"):
            if not (self.root_path and url.startswith(self.root_path)):
                return None
            form, rest = "rooted", url[len(self.root_path):]
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
            return None if joined.startswith("..") else ("relative", joined)
        _version, _, path = rest.partition("/")  # the version's or alias's folder
        return (form, posixpath.normpath(path)) if path else None

    def link(self, form: str, target: str, page: str) -> str:
        """The address of ``target`` (a path from the branch root) in ``form``, written on ``page``."""
        if form == "absolute":
            return self.root + target
        if form == "rooted":
            return self.root_path + target
        return "../" * (page.count("/") + 1) + target


def rewrite_references(text: str, page: str, moved: Mapping[str, str], addresses: Addresses) -> str:
    """``text`` (an HTML or XML file at site path ``page``) with every quoted reference to a moved file
    pointing at its shared copy; fragments and queries are kept."""

    def replace(match: re.Match[str]) -> str:
        quote, url, tail = match.group(1), match.group(2), match.group(3) or ""
        found = addresses.site_path(url, page)
        if found is None or found[1] not in moved:
            return match.group(0)
        return f"{quote}{addresses.link(found[0], moved[found[1]], page)}{tail}{quote}"

    return _QUOTED.sub(replace, text)


@dataclass
class SharedVersion:
    files: dict[str, bytes]
    """The version's own files (site paths), references rewritten."""
    assets: dict[str, bytes]
    """Shared files it uses, by branch path (``_assets/...``)."""


def share_assets(files: Mapping[str, bytes], addresses: Addresses) -> SharedVersion:
    """Split a built version into its own files and the shared assets its pages link to (see :func:`shareable`);
    a shareable file that no page links to stays in the version, at its path."""
    movable = shareable(files)
    moved = {path: asset_path(posixpath.basename(path), files[path]) for path in sorted(movable)}
    own: dict[str, bytes] = {}
    for path, data in files.items():
        if path in moved:
            continue
        if posixpath.splitext(path)[1] in REWRITTEN:
            data = rewrite_references(data.decode("utf-8"), path, moved, addresses).encode("utf-8")
        own[path] = data
    used = {v for v in moved.values() if _uses(own, v)}
    for path in moved:  # linked from no page (a script may build its address): stays where it was
        if moved[path] not in used:
            own[path] = files[path]
    return SharedVersion(dict(sorted(own.items())), {moved[p]: files[p] for p in moved if moved[p] in used})


def _uses(files: Mapping[str, bytes], asset: str) -> bool:
    needle = asset.encode("utf-8")
    return any(needle in data for path, data in files.items() if posixpath.splitext(path)[1] in REWRITTEN)


def share_site(site: Path, dest: Path, assets_dir: Path, addresses: Addresses) -> list[str]:
    """:func:`share_assets` on a built folder: the version's own files into ``dest``, its assets into
    ``assets_dir`` (the branch's ``_assets`` layout). Returns the asset paths the version uses, sorted."""
    shared = share_assets({path: p.read_bytes() for path, p in _files(site).items()}, addresses)
    write_tree(dest, shared.files)
    write_tree(assets_dir.parent, shared.assets)
    return sorted(shared.assets)


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def read_tree(root: Path) -> dict[str, bytes]:
    return {path: p.read_bytes() for path, p in _files(root).items()}


def references(refs: Mapping[str, Iterable[str]]) -> bytes:
    """``_assets/refs.json``'s bytes (sorted: same versions, same bytes)."""
    doc = {name: sorted(set(paths)) for name, paths in sorted(refs.items())}
    return (json.dumps(doc, indent=0, sort_keys=True) + "\n").encode("utf-8")


def unused_assets(present: Iterable[str], refs: Mapping[str, Iterable[str]]) -> list[str]:
    """Shared files that no version uses any more (``refs.json`` itself excepted)."""
    used = {p for paths in refs.values() for p in paths}
    return sorted(p for p in present if p.startswith(f"{SHARED_DIR}/") and p != REFS and p not in used)


def tree_bytes_after(present: Mapping[str, int], delete: Iterable[str], add: Mapping[str, int]) -> int:
    """The branch's size once ``delete`` (files or folders) are removed and ``add`` (path -> size) written."""
    gone = tuple(sorted({d.rstrip("/") for d in delete}))
    folders = tuple(f"{d}/" for d in gone)
    kept = {p: size for p, size in present.items() if p not in gone and not p.startswith(folders)}
    return sum({**kept, **add}.values())


# --- retention -----------------------------------------------------------------------------------------------

DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class VersionFacts:
    """What the retention rule needs of one version."""

    name: str
    data_date: str
    signature: tuple[tuple[str, str, str, str], ...]
    """Per claim: (id, verdict at publication, verdict on the latest data, still-true answer)."""


def signature(findings: Mapping[str, Any]) -> tuple[tuple[str, str, str, str], ...]:
    """The verdict state of a findings document: a change in any element is a verdict change."""
    return tuple(sorted((str(c["id"]), str(c["publication"].get("verdict")), str(c["latest"].get("verdict")),
                         str(c.get("still_true"))) for c in findings.get("claims", [])))


def facts(name: str, findings: Mapping[str, Any]) -> VersionFacts:
    return VersionFacts(name, str(findings["data"]["data_date"]), signature(findings))


@dataclass(frozen=True)
class Retention:
    """Which versions stay full; see the module docstring.

    ``period`` ("month" or "quarter"): the first version of each stays full. ``changes``: which versions in
    which a verdict or still-true answer changed stay full: "all", the first of each "month" or "quarter", or
    "none" (archived versions keep every verdict and figure either way; a full one adds the charts and tables).
    """

    newest: int = 10
    period: str = "quarter"
    changes: str = "month"

    @staticmethod
    def _period(day: str, period: str) -> str:
        if period == "month":
            return day[:7]
        if period == "quarter":
            return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"
        raise ValueError(f"a retention period is 'month' or 'quarter', not {period!r}")

    def period_of(self, day: str) -> str:
        return self._period(day, self.period)

    def permanent(self, versions: Iterable[VersionFacts]) -> dict[str, str]:
        """The versions kept full forever, with the reason. Depends only on each version and those before it."""
        if self.changes not in ("all", "month", "quarter", "none"):
            raise ValueError(f"retention changes is 'all', 'month', 'quarter' or 'none', not {self.changes!r}")
        versions = list(versions)
        dated = sorted((v for v in versions if DATED.match(v.name)), key=lambda v: (v.data_date, v.name))
        kept: dict[str, str] = {v.name: "not a dated version" for v in versions if not DATED.match(v.name)}
        previous: VersionFacts | None = None
        changed_in: set[str] = set()
        for version in dated:
            period = self.period_of(version.name)
            if previous is None or self.period_of(previous.name) != period:
                kept[version.name] = f"first version of {period}"
            elif self.changes != "none" and version.signature != previous.signature:
                window = version.name if self.changes == "all" else self._period(version.name, self.changes)
                if window not in changed_in:
                    changed_in.add(window)
                    kept[version.name] = "a verdict changed"
            previous = version
        return kept

    def full(self, versions: Iterable[VersionFacts]) -> dict[str, str]:
        """Every version that stays full now (permanent ones, plus the newest ``newest`` dated versions)."""
        versions = list(versions)
        kept = self.permanent(versions)
        dated = sorted((v for v in versions if DATED.match(v.name)), key=lambda v: (v.data_date, v.name))
        for version in dated[-self.newest:] if self.newest > 0 else []:
            kept.setdefault(version.name, "one of the newest")
        return kept

    def nearest_full(self, name: str, versions: Iterable[VersionFacts]) -> str | None:
        """The permanent full version at or before ``name`` (an archived page links to it): fixed once ``name``
        is published, so an archived page never has to change."""
        versions = list(versions)
        permanent = self.permanent(versions)
        dates = {v.name: v.data_date for v in versions}
        before = [n for n in permanent if DATED.match(n) and (dates[n], n) <= (dates.get(name, name), name)]
        return max(before, key=lambda n: (dates[n], n), default=None)


# --- measuring and projecting --------------------------------------------------------------------------------


@dataclass
class Projection:
    """Five years of weekday versions under a retention rule, from measured bytes per version."""

    versions: int
    full_versions: int
    archived_versions: int
    changes_per_version: float
    bytes_full_new: int
    bytes_archived: int
    bytes_constant: int
    total_bytes: int
    limit_bytes: int
    breakdown: dict[str, int] = field(default_factory=dict)

    @property
    def fits(self) -> bool:
        return self.total_bytes < self.limit_bytes

    def lines(self) -> list[str]:
        mb = 1e6
        return [
            f"versions: {self.versions} ({self.full_versions} full, {self.archived_versions} archived; "
            f"assumed verdict-change rate {self.changes_per_version:.3f} per version)",
            f"bytes a new full version adds: {self.bytes_full_new / mb:.2f} MB; an archived version: "
            f"{self.bytes_archived / 1e3:.0f} KB; shared and latest/ copy: {self.bytes_constant / mb:.2f} MB",
            *(f"  {k}: {v / mb:.1f} MB" for k, v in self.breakdown.items()),
            f"projected gh-pages tree: {self.total_bytes / mb:.0f} MB of {self.limit_bytes / mb:.0f} MB "
            + ("(fits)" if self.fits else "(DOES NOT FIT)"),
        ]


WEEKDAYS_PER_YEAR = 261


def project(bytes_full_new: int, bytes_archived: int, bytes_constant: int, changes_per_version: float,
            retention: Retention | None = None, years: float = 5.0, limit_bytes: int = PAGES_LIMIT,
            ) -> Projection:
    """Project the gh-pages tree after ``years`` of weekday versions.

    ``bytes_full_new``: what one more full version adds (its own files plus the shared assets it is the first
    to use), ``bytes_archived``: one version in archive form, ``bytes_constant``: what does not grow with the
    number of versions (theme assets, the ``latest/`` copy, as-published), ``changes_per_version``: the share
    of versions in which some verdict changed. Full versions: one per period, the verdict-change versions the
    rule keeps (all, or the windows with at least one change), and the newest ones not already counted.
    """
    retention = retention or Retention()
    n = round(WEEKDAYS_PER_YEAR * years)
    periods = round(years * (12 if retention.period == "month" else 4))
    rate = min(1.0, max(0.0, changes_per_version))
    if retention.changes == "all":
        changes = rate * n
    elif retention.changes in ("month", "quarter"):
        windows = years * (12 if retention.changes == "month" else 4)
        changes = windows * (1 - (1 - rate) ** (n / windows))  # windows with at least one change
    else:
        changes = 0.0
    permanent = min(n, periods + round(changes))  # a change in a period's first version counted twice: an upper bound
    full = min(n, permanent + round(retention.newest * (1 - permanent / n)))
    archived = n - full
    breakdown = {f"{full} full versions": full * bytes_full_new, f"{archived} archived versions": archived * bytes_archived,
                 "shared theme, latest/ copy, as-published": bytes_constant}
    total = sum(breakdown.values())
    return Projection(n, full, archived, changes_per_version, bytes_full_new, bytes_archived, bytes_constant, total,
                      limit_bytes, breakdown)


ALTERNATIVES = (Retention(newest=20, period="quarter", changes="all"),
                Retention(newest=20, period="month", changes="month"),
                Retention(newest=10, period="quarter", changes="quarter"),
                Retention(newest=20, period="quarter", changes="quarter"))
"""Rules the projection prints next to the chosen one, to show why it was chosen."""


def describe(retention: Retention) -> str:
    changes = {"all": "every verdict-change version", "none": "no verdict-change version"}.get(
        retention.changes, f"the first verdict-change version of each {retention.changes}")
    return (f"newest {retention.newest}, first of each {retention.period}, {changes}, as-published")


def print_projection(versions: int = 3, step_days: int = 7, retention: Retention | None = None,
                     out: Callable[[str], None] = print) -> list[Projection]:
    """Measure and print: publish ``as-published`` and ``versions`` dated versions into a temporary gh-pages
    (:func:`generator.publish.measure.measure_publishes`), count verdict changes on the committed data every
    ``step_days`` (:func:`generator.publish.measure.verdict_changes`), and project five years under
    ``retention`` (default: :class:`Retention`) at the measured change rate and at twice it (flips inside a
    step are not seen: the measured rate is a lower bound), then under :data:`ALTERNATIVES`.
    Returns the projections, the chosen rule's first. Takes minutes: it runs real builds."""
    from generator import paths
    from generator.publish import gates, measure

    retention = retention or Retention()
    days = measure.weekdays_ending(gates.last_bar(paths.SNAPSHOT_DIR), versions)
    out(f"== publishing as-published and {len(days)} dated versions ({days[0]} to {days[-1]}) into a temporary "
        "gh-pages")
    measured = measure.measure_publishes(days, retention=retention, log=out)
    out(f"first publish (as-published, {days[0]}, its latest/ copy, theme): {measured.totals[0][1] / 1e6:.2f} MB")
    for (name, _total), new in zip(measured.totals[1:], measured.new_per_version, strict=False):
        out(f"  + {name}: {new / 1e6:.2f} MB new (its pages, the shared files it is first to use; latest/ moved)")
    out("what the last version added, by kind: " + ", ".join(f"{k} {v / 1e6:.2f} MB"
                                                          for k, v in measured.last_new_by_kind.items()))
    out(f"a full version's own files: {measured.full_version_own / 1e6:.2f} MB; shared _assets/: "
        f"{measured.shared_total / 1e6:.2f} MB; one version in archive form: {measured.archived / 1e3:.0f} KB")
    out(f"== verdict changes on the committed data, every {step_days} days through 2026")
    changes = measure.verdict_changes(step_days=step_days, log=out)
    rate = changes.rate_per_weekday
    out(f"{len(changes.changed)} of {len(changes.steps) - 1} steps changed a verdict or still-true answer: "
        f"assumed {rate:.3f} changing versions per weekday version (at most one per step: a lower bound)")
    out(f"== projection over 5 years of weekdays ({describe(retention)}; the rest archived)")
    projections = []
    for factor in (1, 2):
        projection = measure.projection_from(measured, min(1.0, rate * factor), retention)
        projections.append(projection)
        out(f"-- at {factor}x the measured change rate:")
        for line in projection.lines():
            out(f"   {line}")
    out("== other rules, at the measured change rate")
    for other in ALTERNATIVES:
        projection = measure.projection_from(measured, rate, other)
        projections.append(projection)
        out(f"   {describe(other)}: {projection.full_versions} full, {projection.total_bytes / 1e6:.0f} MB "
            + ("(fits)" if projection.fits else "(DOES NOT FIT)"))
    return projections
