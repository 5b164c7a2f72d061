"""The gates a refresh must pass before it is deployed. A failed gate leaves the live site as it was.

Each gate is a small function returning a :class:`GateResult`; :func:`run_gates` runs them all (not stopping
at the first failure, so one run shows every problem) and the caller refuses to deploy unless all passed.

- ``tests``: the test suite passes (``python -m pytest``).
- ``strict build``: ``mkdocs build --strict`` succeeded for every version (recorded by the build step).
- ``links``: every internal ``href``/``src`` of the built HTML resolves to a file, every ``#anchor`` exists.
- ``verdicts``: every claim has a verdict at both dates, or the explicit status ``needs-live-data`` with a reason.
- ``fresh``: the last bar is within N trading days (NYSE) of the run date (injectable for tests).
- ``no shrink``: no manifest lost rows, history at its start, or days at its end compared with the previous commit.
- ``not older than published``: the same against the newest version on gh-pages (so a shrunk snapshot that was
  committed is still caught), and the data date is not older than it (``latest`` never moves backwards).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pandas as pd

from generator.calendars import expected_days

CORE_SERIES = ("rut", "btc-usd", "gspc", "ixic")
"""The series whose last common day is the data date (as in :mod:`generator.build`)."""

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}
SHARED_DIR = "_assets"
"""The pages branch's folder of shared assets (:data:`generator.publish.storage.SHARED_DIR`)."""
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")


@dataclass(frozen=True)
class GateResult:
    name: str
    ok: bool
    detail: str
    problems: tuple[str, ...] = ()

    def line(self) -> str:
        mark = "PASS" if self.ok else "FAIL"
        return f"[{mark}] {self.name}: {self.detail}"


def passed(name: str, detail: str) -> GateResult:
    return GateResult(name, True, detail)


def failed(name: str, detail: str, problems: Iterable[str] = ()) -> GateResult:
    return GateResult(name, False, detail, tuple(problems))


# --- tests -------------------------------------------------------------------------------------------------


def tests_gate(repo: Path, command: tuple[str, ...] = ("-m", "pytest", "-q")) -> GateResult:
    """Run the test suite in ``repo``; its last line is the detail."""
    proc = subprocess.run([sys.executable, *command], cwd=repo, capture_output=True, text=True)
    tail = (proc.stdout.strip().splitlines() or ["(no output)"])[-1]
    if proc.returncode == 0:
        return passed("tests", tail)
    return failed("tests", f"the test suite failed: {tail}", proc.stdout.splitlines()[-30:])


# --- links -------------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The ids (anchors) of one HTML page and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        attr = LINK_ATTRIBUTES.get(tag)
        if attr and values.get(attr):
            self.links.append((tag, values[attr]))


