"""``python -m generator publish``: build every version, run the gates, then deploy with mike.

Two phases, so a workflow can show them as separate steps and a failed gate can never reach the deploy:

1. :func:`stage`: read the versions already on gh-pages, build the new ones into a staging folder (a dated
   version named by its data date, plus ``as-published`` once), move their shared assets out and rewrite the
   versions the retention rule now archives (:mod:`generator.publish.storage`) into ``<stage>/pages/``, run
   every gate on exactly those files, write ``plan.json``.
2. :func:`deploy`: refuse unless every gate passed and gh-pages has not moved since staging; then commit
   the staged change set in one commit (new versions, ``latest`` copy, shared assets, archive rewrites,
   ``versions.json``), make ``latest`` the default, and push if asked.

:func:`publish` runs both (``--dry-run``: into the local gh-pages branch, no push).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from generator import paths
from generator.article import PUBLICATION_DATE, PUBLISHED_AT
from generator.build import BuildConfig, BuildError, build
from generator.pages.changes import PublishedVersion, Release
from generator.pages.reader import AS_PUBLISHED, LATEST
from generator.progress import Progress
from generator.publish import archive, gates, storage
from generator.publish.versions import DEFAULT_BRANCH, Change, Pages, PagesError

PLAN = "plan.json"


class PublishError(Exception):
    """Publishing stopped; the message says why. gh-pages was left as it was."""


@dataclass(frozen=True)
class PublishConfig:
    repo: Path = paths.REPO_ROOT
    snapshot_dir: Path = paths.SNAPSHOT_DIR
    datasets_dir: Path = paths.DATA_DIR / "datasets"
    site_src_dir: Path = paths.SITE_SRC_DIR
    """Copied into the staging folder for each version: publishing never writes into the working site_src."""
    templates_dir: Path = paths.TEMPLATES_DIR
    stage_dir: Path | None = None
    """Where versions are built and plan.json is written (default: a new temporary folder)."""
    branch: str = DEFAULT_BRANCH
    remote: str = "origin"
    site_url: str = ""
    """The site's root URL (e.g. https://owner.github.io/repo/), never a version's URL."""
    run_date: date | None = None
    """The date the freshness gate measures against (default: today, UTC)."""
    max_lag: int = 3
    """Trading days the last bar may trail the run date."""
    run_tests: bool = True
    as_published: bool = True
    sync: bool = False
    """Fetch the remote's gh-pages branch before reading the published versions (CI)."""
    max_tree_bytes: int = storage.PAGES_LIMIT
    """The size gate: the gh-pages tree after the deploy must stay under this (GitHub Pages refuses 1 GB)."""
    retention: storage.Retention = field(default_factory=storage.Retention)
    """Which versions stay full; the others are rewritten into archive form (see :mod:`generator.publish.storage`)."""
    log: Callable[[str], None] = print

    @property
    def root(self) -> str:
        return self.site_url.rstrip("/") + "/" if self.site_url else ""

    def version_url(self, name: str) -> str:
        return f"{self.root}{name}/" if self.root else ""


@dataclass(frozen=True)
class StagedVersion:
    name: str
    title: str
    aliases: tuple[str, ...]
    site_dir: str
    site_url: str
    data_date: str


@dataclass
class Plan:
    branch: str
    pages_head: str | None
    versions: list[StagedVersion] = field(default_factory=list)
    gates: list[gates.GateResult] = field(default_factory=list)
    stage_dir: str = ""
    """Where the versions were built (removed after the deploy when it was a temporary folder)."""
    archived: dict[str, str] = field(default_factory=dict)
    """Versions on gh-pages rewritten into archive form by this run -> their new title."""
    unused_assets: list[str] = field(default_factory=list)
    """Shared assets no version uses any more (deleted by the deploy)."""
    tree_bytes: int = 0
    """The gh-pages tree's size after this deploy (every file, uncompressed)."""

    @property
    def ok(self) -> bool:
        return bool(self.gates) and all(g.ok for g in self.gates)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Plan:
        """A saved plan; its stage folder is the one holding ``path`` (the change set is read from there)."""
        doc = json.loads(path.read_text(encoding="utf-8"))
        return cls(doc["branch"], doc["pages_head"],
                   [StagedVersion(**{**v, "aliases": tuple(v["aliases"])}) for v in doc["versions"]],
                   [gates.GateResult(**{**g, "problems": tuple(g["problems"])}) for g in doc["gates"]],
                   str(path.resolve().parent), doc.get("archived", {}), doc.get("unused_assets", []),
                   doc.get("tree_bytes", 0))

    @property
    def pages_dir(self) -> Path:
        """The change set, laid out as on gh-pages: ``<version>/``, ``_assets/``."""
        return Path(self.stage_dir) / "pages"


