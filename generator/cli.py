"""The command line: a thin layer over the library (``generator.build``, ``generator.fetch`` ...)."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator import paths


def _fail(exc: BaseException) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


def _http_url(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """--site-url: empty, or an absolute http(s) address."""
    from urllib.parse import urlsplit

    if value and (urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc):
        raise click.BadParameter(f"{value!r} is not an http:// or https:// address "
                                 "(expected e.g. https://owner.github.io/repo/)")
    return value


def _iso_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """--today: a date written YYYY-MM-DD."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD, e.g. 2026-08-24") from None


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
@click.option("--site-url", default="", envvar="FACTCHECK_SITE_URL", callback=_http_url, help="Public URL of the site (for canonical links).")
def build(offline: bool, no_site: bool, site_dir: Path | None, site_url: str) -> None:
    """Fetch fresh data (unless --offline), compute every claim, render pages and build the site."""
    from generator.build import BuildConfig, BuildError
    from generator.build import build as run_build
    from generator.integrity import IntegrityError
    from generator.snapshot.store import SnapshotError
    from generator.sources.base import FetchError
    from generator.validate import ValidationError

    config = BuildConfig(offline=offline, build_site=not no_site, site_url=site_url,
                         site_dir=site_dir or paths.SITE_DIR, log=click.echo)
    try:
        run_build(config)
    except (BuildError, FetchError, SnapshotError, ValidationError, IntegrityError) as exc:
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
    if not any(o.status == "ok" for o in outcomes):  # unreachable sources are "skipped", not "failed"
        _fail(RuntimeError("no source could be reached or fetched; the snapshot was left unchanged "
                           "(`build` still works from it)"))


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
def import_snapshot(raw_dir: Path, only: tuple[str, ...]) -> None:
    """(Re)build the embedded snapshot from public collectors' files, with cross-checks."""
    from generator.snapshot.importer import ImportError_, import_all
    from generator.snapshot.store import SnapshotError, SnapshotStore

    try:
        import_all(raw_dir, SnapshotStore(paths.SNAPSHOT_DIR), only=list(only) or None, log=click.echo)
    except (ImportError_, SnapshotError) as exc:
        _fail(exc)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Build, gate and deploy into the local gh-pages branch; never push.")
@click.option("--push", is_flag=True, help="Push gh-pages to the remote after deploying (CI).")
@click.option("--stage-only", is_flag=True, help="Build every new version and run the gates; deploy nothing.")
@click.option("--from-stage", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Deploy the versions a --stage-only run staged in this folder (only if its gates passed).")
@click.option("--stage-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to build the versions (default: a temporary folder).")
@click.option("--site-url", default="", envvar="FACTCHECK_SITE_URL", callback=_http_url, help="The site's root URL (not a version's).")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch GitHub Pages serves.")
@click.option("--remote", default="origin", show_default=True, help="Remote to sync from and push to.")
@click.option("--sync", is_flag=True, help="Fetch the remote's gh-pages first (CI).")
@click.option("--today", default=None, callback=_iso_day, metavar="YYYY-MM-DD",
              help="Run date for the freshness gate (default: today, UTC).")
@click.option("--max-lag", type=click.IntRange(min=0), default=3, show_default=True, help="Trading days the last bar may trail the run date.")
@click.option("--skip-tests", is_flag=True, help="Do not run the test suite as a gate (CI runs it as its own step).")
@click.option("--no-as-published", is_flag=True, help="Do not add the fixed `as-published` version.")
def publish(dry_run: bool, push: bool, stage_only: bool, from_stage: Path | None, stage_dir: Path | None,
            site_url: str, branch: str, remote: str, sync: bool, today: date | None, max_lag: int, skip_tests: bool,
            no_as_published: bool) -> None:
    """Publish a dated version with mike: build -> gates -> deploy to gh-pages (a failed gate deploys nothing)."""
    from generator.publish.flow import PLAN, Plan, PublishConfig, PublishError, cleanup, deploy, stage

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
        try:
            deployed = deploy(plan, config, push=push and not dry_run)
        finally:
            cleanup(plan, config)  # the temporary stage folder (never a --stage-dir or --from-stage one)
        click.echo(f"deployed: {', '.join(deployed) or 'nothing new'}" + (" (local only)" if not push or dry_run else ""))
    except PublishError as exc:
        _fail(exc)


@cli.command()
@click.option("--today", default=None, callback=_iso_day, metavar="YYYY-MM-DD",
              help="Measure staleness and future dates against this day (default: today, UTC).")
@click.option("--accept-reference-changes", is_flag=True,
              help="After a reviewed edit of data/reference/*.json: record their new checksums in SHA256SUMS.")
def doctor(today: date | None, accept_reference_changes: bool) -> None:
    """Check the snapshot without building: one row per series and dataset; exit 1 on any error."""
    from generator.doctor import diagnose, table

    if accept_reference_changes:
        from generator.integrity import write_reference_checksums

        click.echo(f"recorded {write_reference_checksums(paths.REFERENCE_DIR).relative_to(paths.REPO_ROOT)}")
    rows = diagnose(today=today)
    for line in table(rows):
        click.echo(line)
    failed = [r for r in rows if r.errors]
    if failed:
        click.echo(f"error: {len(failed)} of {len(rows)} files have errors (listed above); "
                   "the build would refuse this snapshot", err=True)
        sys.exit(1)
    click.echo(f"all {len(rows)} files check out")