def parse_html(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


OUTSIDE = "outside"
"""A root-absolute link that does not start with the site's own path."""


def link_target(site: Path, page: Path, href: str, site_url: str = "", root: Path | None = None,
                root_url: str = "") -> Path | str | None:
    """The file an internal link points at (``dir/`` means ``dir/index.html``).

    None: not checked here (another scheme or host, or a relative link above the site folder, which on the
    published site is another version). :data:`OUTSIDE`: a root-absolute link that cannot work under the
    versioned address. ``root`` (with its address ``root_url``): the folder laid out as the pages branch
    around ``site``; links into its shared assets (``_assets/``) are checked there.
    """
    if href.startswith(SKIPPED_SCHEMES) or href.startswith("//"):
        return None
    parts = urlsplit(href)
    path = unquote(parts.path)
    shared = f"{SHARED_DIR}/"
    if root is not None and root_url:
        root_path = urlsplit(root_url).path
        for prefix in (root_url, root_path):
            if prefix and href.startswith(prefix + shared):
                return root / unquote(urlsplit(href[len(prefix):]).path)
    if parts.scheme or parts.netloc:
        if not (site_url and href.startswith(site_url)):
            return None
        path, base = unquote(urlsplit(href[len(site_url):]).path), site
    elif path.startswith("/"):
        prefix = urlsplit(site_url).path if site_url else "/"
        if not path.startswith(prefix):
            return OUTSIDE
        path, base = path[len(prefix):], site
    else:
        base = page.parent
    if not path:
        return page if base == page.parent else site / "index.html"
    joined = os.path.normpath(base / path)
    if joined != str(site) and not joined.startswith(str(site) + os.sep):
        if root is not None and joined.startswith(str(root / SHARED_DIR) + os.sep):
            return Path(joined)
        return None
    target = Path(joined)
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def check_links(site: Path, site_url: str = "", root: Path | None = None, root_url: str = "") -> list[str]:
    """Every broken internal link or anchor of the HTML under ``site``, as "page: problem" lines.

    ``site_url`` is the address the site is served from: absolute links under it are checked like relative ones.
    ``root``/``root_url``: see :func:`link_target` (links into the shared assets).
    """
    site = site.resolve()
    root = root.resolve() if root is not None else None
    root_url = root_url.rstrip("/") + "/" if root_url else ""
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    pages = {p: parse_html(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for page, parsed in pages.items():
        where = page.relative_to(site).as_posix()
        for tag, href in parsed.links:
            fragment = unquote(urlsplit(href).fragment)
            target = link_target(site, page, href, site_url, root, root_url)
            if target is None:
                continue
            if target == OUTSIDE:
                problems.append(f"{where}: <{tag}> {href} is root-absolute, outside the site's folder")
                continue
            assert isinstance(target, Path)
            if not target.is_file():
                shown = target.relative_to(root if root and not target.is_relative_to(site) else site).as_posix()
                problems.append(f"{where}: <{tag}> {href} -> {shown} does not exist")
                continue
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse_html(target).ids
                if fragment not in ids:
                    problems.append(f"{where}: <{tag}> {href}: no #{fragment} on {target.relative_to(site).as_posix()}")
    return problems


def links_gate(sites: dict[str, Path], site_urls: dict[str, str] | None = None, root: Path | None = None,
               root_url: str = "") -> GateResult:
    """Every internal link of each site resolves (``root``: the pages-branch layout holding ``_assets/``)."""
    problems = []
    for name, site in sites.items():
        problems += [f"{name}/{p}" for p in check_links(site, (site_urls or {}).get(name, ""), root, root_url)]
    pages = sum(len(list(s.rglob("*.html"))) for s in sites.values())
    if not sites:
        return passed("links", "nothing to check: no new version was built in this run")
    if pages == 0:
        return failed("links", f"the built versions ({', '.join(sites)}) hold no HTML page to check")
    if problems:
        return failed("links", f"{len(problems)} broken internal links or anchors", problems)
    return passed("links", f"every internal link and anchor resolves ({pages} pages)")


# --- size --------------------------------------------------------------------------------------------------


def size_gate(tree_bytes: int, limit: int) -> GateResult:
    """The gh-pages tree after the deploy stays under GitHub Pages' limit."""
    if tree_bytes >= limit:
        return failed("size", f"the gh-pages tree would hold {tree_bytes / 1e6:.0f} MB, over the "
                              f"{limit / 1e6:.0f} MB GitHub Pages accepts; archive more versions "
                              "(generator/publish/storage.py Retention)")
    return passed("size", f"the gh-pages tree will hold {tree_bytes / 1e6:.1f} MB of {limit / 1e6:.0f} MB")


# --- verdicts ----------------------------------------------------------------------------------------------


def missing_verdicts(findings: dict[str, Any]) -> list[str]:
    """Claims without a verdict at some moment and without the explicit needs-live-data status and reason."""
    problems = []
    for claim in findings["claims"]:
        for moment in ("publication", "latest"):
            ev = claim.get(moment) or {}
            if ev.get("verdict"):
                continue
            if ev.get("status") == "needs-live-data" and (ev.get("missing") or "").strip():
                continue
            problems.append(f"{claim['id']} ({moment}): no verdict and no needs-live-data reason")
    return problems


def verdicts_gate(findings_by_version: dict[str, dict[str, Any]]) -> GateResult:
    problems = [f"{name}: {p}" for name, doc in findings_by_version.items() for p in missing_verdicts(doc)]
    claims = sum(len(doc["claims"]) for doc in findings_by_version.values())
    if problems:
        return failed("verdicts", f"{len(problems)} claims lack an explicit verdict", problems)
    return passed("verdicts", f"every claim has a verdict or an explicit needs-live-data status ({claims} checked)")


# --- freshness ---------------------------------------------------------------------------------------------


def read_manifests(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.manifest.json"))}


def last_bar(snapshot_dir: Path) -> str:
    """The data date: the last day every core series has (the newest common day)."""
    manifests = read_manifests(snapshot_dir)
    dates = [m["last_date"] for m in manifests.values() if m.get("series") in CORE_SERIES]
    if not dates:
        raise ValueError(f"no core series manifest in {snapshot_dir}")
    return min(dates)


def trading_days_between(last: date, run_date: date) -> int:
    """NYSE trading days strictly after ``last`` and strictly before ``run_date`` (today's bar may not exist yet)."""
    start, end = last + timedelta(days=1), run_date - timedelta(days=1)
    if end < start:
        return 0
    return len(expected_days("nyse", pd.Timestamp(start), pd.Timestamp(end)))


def fresh_gate(snapshot_dir: Path, run_date: date, max_lag: int) -> GateResult:
    last = last_bar(snapshot_dir)
    if date.fromisoformat(last) > run_date:
        return failed("fresh", f"the last bar {last} is after the run date {run_date.isoformat()}: "
                               "future-dated data is never fresh, it is wrong")
    lag = trading_days_between(date.fromisoformat(last), run_date)
    detail = f"last bar {last}, {lag} trading day{'' if lag == 1 else 's'} before the run date {run_date.isoformat()} (allowed: {max_lag})"
    if lag <= max_lag:
        return passed("fresh", detail)
    return failed("fresh", f"stale data: {detail}; run `python -m generator fetch` first, or pass --today "
                           f"{last} for a dry run")


# --- no shrink ---------------------------------------------------------------------------------------------


def committed_manifest(repo: Path, path: Path, rev: str = "HEAD") -> dict[str, Any] | None:
    rel = path.resolve().relative_to(repo.resolve()).as_posix()
    proc = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=repo, capture_output=True, text=True)
    return json.loads(proc.stdout) if proc.returncode == 0 else None


def committed_manifest_names(repo: Path, folder: Path, rev: str = "HEAD") -> list[str]:
    rel = folder.resolve().relative_to(repo.resolve()).as_posix()
    proc = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:{rel}"], cwd=repo, capture_output=True, text=True)
    return sorted(n for n in proc.stdout.split() if n.endswith(".manifest.json")) if proc.returncode == 0 else []


def shrinkage(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """How ``new`` lost data against ``old`` (rows, first date, last date); empty when it did not."""
    problems = []
    if int(new.get("rows", 0)) < int(old.get("rows", 0)):
        problems.append(f"rows {old['rows']} -> {new.get('rows')}")
    if old.get("first_date") and new.get("first_date", "") > old["first_date"]:
        problems.append(f"first_date {old['first_date']} -> {new.get('first_date')}")
    for key in ("last_date", "as_of"):
        if old.get(key) and new.get(key, "") < old[key]:
            problems.append(f"{key} {old[key]} -> {new.get(key) or 'none'}")
    return problems


def no_shrink_gate(repo: Path, folders: Iterable[Path], rev: str = "HEAD") -> GateResult:
    problems, compared = [], 0
    for folder in folders:
        current = read_manifests(folder) if folder.exists() else {}
        for name in committed_manifest_names(repo, folder, rev):
            old = committed_manifest(repo, folder / name, rev)
            if old is None:
                continue
            compared += 1
            if name not in current:
                problems.append(f"{folder.name}/{name}: present in {rev}, missing now")
                continue
            problems += [f"{folder.name}/{name}: {p}" for p in shrinkage(old, current[name])]
    if problems:
        return failed("no shrink", f"the snapshot lost data against {rev}", problems)
    return passed("no shrink", f"{compared} manifests have at least the rows and dates of {rev}")


def published_shrinkage(current: dict[str, dict[str, Any]], published: list[tuple[str, str, dict[str, Any]]]
                        ) -> list[str]:
    """How the snapshot lost data against the newest version already published (mike's versions on gh-pages).

    ``published``: (version name, data date, findings) of each published version. Versions built with a cut
    (``as-published``) are skipped: their data date is the cut, not what the snapshot had. A version's
    ``findings.json`` lists every series it used with its first date, last date and rows.
    """
    dated = [(data_date, name, doc) for name, data_date, doc in published
             if name[:4].isdigit() and (doc.get("data") or {}).get("series")]
    if not dated:
        return []
    data_date, name, doc = max(dated, key=lambda v: v[0])
    problems = []
    now = last_bar_of(current)
    if now is not None and now < data_date:
        problems.append(f"data date {now} is older than the published version {name} ({data_date}): "
                        "`latest` would move backwards")
    by_series = {m.get("series"): m for m in current.values()}
    for sid, old in sorted(doc["data"]["series"].items()):
        new = by_series.get(sid)
        if new is None:
            problems.append(f"{sid}: published in {name}, missing now")
            continue
        problems += [f"{sid}: {p} (against published {name})" for p in shrinkage(old, new)]
    return problems


def last_bar_of(manifests: dict[str, dict[str, Any]]) -> str | None:
    dates = [m["last_date"] for m in manifests.values() if m.get("series") in CORE_SERIES]
    return min(dates) if dates else None


def published_gate(snapshot_dir: Path, published: list[tuple[str, str, dict[str, Any]]]) -> GateResult:
    """No shrink against what was last published, and ``latest`` never moves to an older data date."""
    problems = published_shrinkage(read_manifests(snapshot_dir), published)
    if problems:
        return failed("not older than published", "the snapshot has less than the site already shows", problems)
    names = [n for n, _, _ in published if n[:4].isdigit()]
    return passed("not older than published",
                  f"the snapshot has at least the rows and dates of {max(names) if names else 'nothing published yet'}")


# --- all together ------------------------------------------------------------------------------------------


def run_gates(gates: Iterable[tuple[str, Callable[[], GateResult]]],
              log: Callable[[str], None] = print) -> list[GateResult]:
    """Run every gate, named, in order (an exception in one is that gate's failure), logging one line each."""
    results = []
    for name, gate in gates:
        try:
            result = gate()
        except Exception as exc:  # a gate that cannot run has not passed
            result = failed(name, f"could not run: {exc}")
        log(result.line())
        for problem in result.problems[:20]:
            log(f"    {problem}")
        if len(result.problems) > 20:
            log(f"    ... and {len(result.problems) - 20} more")
        results.append(result)
    return results