def published_history(pages: Pages) -> list[PublishedVersion]:
    """Every version on the pages branch that has a findings.json, with its data date."""
    history = []
    for version in pages.versions():
        doc = pages.findings(version.name)
        if doc is not None:
            history.append(PublishedVersion(version.name, version.title, doc["data"]["data_date"], doc))
    return history


def fetch_report(config: PublishConfig) -> tuple[tuple[str, ...], bool] | None:
    """What the workflow's fetch step added: series whose manifest has more rows than in the last commit."""
    lines = []
    for name, new in gates.read_manifests(config.snapshot_dir).items():
        old = gates.committed_manifest(config.repo, config.snapshot_dir / name)
        added = int(new.get("rows", 0)) - int(old.get("rows", 0)) if old else int(new.get("rows", 0))
        if added > 0:
            lines.append(f"{new.get('series', name)}: {added} new rows (through {new.get('last_date')}), "
                         "fetched in this run before the build")
    return (tuple(lines), True) if lines else None


def copy_site_src(src: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("mkdocs.yml", "site", ".site*"))
    return dest


def wanted_versions(config: PublishConfig, deployed: set[str]
                    ) -> list[tuple[str, str, tuple[str, ...], datetime | None]]:
    """(name, title, aliases, cutoff) of each version this run should add; existing versions are never rebuilt."""
    wanted: list[tuple[str, str, tuple[str, ...], datetime | None]] = []
    if config.as_published and AS_PUBLISHED not in deployed:
        wanted.append((AS_PUBLISHED, f"As published ({PUBLICATION_DATE.isoformat()})", (), PUBLISHED_AT))
    name = gates.last_bar(config.snapshot_dir)
    newest = max((n for n in deployed if n[:4].isdigit()), default=None)
    if name in deployed:
        config.log(f"version {name} is already on {config.branch}; a published version is never built again")
    else:
        if newest is not None and name < newest:  # built so the gates can say why; never deployed
            config.log(f"version {name} is older than the published {newest}: the gate against the published "
                       f"versions will stop it, `{LATEST}` never moves backwards")
        wanted.append((name, f"Data through {name}", (LATEST,), None))
    return wanted


def canonical_url(config: PublishConfig, name: str, cutoff: date | None) -> str:
    """The address a version's pages name as canonical: the newest version (no cutoff) is also copied to
    latest/ and names latest/, so that readers and search engines keep one address per page; "" otherwise
    (the version's own address)."""
    return config.version_url(LATEST) if cutoff is None else ""


def build_version(config: PublishConfig, stage_dir: Path, name: str, title: str, cutoff: datetime | None,
                  history: list[PublishedVersion], report: tuple[tuple[str, ...], bool] | None
                  ) -> tuple[Path, dict[str, Any]]:
    work = stage_dir / name
    site_src = copy_site_src(config.site_src_dir, work / "site_src")
    build_config = BuildConfig(
        offline=True, snapshot_dir=config.snapshot_dir, datasets_dir=config.datasets_dir,
        templates_dir=config.templates_dir, site_src_dir=site_src, site_dir=work / "site",
        site_url=config.version_url(name), canonical_url=canonical_url(config, name, cutoff), cutoff=cutoff,
        release=Release(name, title, config.root, tuple(history)),
        fetch_report=report if cutoff is None else None,
        today=config.run_date,
        log=lambda line: config.log(f"  [{name}] {line}"),
    )
    result = build(build_config)
    if cutoff is None and result.data_date != name:
        raise BuildError(f"the build's data date {result.data_date} is not the version name {name}")
    return work / "site", result.findings


def stage(config: PublishConfig) -> Plan:
    """Build the new versions and run every gate; nothing is deployed. Writes plan.json in the stage folder.

    A temporary stage folder (no ``stage_dir``) is removed if staging fails; after a deploy, :func:`cleanup`.
    """
    stage_dir = Path(config.stage_dir or tempfile.mkdtemp(prefix="factcheck-publish-"))
    stage_dir.mkdir(parents=True, exist_ok=True)
    try:
        return _stage(config, stage_dir)
    except BaseException:
        if config.stage_dir is None:
            shutil.rmtree(stage_dir, ignore_errors=True)
        raise


def cleanup(plan: Plan, config: PublishConfig) -> None:
    """Remove the temporary staging folder a run created (a --stage-dir given by the caller is kept)."""
    if config.stage_dir is None and plan.stage_dir:
        shutil.rmtree(plan.stage_dir, ignore_errors=True)


