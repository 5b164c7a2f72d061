"""``python -m generator publish``: build every version, run the gates, then deploy with mike.

Two phases, so a workflow can show them as separate steps and a failed gate can never reach the deploy:

1. :func:`stage`: read the versions already on gh-pages, build the new ones into a staging folder (a dated
   version named by its data date, plus ``as-published`` once), run every gate, write ``plan.json``.
2. :func:`deploy`: refuse unless every gate passed and gh-pages has not moved since staging; then commit
   each staged site with mike, move ``latest``, make it the default, and push if asked.

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
from generator.publish import gates
from generator.publish.versions import DEFAULT_BRANCH, Pages, PagesError

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

    @property
    def ok(self) -> bool:
        return bool(self.gates) and all(g.ok for g in self.gates)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Plan:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return cls(doc["branch"], doc["pages_head"],
                   [StagedVersion(**{**v, "aliases": tuple(v["aliases"])}) for v in doc["versions"]],
                   [gates.GateResult(**{**g, "problems": tuple(g["problems"])}) for g in doc["gates"]])


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
        config.log(f"version {name} is already on {config.branch}; published versions are never rewritten")
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

    log("== gates")
    checks: list[tuple[str, Callable[[], gates.GateResult]]] = []
    if config.run_tests:
        checks.append(("tests", lambda: gates.tests_gate(config.repo)))
    checks += [
        ("strict build", lambda: strict_build_result(built, build_errors)),
        # absolute links are checked against the address the pages name as their own (latest/ for the newest)
        ("links", lambda: gates.links_gate(built, {v.name: config.version_url(LATEST) if LATEST in v.aliases
                                                   else v.site_url for v in plan.versions})),
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
        for version in plan.versions:
            config.log(f"deploy {version.name} ({version.title})" + (f" as {', '.join(version.aliases)}"
                                                                     if version.aliases else ""))
            pages.deploy(Path(version.site_dir), version.name, version.title, version.aliases)
        if any(LATEST in v.aliases for v in plan.versions) and pages.set_default(LATEST):
            config.log(f"the site root now redirects to {LATEST}/")
        if push:
            pages.push(config.remote)
            config.log(f"pushed {plan.branch} to {config.remote}")
    except PagesError as exc:
        raise PublishError(str(exc)) from exc
    return [v.name for v in plan.versions]


def publish(config: PublishConfig, push: bool = False) -> Plan:
    """Stage, then deploy if every gate passed; raise :class:`PublishError` (gh-pages untouched) otherwise."""
    plan = stage(config)
    try:
        deploy(plan, config, push=push)
    finally:
        cleanup(plan, config)
    return plan
