"""The command line: a thin layer over the library (``generator.build``, ``generator.fetch`` ...)."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator import paths
from generator.progress import say


def _fail(exc: BaseException, next_step: str = "") -> None:
    click.echo(f"error: {exc}", err=True)
    if next_step:
        click.echo(f"next step: {next_step}", err=True)
    sys.exit(1)


def next_step(exc: BaseException) -> str:
    """What to do about an error the commands report (one line naming the command or flag)."""
    name = type(exc).__name__
    text = str(exc)
    if name == "SnapshotError" or "checksum mismatch" in text:
        return ("restore the snapshot from git (`git checkout -- data/series`), "
                "or download the series again with `python -m generator fetch`")
    if name == "IntegrityError":
        return ("restore the file from git (`git checkout -- data/`); after a reviewed edit of a reference file, "
                "record it with `python -m generator doctor --accept-reference-changes`")
    if name == "ValidationError":
        return "restore the file from git (`git checkout -- data/series`); the check that failed is named above"
    if name == "FetchError":
        return "try again later, or build from the embedded snapshot with `python -m generator build --offline`"
    if "git checkout" in text or "python -m generator" in text:
        return ""  # the message already names it
    return "run it again with FACTCHECK_DEBUG=1 for the full traceback, and see README.md"


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
            _fail(RuntimeError(f"{type(exc).__name__}: {exc}"), next_step(exc))


CONTEXT = {"show_default": True, "max_content_width": 100, "help_option_names": ["-h", "--help"]}


@click.group(cls=OneLineErrors, context_settings=CONTEXT, epilog="""\b
First time here:
  python -m generator build --offline    build site/ from the embedded snapshot
  python -m generator serve --offline    preview it at http://127.0.0.1:8000
Every command takes --help.""")
@click.version_option(package_name="rut-btc-factcheck")
def cli() -> None:
    """Build the Russell 2000 / Bitcoin fact-check site from market data."""


@cli.command(short_help="Fetch the missing days (unless --offline), compute every claim, build site/.",
             epilog="""\b
Examples:
  python -m generator build --offline          no network: the embedded snapshot, in seconds
  python -m generator build                    fetch what the snapshot lacks, then build
  python -m generator build --no-site          pages and findings.json only (no MkDocs)
  python -m generator build --site-dir /tmp/s  write the site elsewhere
  python -m generator build --no-cache         redo every chart, card and claim (ignore .cache/build)""")
@click.option("--offline", is_flag=True, help="Never try the network; build from the embedded snapshot.")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the build cache (.cache/build): every chart, card and claim is redone "
                   "and MkDocs always runs.")
@click.option("--no-site", is_flag=True, help="Stop after writing pages and findings.json (skip MkDocs).")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, show_default="site/ in the repository",
              help="Where to write the site.")
@click.option("--site-url", default="", envvar="FACTCHECK_SITE_URL", callback=_http_url, show_default="none: relative links",
              help="Public URL of the site (for canonical links); also read from FACTCHECK_SITE_URL.")
def build(offline: bool, no_cache: bool, no_site: bool, site_dir: Path | None, site_url: str) -> None:
    """Fetch the days the snapshot lacks (unless --offline), compute every claim as of publication and on
    the latest data, render the pages and build the site with MkDocs (strict).

    Without network each source is tried once, briefly, and the build says in one line per source that it
    uses the embedded snapshot instead."""
    from generator.cache import CHARTS_NAMESPACE, DEFAULT_DIR, ContentCache
    from generator.charts import drawing

    if no_cache or not ContentCache(DEFAULT_DIR).holds(CHARTS_NAMESPACE):
        drawing.start_early()  # charts to draw: the drawing processes load while the build's libraries do
    from generator.build import BuildConfig, BuildError
    from generator.build import build as run_build
    from generator.integrity import IntegrityError
    from generator.snapshot.store import SnapshotError
    from generator.sources.base import FetchError
    from generator.validate import ValidationError

    config = BuildConfig(offline=offline, build_site=not no_site, site_url=site_url,
                         site_dir=site_dir or paths.SITE_DIR, cache_dir=None if no_cache else DEFAULT_DIR, log=say)
    try:
        run_build(config)
    except (BuildError, FetchError, SnapshotError, ValidationError, IntegrityError) as exc:
        _fail(exc, next_step(exc))
    finally:
        drawing.discard_early()  # the helpers, if the build did not get as far as taking them


@cli.command(short_help="Refresh the snapshot in data/ from upstream (needs network); no site build.",
             epilog="""\b