def _stage(config: PublishConfig, stage_dir: Path) -> Plan:
    log = config.log
    pages = Pages(config.repo, config.branch)
    if config.sync:
        log(f"sync: {config.branch} from {config.remote}: "
            + ("updated" if pages.sync(config.remote) else "no remote branch yet"))
    plan = Plan(config.branch, pages.head(), stage_dir=str(stage_dir))
    history = published_history(pages)
    published = list(history)  # before this run's versions are appended
    log(f"published versions on {config.branch}: {', '.join(v.name for v in history) or 'none'}")

    log("== build")
    report = fetch_report(config)
    built: dict[str, Path] = {}
    findings: dict[str, dict[str, Any]] = {}
    build_errors: list[str] = []
    wanted = wanted_versions(config, {v.name for v in history})
    bar = Progress(len(wanted), "versions", log, unit="version")
    for name, title, aliases, cutoff in wanted:
        bar.advance()
        try:
            site_dir, doc = build_version(config, stage_dir, name, title, cutoff, history, report)
        except Exception as exc:  # any failed build is a failed gate, reported with the others
            build_errors.append(f"{name}: {exc}")
            log(f"  [{name}] build failed: {exc}")
            continue
        built[name], findings[name] = site_dir, doc
        history.append(PublishedVersion(name, title, doc["data"]["data_date"], doc))
        plan.versions.append(StagedVersion(name, title, aliases, str(site_dir), config.version_url(name),
                                           doc["data"]["data_date"]))
    bar.close()

    log("== storage")
    store_stage(config, pages, plan, built, history)

    log("== gates")
    checks: list[tuple[str, Callable[[], gates.GateResult]]] = []
    if config.run_tests:
        checks.append(("tests", lambda: gates.tests_gate(config.repo)))
    checks += [
        ("strict build", lambda: strict_build_result(built, build_errors)),
        # absolute links are checked against the address the pages name as their own (latest/ for the newest)
        # on the files that will be committed: new versions in shared form and this run's archive rewrites
        ("links", lambda: gates.links_gate(
            {name: plan.pages_dir / name for name in [*built, *plan.archived]},
            {v.name: config.version_url(LATEST) if LATEST in v.aliases else v.site_url for v in plan.versions},
            root=plan.pages_dir, root_url=config.root)),
        ("size", lambda: gates.size_gate(plan.tree_bytes, config.max_tree_bytes)),
        ("verdicts", lambda: gates.verdicts_gate(findings)),
        ("fresh", lambda: gates.fresh_gate(config.snapshot_dir, config.run_date or datetime.now(UTC).date(),
                                           config.max_lag)),
        ("no shrink", lambda: gates.no_shrink_gate(config.repo, [config.snapshot_dir, config.datasets_dir])),
        ("not older than published", lambda: gates.published_gate(
            config.snapshot_dir, [(v.name, v.data_date, v.findings) for v in published])),
    ]
    plan.gates = gates.run_gates(checks, log)
    plan.save(stage_dir / PLAN)
    log(f"plan: {stage_dir / PLAN} ({'all gates passed' if plan.ok else 'GATES FAILED'})")
    return plan


def store_stage(config: PublishConfig, pages: Pages, plan: Plan, built: dict[str, Path],
                history: list[PublishedVersion]) -> None:
    """Lay out this run's change set in ``plan.pages_dir``: each new version with its non-HTML files moved to
    the shared ``_assets/`` (references rewritten), the versions the retention rule no longer keeps full in
    archive form, and ``_assets/refs.json``. Records the archived versions and the assets to delete."""
    out = plan.pages_dir
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    on_branch = pages.sizes()
    refs_doc = pages.read_file(storage.REFS)
    refs: dict[str, list[str]] = json.loads(refs_doc) if refs_doc else {}
    addresses = storage.Addresses(config.root)
    for version in plan.versions:
        if version.name in built:
            refs[version.name] = storage.share_site(built[version.name], out / version.name,
                                                    out / storage.SHARED_DIR, addresses)
            version_dir = str(out / version.name)
            plan.versions[plan.versions.index(version)] = StagedVersion(
                version.name, version.title, version.aliases, version_dir, version.site_url, version.data_date)
    facts = [storage.facts(v.name, v.findings) for v in history]
    full = config.retention.full(facts)
    staged = {v.name for v in plan.versions}
    for version in history:
        if version.name in full or version.name in staged:
            continue
        folder = f"{version.name}/"
        if (f"{folder}{archive.FINDINGS_GZ}" in on_branch and f"{folder}{archive.FINDINGS}" not in on_branch
                and version.title.endswith(archive.ARCHIVED_SUFFIX)):
            continue  # already archived; archiving again would give the same bytes
        nearest = config.retention.nearest_full(version.name, facts)
        files = archive.archive_version(pages.read_dir(version.name), version.name, version.title, nearest)
        storage.write_tree(out / version.name, files)
        plan.archived[version.name] = archive.archived_title(version.title)
        refs.pop(version.name, None)
        config.log(f"archive {version.name}: kept {len(files)} files (its pages, findings.json.gz, sitemap); "
                   f"its full pages point to {nearest or 'no earlier full version'}")
    (out / storage.SHARED_DIR).mkdir(exist_ok=True)
    (out / storage.REFS).write_bytes(storage.references(refs))
    present = set(on_branch) | {p.relative_to(out).as_posix() for p in (out / storage.SHARED_DIR).rglob("*")
                                if p.is_file()}
    plan.unused_assets = storage.unused_assets(present, refs)
    change = deploy_change(plan)
    plan.tree_bytes = storage.tree_bytes_after(on_branch, change.delete,
                                               {path: source.stat().st_size for path, source in change.add.items()})
    kept = sum(1 for v in history if v.name in full)
    config.log(f"storage: {kept} full versions, {len(history) - kept} archived "
               f"({len(plan.archived)} archived by this run), {len(plan.unused_assets)} shared files no longer used; "
               f"the gh-pages tree will hold {plan.tree_bytes / 1e6:.1f} MB")


