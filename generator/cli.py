"""The command line: a thin layer over the library (``generator.build``, ``generator.fetch`` ...)."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from generator import paths


def _fail(exc: BaseException) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


class OneLineErrors(click.Group):
    """Any unexpected error is reported as one line (set FACTCHECK_DEBUG=1 for the traceback)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the CLI boundary: one clear line, not a traceback
            if os.environ.get("FACTCHECK_DEBUG"):
                raise
            _fail(RuntimeError(f"{type(exc).__name__}: {exc}"))


@click.group(cls=OneLineErrors)
@click.version_option(package_name="rut-btc-factcheck")
def cli() -> None:
    """Build the Russell 2000 / Bitcoin fact-check site from market data."""


@cli.command()
@click.option("--offline", is_flag=True, help="Never try the network; build from the embedded snapshot.")
@click.option("--no-site", is_flag=True, help="Stop after writing pages and findings.json (skip MkDocs).")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, help="Where to write the site.")
@click.option("--site-url", default="", envvar="FACTCHECK_SITE_URL", help="Public URL of the site (for canonical links).")
def build(offline: bool, no_site: bool, site_dir: Path | None, site_url: str) -> None:
    """Fetch fresh data (unless --offline), compute every claim, render pages and build the site."""
    from generator.build import BuildConfig, BuildError
    from generator.build import build as run_build
    from generator.snapshot.store import SnapshotError
    from generator.sources.base import FetchError
    from generator.validate import ValidationError

    config = BuildConfig(offline=offline, build_site=not no_site, site_url=site_url,
                         site_dir=site_dir or paths.SITE_DIR, log=click.echo)
    try:
        run_build(config)
    except (BuildError, FetchError, SnapshotError, ValidationError) as exc:
        _fail(exc)


@cli.command()
def fetch() -> None:
    """Refresh the snapshot from upstream only (no site build)."""
    from generator.fetch import describe_changes, read_manifests, refresh_snapshot
    from generator.snapshot.store import SnapshotStore

    store = SnapshotStore(paths.SNAPSHOT_DIR)
    before = read_manifests(store)
    outcomes = refresh_snapshot(store, offline=False, log=click.echo)
    diff = describe_changes(before, read_manifests(store))
    click.echo("data diff: " + ("no change" if not diff else f"{len(diff)} series changed"))
    for line in diff:
        click.echo(f"  {line}")
    try:
        from generator.datasets.refresh import refresh_datasets

        refresh_datasets(paths.DATA_DIR / "datasets", offline=False, log=click.echo)
    except ImportError:
        pass
    if outcomes and all(o.status == "failed" for o in outcomes):
        _fail(RuntimeError("every source failed; the snapshot was left unchanged"))


@cli.command()
@click.option("--offline", is_flag=True, help="Never try the network.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(offline: bool, dev_addr: str) -> None:
    """Build, then preview the site locally with live reload (like `mkdocs serve`)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.build import BuildConfig
    from generator.build import build as run_build

    config = BuildConfig(offline=offline, build_site=False, log=click.echo)
    run_build(config)
    click.echo(f"serving on http://{dev_addr}/ (Ctrl+C to stop)")
    mkdocs_serve(config_file=str(config.mkdocs_config), dev_addr=dev_addr, livereload=True)


@cli.command("import-snapshot")
@click.option("--raw-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.SHARED_RAW_DIR, show_default=True, help="Folder of collectors' raw files.")
@click.option("--series", "only", multiple=True, help="Import only these series ids.")
@click.option("--dataset", "datasets", multiple=True,
              help="Import only these groups of datasets derived from public files (e.g. btc-etfs).")
def import_snapshot(raw_dir: Path, only: tuple[str, ...], datasets: tuple[str, ...]) -> None:
    """(Re)build the embedded snapshot from public collectors' files, with cross-checks."""
    from datetime import UTC, datetime

    from generator.datasets.public import IMPORTS, PublicImportError, import_public
    from generator.snapshot.importer import ImportError_, import_all
    from generator.store import SnapshotStore, StoreError

    unknown = [d for d in datasets if d not in IMPORTS]
    if unknown:
        _fail(ValueError(f"unknown dataset group {', '.join(unknown)}; known: {', '.join(IMPORTS)}"))
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        if only or not datasets:
            import_all(raw_dir, SnapshotStore(paths.SNAPSHOT_DIR), stamp, only=list(only) or None, log=click.echo)
        if datasets or not only:
            import_public(raw_dir, paths.DATA_DIR / "datasets", stamp, list(datasets) or None, log=click.echo)
    except (ImportError_, PublicImportError, StoreError) as exc:
        _fail(exc)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Build, gate and deploy into the local gh-pages branch; never push.")
@click.option("--push", is_flag=True, help="Push gh-pages to the remote after deploying (CI).")
@click.option("--stage-only", is_flag=True, help="Build every new version and run the gates; deploy nothing.")
@click.option("--from-stage", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Deploy the versions a --stage-only run staged in this folder (only if its gates passed).")
@click.option("--stage-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to build the versions (default: a temporary folder).")
@click.option("--site-url", default="", envvar="FACTCHECK_SITE_URL", help="The site's root URL (not a version's).")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch GitHub Pages serves.")
@click.option("--remote", default="origin", show_default=True, help="Remote to sync from and push to.")
@click.option("--sync", is_flag=True, help="Fetch the remote's gh-pages first (CI).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              callback=lambda _ctx, _param, value: value.date() if value else None,
              help="Run date for the freshness gate (default: today, UTC).")
@click.option("--max-lag", type=int, default=3, show_default=True, help="Trading days the last bar may trail the run date.")
@click.option("--skip-tests", is_flag=True, help="Do not run the test suite as a gate (CI runs it as its own step).")
@click.option("--no-as-published", is_flag=True, help="Do not add the fixed `as-published` version.")
def publish(dry_run: bool, push: bool, stage_only: bool, from_stage: Path | None, stage_dir: Path | None,
            site_url: str, branch: str, remote: str, sync: bool, today: date | None, max_lag: int, skip_tests: bool,
            no_as_published: bool) -> None:
    """Publish a dated version with mike: build -> gates -> deploy to gh-pages (a failed gate deploys nothing)."""
    from generator.publish.flow import PLAN, Plan, PublishConfig, PublishError, deploy, stage

    if not (dry_run or push or stage_only or from_stage):
        _fail(click.UsageError("choose --dry-run (local), --stage-only, --from-stage DIR or --push"))
    config = PublishConfig(stage_dir=from_stage or stage_dir, site_url=site_url, branch=branch, remote=remote,
                           sync=sync, run_date=today, max_lag=max_lag,
                           run_tests=not skip_tests, as_published=not no_as_published, log=click.echo)
    try:
        plan = Plan.load(from_stage / PLAN) if from_stage else stage(config)
        if stage_only:
            if not plan.ok:
                raise PublishError("gates failed: nothing will be deployed")
            return
        deployed = deploy(plan, config, push=push and not dry_run)
        click.echo(f"deployed: {', '.join(deployed) or 'nothing new'}" + (" (local only)" if not push or dry_run else ""))
    except PublishError as exc:
        _fail(exc)