Examples:
  python -m generator fetch                    bring data/ up to date, print what changed
  python -m generator fetch && python -m generator build --offline
                                               refresh, then build from the refreshed snapshot""")
def fetch() -> None:
    """Refresh the snapshot in data/ from upstream (only the days it lacks) and the live-only datasets;
    print a diff of what changed. Nothing is rebuilt: run `build` afterwards."""
    from generator.fetch import describe_changes, read_manifests, refresh_snapshot
    from generator.snapshot.store import SnapshotStore

    store = SnapshotStore(paths.SNAPSHOT_DIR)
    before = read_manifests(store)
    outcomes = refresh_snapshot(store, offline=False, log=say)
    diff = describe_changes(before, read_manifests(store))
    click.echo("data diff: " + ("no change" if not diff else f"{len(diff)} series changed"))
    for line in diff:
        click.echo(f"  {line}")
    try:
        from generator.datasets.refresh import refresh_datasets

        refresh_datasets(paths.DATA_DIR / "datasets", offline=False, log=say)
    except ImportError:
        pass
    if outcomes and all(o.status != "ok" for o in outcomes):
        _fail(RuntimeError("no source could be fetched; the snapshot was left unchanged"),
              "check the network and try again; meanwhile `python -m generator build --offline` uses the snapshot")


@cli.command(short_help="Build, then preview at http://127.0.0.1:8000 with live reload (like mkdocs serve).",
             epilog="""\b
Examples:
  python -m generator serve --offline          no network: answers at once, builds from the snapshot
  python -m generator serve                    fetch first (each source tried once, briefly)
  python -m generator serve --dev-addr 127.0.0.1:8001""")
@click.option("--offline", is_flag=True, help="Never try the network; preview the embedded snapshot.")
@click.option("--dev-addr", default="127.0.0.1:8000", help="Address to serve on (HOST:PORT).")
def serve(offline: bool, dev_addr: str) -> None:
    """Build the pages, then preview the site locally with live reload (like `mkdocs serve`).

    The address answers at once with a "building" page that reloads by itself until the preview is ready."""
    from generator.preview import BuildingPage, split_addr  # light: answer before the heavy imports

    try:
        host, port = split_addr(dev_addr)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dev-addr") from None
    try:
        page = BuildingPage(host, port)
    except OSError as exc:
        _fail(RuntimeError(f"cannot serve on {dev_addr}: {exc.strerror or exc}"),
              "pick another address, e.g. `python -m generator serve --dev-addr 127.0.0.1:8001`")
    with page:
        say(f"preview: http://{dev_addr}/ answers now; the site appears there when the build is done")
        from generator.build import BuildConfig, BuildError
        from generator.build import build as run_build

        config = BuildConfig(offline=offline, build_site=False, log=say)
        try:
            run_build(config)
        except BuildError as exc:
            _fail(exc, next_step(exc))
    from mkdocs.commands.serve import serve as mkdocs_serve

    say(f"serving on http://{dev_addr}/ (Ctrl+C to stop)")
    mkdocs_serve(config_file=str(config.mkdocs_config), dev_addr=dev_addr, livereload=True)


@cli.command("import-snapshot",
             short_help="Maintainers: rebuild data/series and data/datasets from the raw files (../shared/data/raw).")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              show_default=f"../shared/data/raw next to the repository ({paths.SHARED_RAW_DIR})",
              help="Folder of the public collectors' raw files.")
@click.option("--series", "only", multiple=True, show_default="every series",
              help="Import only this series id (repeatable), e.g. --series rut.")
@click.option("--dataset", "datasets", multiple=True, show_default="every group",
              help="Import only this group of datasets derived from public files (repeatable): "
                   "btc-early, btc-etfs, iwm, etf-flows.")
def import_snapshot(raw_dir: Path | None, only: tuple[str, ...], datasets: tuple[str, ...]) -> None:
    """(Re)build the embedded snapshot in data/series from the public collectors' raw files, with
    cross-checks between collectors, and the datasets in data/datasets derived from public files (only
    derived facts are kept; each manifest records the upstream and its terms).

    You do not need this to build: data/ already holds the snapshot. It reads the shared folder the project's
    maintainers keep next to the repository (../shared/data/raw); on a fresh clone that folder does not exist,
    so pass --raw-dir if you have the collectors' files elsewhere. With --series only, no dataset is imported;
    with --dataset only, no series."""
    from datetime import UTC, datetime

    from generator.datasets.public import IMPORTS, PublicImportError, import_public
    from generator.snapshot.importer import ImportError_, import_all
    from generator.store import SnapshotStore, StoreError

    folder = raw_dir or paths.SHARED_RAW_DIR
    if not folder.is_dir():
        _fail(RuntimeError(f"no collectors' raw files at {folder}"),
              "you do not need this command to build (data/ already holds the snapshot: "
              "`python -m generator build --offline`); to re-import, pass --raw-dir DIR with the collectors' files")
    unknown = [d for d in datasets if d not in IMPORTS]
    if unknown:
        _fail(ValueError(f"unknown dataset group {', '.join(unknown)}"), f"known groups: {', '.join(IMPORTS)}")
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        if only or not datasets:
            import_all(folder, SnapshotStore(paths.SNAPSHOT_DIR), stamp, only=list(only) or None, log=say)
        if datasets or not only:
            import_public(folder, paths.DATA_DIR / "datasets", stamp, list(datasets) or None, log=say)
    except (ImportError_, PublicImportError, StoreError) as exc:
        _fail(exc, "check the file named above in the raw folder; data/ was left as it was for that file")


@cli.command(short_help="Build a dated version (+ as-published), run the gates, deploy to gh-pages with mike.",
             epilog="""\b