def strict_build_result(built: dict[str, Path], errors: list[str]) -> gates.GateResult:
    if errors:
        return gates.failed("strict build", f"{len(errors)} version(s) failed to build", errors)
    names = ", ".join(built) or "no new version"
    return gates.passed("strict build", f"mkdocs build --strict succeeded ({names})")


def deploy(plan: Plan, config: PublishConfig, push: bool = False) -> list[str]:
    """Commit the staged versions to gh-pages with mike; returns the versions deployed."""
    failed = [g.name for g in plan.gates if not g.ok]
    if not plan.ok:
        raise PublishError(f"gates failed ({', '.join(failed) or 'none ran'}): nothing deployed; "
                           f"{plan.branch} is unchanged")
    pages = Pages(config.repo, plan.branch)
    if pages.head() != plan.pages_head:
        raise PublishError(f"{plan.branch} moved since the versions were staged; nothing deployed")
    try:
        change = deploy_change(plan)
        for version in plan.versions:
            config.log(f"deploy {version.name} ({version.title})" + (f" as {', '.join(version.aliases)}"
                                                                     if version.aliases else ""))
        for name in plan.archived:
            config.log(f"deploy {name} in archive form")
        if plan.versions or plan.archived:
            pages.commit(change)
        if any(LATEST in v.aliases for v in plan.versions) and pages.set_default(LATEST):
            config.log(f"the site root now redirects to {LATEST}/")
        if push:
            pages.push(config.remote)
            config.log(f"pushed {plan.branch} to {config.remote}")
    except PagesError as exc:
        raise PublishError(str(exc)) from exc
    return [v.name for v in plan.versions]


def deploy_change(plan: Plan) -> Change:
    """The one commit a deploy makes, from the staged change set (``plan.pages_dir``)."""
    names = [v.name for v in plan.versions]
    message = ("Publish " + ", ".join(f"{v.name} ({v.title})" + (f" as {', '.join(v.aliases)}" if v.aliases else "")
                                      for v in plan.versions) if names else "Storage")
    if plan.archived:
        message += f"; archive {', '.join(plan.archived)}"
    change = Change(message + " (shared assets in _assets/)",
                    versions=[(v.name, v.title, v.aliases) for v in plan.versions], retitled=dict(plan.archived))
    root = plan.pages_dir
    for version in plan.versions:
        change.delete += [version.name, *version.aliases]
        for path in sorted((root / version.name).rglob("*")):
            if path.is_file():
                inner = path.relative_to(root / version.name).as_posix()
                for folder in (version.name, *version.aliases):
                    change.add[f"{folder}/{inner}"] = path
    for name in plan.archived:
        change.delete.append(name)
        for path in sorted((root / name).rglob("*")):
            if path.is_file():
                change.add[f"{name}/{path.relative_to(root / name).as_posix()}"] = path
    change.delete += plan.unused_assets
    for path in sorted((root / storage.SHARED_DIR).rglob("*")):
        if path.is_file():
            change.add[path.relative_to(root).as_posix()] = path
    return change


def publish(config: PublishConfig, push: bool = False) -> Plan:
    """Stage, then deploy if every gate passed; raise :class:`PublishError` (gh-pages untouched) otherwise."""
    plan = stage(config)
    try:
        deploy(plan, config, push=push)
    finally:
        cleanup(plan, config)
    return plan