Examples:
  python -m generator publish --dry-run                      all gates, deploy to the local gh-pages only
  python -m generator publish --dry-run --today 2026-08-21   the same, as if run on that day (old data)
  python -m generator publish --stage-only --stage-dir /tmp/stage   build and gate, deploy nothing
  python -m generator publish --from-stage /tmp/stage --push        deploy what a passed stage built
The freshness gate fails when the data trail today by more than --max-lag trading days:
run `python -m generator fetch` first, or pass --today for a dry run.""")
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
    """Publish a dated version with mike: build -> gates -> deploy to gh-pages (a failed gate deploys nothing).

    The version is named by its data date and aliased `latest`; `as-published` (the site as of the
    article's publication day) is added once."""
    from generator.publish.flow import PLAN, Plan, PublishConfig, PublishError, cleanup, deploy, stage

    if not (dry_run or push or stage_only or from_stage):
        _fail(click.UsageError("publish needs a mode"),
              "add --dry-run (local gh-pages only), --stage-only, --from-stage DIR or --push")
    config = PublishConfig(stage_dir=from_stage or stage_dir, site_url=site_url, branch=branch, remote=remote,
                           sync=sync, run_date=today, max_lag=max_lag,
                           run_tests=not skip_tests, as_published=not no_as_published, log=say)
    try:
        plan = Plan.load(from_stage / PLAN) if from_stage else stage(config)
        if stage_only:
            if not plan.ok:
                raise PublishError(f"gates failed ({', '.join(g.name for g in plan.gates if not g.ok) or 'none ran'}): nothing will be deployed")
            return
        try:
            deployed = deploy(plan, config, push=push and not dry_run)
        finally:
            cleanup(plan, config)  # the temporary stage folder (never a --stage-dir or --from-stage one)
        say(f"deployed: {', '.join(deployed) or 'nothing new'}" + (" (local only)" if not push or dry_run else ""))
    except PublishError as exc:
        _fail(exc, publish_next_step(str(exc)))


def publish_next_step(message: str) -> str:
    """The fix for a failed publish, by the gates it names."""
    steps = []
    if "fresh" in message:
        steps.append("refresh the data with `python -m generator fetch` (or, for a dry run only, pass "
                     "--today YYYY-MM-DD on or just after the data date)")
    if "tests" in message:
        steps.append("run `python -m pytest` and fix what fails")
    if "strict build" in message or "links" in message:
        steps.append("run `python -m generator build --offline` to see the page problem named above")
    if "verdicts" in message:
        steps.append("give each claim named above a verdict or a needs-live-data reason")
    if "not older than published" in message:
        steps.append("restore the snapshot the site was published from (`git log -- data/series`) and fetch again")
    if "no shrink" in message:
        steps.append("restore the lost rows with `git checkout -- data/` and fetch again")
    if "moved since" in message:
        steps.append("stage again: `python -m generator publish --stage-only`")
    return "; ".join(steps) or "see the [FAIL] lines above"


@cli.command(short_help="Check the snapshot without building; exit 1 on any error.")
@click.option("--today", default=None, callback=_iso_day, metavar="YYYY-MM-DD",
              help="Measure staleness and future dates against this day (default: today, UTC).")
@click.option("--accept-reference-changes", is_flag=True,
              help="After a reviewed edit of data/reference/*.json: record their new checksums in SHA256SUMS.")
def doctor(today: date | None, accept_reference_changes: bool) -> None:
    """Check the snapshot without building: one row per series, dataset and reference file (rows, first and
    last date, sessions behind, checksum, warnings); exit 1 on any error."""
    from generator.doctor import diagnose, table

    if accept_reference_changes:
        from generator.integrity import write_reference_checksums

        say(f"recorded {write_reference_checksums(paths.REFERENCE_DIR).relative_to(paths.REPO_ROOT)}")
    rows = diagnose(today=today)
    for line in table(rows):
        click.echo(line)
    failed = [r for r in rows if r.errors]
    if failed:
        _fail(RuntimeError(f"{len(failed)} of {len(rows)} files have errors (listed above); "
                           "the build would refuse this snapshot"),
              "restore the files named above from git (`git checkout -- data/`)")
    say(f"all {len(rows)} files check out")
