"""``build()``: the whole pipeline as a list of named stages over a typed config.

fetch -> load snapshot (checksums) -> validate -> compute claims (publication, latest) -> charts ->
findings.json -> pages -> MkDocs site (strict), swapped in only when everything succeeded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import yaml

from generator import cache, paths
from generator.article import PUBLISHED_AT
from generator.catalog import CATALOG
from generator.charts import display, drawing, render
from generator.charts.embed import ChartEmbed
from generator.charts.embed import embed as embed_chart
from generator.claim_cache import ClaimResults, registered
from generator.claimkit.evaluate import ClaimResult, evaluate
from generator.claims import all_claims
from generator.findings import dumps, findings
from generator.integrity import verify_references
from generator.load import Loaded, MissingSeries, load_snapshot
from generator.pages import PageWriter, SiteInfo, write_pages
from generator.pages.changes import Release
from generator.pages.claim import finding
from generator.pages.reader import EXAMPLE, StartedCards, finish_cards, start_cards, write_reader_pages
from generator.progress import Progress
from generator.publish.slim import slim_site
from generator.snapshot.store import SnapshotStore
from generator.staleness import staleness
from generator.stamp import SiteStamp

CORE_SERIES = ("rut", "btc-usd", "gspc", "ixic")
GENERATED = ("index.md", "methodology.md", "data.md", "findings.json", "claims", "how-to-read.md", "changes.md",
             "feed.xml", "about.md")

Pair = tuple[ClaimResult, ClaimResult]
LATEST_ALIAS = "latest"
"""The mike alias of the newest version; the version selector's default."""


class BuildError(Exception):
    """A stage failed; the message says which and why. The previous site is left in place."""


@dataclass(frozen=True)
class BuildConfig:
    offline: bool = False
    snapshot_dir: Path = paths.SNAPSHOT_DIR
    datasets_dir: Path = paths.DATA_DIR / "datasets"
    reference_dir: Path = paths.REFERENCE_DIR
    templates_dir: Path = paths.TEMPLATES_DIR
    site_src_dir: Path = paths.SITE_SRC_DIR
    site_dir: Path = paths.SITE_DIR
    build_site: bool = True
    site_url: str = ""
    cutoff: date | datetime | None = None
    """Build as if at this moment: every series is cut here first (the `as-published` version uses the
    moment of publication, so each series keeps only the bars that had closed by then)."""
    release: Release | None = None
    """Set by ``generator publish``: the version being built and the versions already published (for the
    "What changed" page and feed). None for a plain build."""
    canonical_url: str = ""
    """Where the pages say they live (MkDocs' site_url: canonical links, sitemap), when not ``site_url``: the
    newest version is also copied to latest/ and names latest/ (set by ``generator publish``)."""
    repo_url: str = field(default_factory=lambda: os.environ.get("FACTCHECK_REPO_URL", ""))
    """The source repository's web address (issues, source links); from FACTCHECK_REPO_URL, "" if unknown."""
    fetch_report: tuple[tuple[str, ...], bool] | None = None
    """A fetch the caller already ran (``generator publish`` after the workflow's fetch step): the lines to
    show and whether it wrote new rows. The build then does not fetch again."""
    today: date | None = None
    """The build date that staleness is measured against (default: today, UTC)."""
    cache_dir: Path | None = cache.DEFAULT_DIR
    """The content-addressed cache of charts, cards and claim results (``.cache/build``); None: no cache."""
    log: Callable[[str], None] = print

    @property
    def docs_dir(self) -> Path:
        return self.site_src_dir / "docs"

    @property
    def mkdocs_config(self) -> Path:
        return self.site_src_dir / "mkdocs.yml"


@dataclass
class BuildResult:
    data_date: str
    pairs: list[Pair]
    findings: dict
    fetch_lines: list[str] = field(default_factory=list)
    site_dir: Path | None = None
    timings: list[StageTime] = field(default_factory=list)
    """Each stage's wall and CPU seconds, in order (what ``scripts/bench_build.py`` prints)."""
    site_skipped: bool = False
    """True when MkDocs was skipped because ``site/`` already held what it would build."""


@dataclass(frozen=True)
class StageTime:
    stage: str
    wall: float
    cpu: float


@contextmanager
def timed(result_timings: list[StageTime], stage: str) -> Iterator[None]:
    """Record a stage's wall and CPU (this process) seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        result_timings.append(StageTime(stage, time.perf_counter() - wall, time.process_time() - cpu))


def fetch_stage(config: BuildConfig) -> tuple[list[str], bool]:
    """Refresh the snapshot from upstream (only the days it lacks); offline: say so and use the snapshot.

    Returns the lines to show on the data page and whether any new row was written.
    """
    if config.offline:
        line = "offline: no fetch attempted; building from the stored data snapshot"
        config.log(line)
        return [line], False
    from generator.datasets.refresh import refresh_datasets
    from generator.fetch import describe_changes, read_manifests, refresh_snapshot

    store = SnapshotStore(config.snapshot_dir)
    before = read_manifests(store)
    outcomes = refresh_snapshot(store, offline=False, log=config.log)
    lines = [o.message for o in outcomes]
    diff = describe_changes(before, read_manifests(store))
    for line in diff:
        config.log(f"data diff: {line}")
    lines += [f"data diff: {line}" for line in diff]
    lines += refresh_datasets(config.datasets_dir, offline=False, log=config.log) or []
    return lines, any(o.rows_added for o in outcomes)


def load_stage(config: BuildConfig) -> Loaded:
    """Read every series (checksums verified) and validate it; any error stops the build."""
    verify_references(config.reference_dir)
    try:
        loaded = load_snapshot(SnapshotStore(config.snapshot_dir), log=lambda _m: None,
                               reference_dir=config.reference_dir)
    except MissingSeries as exc:
        raise BuildError(f"load: {exc}") from exc
    try:
        from generator.datasets.store import load_datasets

        datasets = load_datasets(config.datasets_dir)
    except ImportError:
        datasets = {}
    if datasets:
        loaded.data = type(loaded.data)(loaded.data.frames, loaded.data.manifests, datasets)
    missing = [s for s in CATALOG if s.in_snapshot and s.id in loaded.absent]
    if missing:
        names = ", ".join(f"{s.id} ({s.name})" for s in missing)
        raise BuildError(f"load: the snapshot lacks {names} in {config.snapshot_dir}; restore it with "
                         "`git checkout -- data/series` or download it with `python -m generator fetch`")
    if config.cutoff is not None:
        loaded.data = loaded.data.cut(config.cutoff)
        config.log(f"cut every series at {config.cutoff.isoformat()} (building as of that date)")
    warnings = sum(len(r.warnings) for r in loaded.reports.values())
    config.log(f"loaded {len(loaded.data.frames)} series ({warnings} validation warnings, listed on the data page)")
    live_only = [f"{s.name} ({s.upstream_id})" for s in CATALOG if s.id in loaded.absent]
    if live_only:
        config.log(f"fetched live only, so absent from this build: {', '.join(live_only)}")
    return loaded


def _moment(cutoff: date | datetime) -> str:
    """'2026-01-23' or '2026-01-23 04:00 UTC' for the log."""
    if isinstance(cutoff, datetime):
        return f"{cutoff.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return cutoff.isoformat()


def claim_results(config: BuildConfig, store: cache.ContentCache) -> ClaimResults:
    """The claim results cache of a build (keys from the build's data folders, publication moment and cutoff)."""
    return ClaimResults(store, config.snapshot_dir, config.datasets_dir, config.reference_dir, PUBLISHED_AT,
                        config.cutoff)


def claims_stage(loaded: Loaded, log: Callable[[str], None], cut: bool = False,
                 results: ClaimResults | None = None, then: Callable[[Pair], None] | None = None) -> list[Pair]:
    """Evaluate every claim as of publication and on the latest data (``cut``: the data end at a cutoff, so
    the log shows one verdict per claim). With ``results``, a claim whose code and inputs are unchanged since
    a build that stored it is read back instead (:mod:`generator.claim_cache`). ``then`` is called with each
    claim's pair as soon as it is known (the build starts its chart)."""
    pairs = []
    reused = 0
    for claim in all_claims():
        pair = results.get(claim) if results is not None else None
        if pair is None:
            pair = (evaluate(claim, loaded.data, "publication", PUBLISHED_AT), evaluate(claim, loaded.data, "latest"))
            if results is not None:
                results.put(claim, pair)
        else:
            reused += 1
        pub, lat = pair
        if cut:
            log(f"  {claim.id:<24} {lat.verdict_label}")
        else:
            log(f"  {claim.id:<24} publication: {pub.verdict_label:<16} latest: {lat.verdict_label}")
        pairs.append((pub, lat))
        if then is not None:
            then((pub, lat))
    if reused:
        log(f"  {reused} of {len(pairs)} claims unchanged since an earlier build: their results were read back")
    return pairs


def data_date(loaded: Loaded) -> str:
    return min(loaded.data.last_date(s) for s in CORE_SERIES if s in loaded.data.frames)


def clean_docs(docs: Path) -> None:
    """Remove what a previous build generated, so a deleted claim cannot linger."""
    for name in GENERATED:
        target = docs / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def evidence_csv(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


StartedChart = tuple[ClaimResult, ClaimResult, bytes, str, drawing.Pending]
"""A chart on its way: the claim's two results, its CSV bytes, its label, and its renderings to come."""


def charts_stage(pairs: list[Pair], docs: Path, build_cache: cache.ContentCache | None = None,
                 results: ClaimResults | None = None, drawer: drawing.InlineDrawing | None = None
                 ) -> dict[str, ChartEmbed]:
    """Per claim that has a chart, from the latest computation: its CSV (every row), the chart (the SVG and the
    two renderings inlined in the page, drawn from :func:`generator.charts.display.for_chart`'s rows, read from
    ``build_cache`` when nothing they depend on changed) and the HTML block that shows them. A build starts each
    chart as its claim is computed (:func:`start_claim_chart`) and finishes them together (:func:`finish_charts`)."""
    started = [s for pair in pairs if (s := start_claim_chart(pair, docs, build_cache, results, drawer)) is not None]
    return finish_charts(started, docs)


def start_claim_chart(pair: Pair, docs: Path, build_cache: cache.ContentCache | None = None,
                results: ClaimResults | None = None, drawer: drawing.InlineDrawing | None = None
                ) -> StartedChart | None:
    """Write a claim's chart CSV and start its renderings (None: the claim has no chart).

    With ``results`` (the claim results cache), a chart whose claim, data, label and chart code are unchanged is
    read back by its recipe key without building its spec (:func:`generator.charts.render.recipe_key`). A chart to
    draw is handed to ``drawer`` (default: drawn here and now) as soon as its spec is written, so a pool of drawing
    processes draws it while the build goes on."""
    pub, lat = pair
    claim = pub.claim
    comp = lat.computation or pub.computation
    if claim.chart is None or comp is None or comp.evidence is None or comp.evidence.empty:
        return None
    (docs / "claims").mkdir(parents=True, exist_ok=True)
    data = evidence_csv(comp.evidence)
    (docs / "claims" / f"{claim.slug}.csv").write_bytes(data)
    label = chart_label(pub, lat)
    recipe = (render.recipe_key(results.key(claim), data, claim.chart_title, label)
              if build_cache is not None and results is not None and results.enabled and registered(claim)
              else None)
    found = render.cached_renderings(build_cache, recipe) if build_cache is not None and recipe else None
    if found is not None:
        return pub, lat, data, label, drawing.Pending(drawing.done(found))
    try:
        chart = claim.chart(display.for_chart(comp.evidence))
        pending = render.start_chart(chart, claim.chart_title, label, build_cache, data, drawer, recipe,
                                     name=f"the chart of {claim.id}")
    except drawing.DrawingError as exc:  # drawn here (no helper), or no helper left to draw it
        raise BuildError(str(exc)) from exc
    except Exception as exc:  # the chart's spec could not be made (altair's own messages run over several lines)
        first = (str(exc).strip().splitlines() or [""])[0]
        raise BuildError(f"could not make the chart of {claim.id}: {type(exc).__name__}: {first}") from exc
    return pub, lat, data, label, pending


def finish_charts(started: list[StartedChart], docs: Path) -> dict[str, ChartEmbed]:
    """Wait for each chart's renderings, write its SVG and assemble the HTML block that shows it (claims' order).
    """
    written: dict[str, ChartEmbed] = {}
    with Progress(len(started), "charts", lambda _line: None, unit="chart") as bar:
        for pub, lat, data, label, pending in started:
            claim, comp = pub.claim, lat.computation or pub.computation
            assert comp is not None and comp.evidence is not None
            try:
                files = render.save_chart(*pending.result(), docs / "claims", claim.slug)
            except drawing.DrawingError as exc:  # it names the chart: "could not draw the chart of <id>: ..."
                raise BuildError(str(exc)) from exc
            listed, how = display.for_table(comp.evidence)
            table = data if len(listed) == len(comp.evidence) else evidence_csv(listed)
            written[claim.id] = embed_chart(files, f"{claim.slug}.csv", data.decode("utf-8"),
                                            claim.chart_title or claim.title, label, table.decode("utf-8"), how)
            bar.advance()
    return written


def chart_label(pub: ClaimResult, lat: ClaimResult) -> str:
    """The chart's text alternative: what it shows, then the claim's finding (the sentence the page leads with)."""
    claim = pub.claim
    title = claim.chart_title or claim.title
    found = finding(pub, lat)
    return f"{title}. {found}" if found else title


def data_info(loaded: Loaded, config: BuildConfig, fetched: bool) -> dict:
    return {
        "data_date": data_date(loaded),
        "origin": "live fetch merged into the snapshot" if fetched else "embedded snapshot",
        "series": {
            sid: {"name": m.name, "upstream_id": m.upstream_id, "first_date": m.first_date,
                  "last_date": m.last_date, "rows": m.rows, "retrieved_at": m.retrieved_at,
                  "method": m.method, "sha256": m.sha256}
            for sid, m in sorted(loaded.data.manifests.items())
        },
        "live_only": [s for s in loaded.absent],
    }


def pages_stage(config: BuildConfig, loaded: Loaded, pairs: list[Pair], charts: dict[str, ChartEmbed],
                site: SiteInfo, fetch_lines: list[str], doc: dict, build_cache: cache.ContentCache | None = None,
                cards_too: bool = True) -> None:
    """Every page and feed of the site, written into the MkDocs docs folder, and with ``cards_too`` every card
    (read from ``build_cache`` when unchanged, else drawn here; a build starts and writes them itself)."""
    writer = PageWriter(config.templates_dir, config.docs_dir, site)
    write_pages(writer, pairs, dict(loaded.data.manifests), loaded.reports, loaded.absent, charts, fetch_lines,
                config.reference_dir, config.datasets_dir)
    writer.render("about.md.j2", "about.md", repo_url=config.repo_url.rstrip("/"))
    write_reader_pages(config, pairs, doc, site, build_cache, cards_too)


def nav(pairs: list[Pair]) -> list:
    return [
        {"Verdicts": "index.md"},
        {"How to read this site": "how-to-read.md"},
        {"Claims": [{f"{p[0].claim.order}. {p[0].claim.title}": f"claims/{p[0].claim.slug}.md"} for p in pairs]},
        {"What changed": "changes.md"},
        {"Methodology": "methodology.md"},
        {"Data": "data.md"},
        {"About": "about.md"},
    ]


def write_mkdocs_config(config: BuildConfig, pairs: list[Pair]) -> Path:
    """The generated MkDocs config: the committed base plus the claim navigation."""
    doc: dict = {"INHERIT": "mkdocs.base.yml", "nav": nav(pairs)}
    if config.site_url:
        doc["site_url"] = config.site_url
    if config.release is not None:
        # a published version: Material's version selector (it reads the branch's versions.json)
        doc["extra"] = {"version": {"provider": "mike", "default": LATEST_ALIAS, "alias": True}}
    if config.canonical_url:
        doc["site_url"] = config.canonical_url
    if config.repo_url:
        # not MkDocs' repo_url: with it the theme asks the code host's API for star counts from every page
        doc.setdefault("extra", {})["repository"] = config.repo_url.rstrip("/")
    text = "# Generated by `python -m generator build`; edit mkdocs.base.yml instead.\n"
    text += yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    config.mkdocs_config.write_text(text, encoding="utf-8")
    return config.mkdocs_config


def _staging_dirs(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.staging*"))


def recover_site(target: Path, log: Callable[[str], None] = print) -> None:
    """Undo what an interrupted build left (run under the build lock, before building).

    A kill between the two renames of a swap leaves no ``site/`` but ``.site.old``: it is put back. Staging
    folders of interrupted builds are removed.
    """
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        if not target.exists():
            old.rename(target)
            log(f"restored the previous site into {target.name}/ (an earlier build was interrupted mid-swap)")
        else:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in _staging_dirs(target):
        shutil.rmtree(leftover, ignore_errors=True)
        log(f"removed {leftover.name}, left by an interrupted build")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not available."""
    import ctypes
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    ok = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
    return ok


def swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``. Atomic where the OS can exchange two folders; otherwise two renames,
    and :func:`recover_site` restores the old site if the process dies between them."""
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
        return
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _finish_cards(cards: StartedCards, docs: Path | None = None, site: Path | None = None) -> None:
    """Wait for the cards and write them into the docs folder, and into a built ``site`` (at the place MkDocs
    would have copied them from ``docs``) if given."""
    try:
        finish_cards(cards, docs, site)
    except drawing.DrawingError as exc:
        raise BuildError(f"cards: {exc}") from exc


def site_stage(config: BuildConfig, before_swap: Callable[[Path], None] | None = None) -> Path:
    """``mkdocs build --strict`` into this build's own staging folder, slim it, then swap it in (``before_swap``
    is called with the staging folder first: the build adds the cards that were drawn while MkDocs ran).

    A failure, an error or Ctrl-C keeps the old site and removes the staging folder.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    target = config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        try:
            cfg = load_config(config_file=str(config.mkdocs_config), site_dir=str(staging), strict=True)
            mkdocs_build(cfg)
        except (MkDocsException, SystemExit) as exc:
            raise BuildError(f"site: mkdocs build --strict failed ({exc}); the previous site was kept") from exc
        slim_site(staging)  # source maps and unused search languages: never loaded by a reader
        if before_swap is not None:
            before_swap(staging)
        swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


class BuildLock:
    """One build at a time per site folder and per docs folder: a second build waits, saying so in one line.

    ``fcntl.flock`` on ``.<site>.lock`` and ``site_src/.build.lock``; the kernel drops the locks if the process
    dies, so a killed build never leaves a stale lock.
    """

    def __init__(self, config: BuildConfig) -> None:
        self.paths = [config.site_dir.with_name(f".{config.site_dir.name}.lock"), config.site_src_dir / ".build.lock"]
        self.log = config.log
        self.files: list = []

    def __enter__(self) -> BuildLock:
        import fcntl
        import os

        for path in self.paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "a+")  # noqa: SIM115 - held for the whole build
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                self.log(f"another build is running here ({holder}, lock {path.name}); waiting for it to finish")
                fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}")
            fh.flush()
            self.files.append(fh)
        return self

    def __exit__(self, *_exc: object) -> None:
        import fcntl

        for fh in reversed(self.files):
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()
        self.files.clear()


def build(config: BuildConfig | None = None) -> BuildResult:
    """Run every stage in order. Raises :class:`BuildError` (one clear line) on failure.

    Holds :class:`BuildLock` throughout: two builds of one checkout run one after the other.
    """
    config = config or BuildConfig()
    with BuildLock(config):
        recover_site(config.site_dir, config.log)
        return _build(config)


def _build(config: BuildConfig) -> BuildResult:
    build_cache = cache.ContentCache(config.cache_dir)  # one cache per build: claim results, charts and cards
    before = _children_cpu()
    with drawing.drawing() as drawer:
        if not build_cache.holds(render.RECIPE_NAMESPACE):
            drawer.warm()  # nothing drawn before: the drawing processes start while the claims are computed
        result = _stages(config, build_cache, drawer)
    # the helpers' CPU, spent alongside the stages above (its wall time is theirs)
    result.timings.append(StageTime(HELPERS_STAGE, 0.0, _children_cpu() - before))
    return result


HELPERS_STAGE = "drawing processes"
"""The stage timing row of the drawing helpers' CPU: they draw while the charts, cards and pages stages run."""


def _children_cpu() -> float:
    """User and system CPU seconds of this process's finished child processes (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stages(config: BuildConfig, build_cache: cache.ContentCache, drawer: drawing.InlineDrawing) -> BuildResult:
    log = config.log
    times: list[StageTime] = []
    log("[1/7] fetch")
    with timed(times, "fetch"):
        if config.fetch_report is not None:
            fetch_lines, fetched = list(config.fetch_report[0]), config.fetch_report[1]
            log("fetched before this build: " + ("; ".join(fetch_lines) or "nothing new"))
        else:
            fetch_lines, fetched = fetch_stage(config)
    log("[2/7] load snapshot and validate")
    with timed(times, "load and validate"):
        loaded = load_stage(config)
    if config.cutoff is not None:
        log(f"[3/7] compute claims (on the data known at {_moment(config.cutoff)})")
    else:
        log("[3/7] compute claims (as of publication and latest)")
    with timed(times, "claims and chart specs"):
        results = claim_results(config, build_cache)  # also the charts' recipe keys: input files hashed once
        clean_docs(config.docs_dir)
        started: list[StartedChart] = []

        def chart_of(pair: Pair) -> None:  # each claim's chart goes to the drawing processes as soon as it is known
            if (chart := start_claim_chart(pair, config.docs_dir, build_cache, results, drawer)) is not None:
                started.append(chart)

        pairs = claims_stage(loaded, log, cut=config.cutoff is not None, results=results, then=chart_of)
    age = staleness(data_date(loaded), config.today or datetime.now(UTC).date(), config.cutoff)
    if age.log_line:
        log(age.log_line)
    site = SiteInfo(
        stale_note=age.banner,
        data_date=data_date(loaded),
        origin_sentence=("fresh data merged into the stored data" if fetched else
                         "stored with the site's code, not refreshed for this build"),
        fetch_sentence=("This build fetched fresh data." if fetched else
                        "This build did not fetch new data: every figure comes from the data stored with the site's code."),
        site_url=config.site_url,
    )
    log("[4/7] charts")
    with timed(times, "charts"):
        cards = start_cards(config, pairs, site, build_cache, drawer)  # drawn after the charts
        charts = finish_charts(started, config.docs_dir)
    log("[5/7] findings.json")
    with timed(times, "findings.json"):
        doc = findings(pairs, data_info(loaded, config, fetched))
        (config.docs_dir / "findings.json").write_text(dumps(doc), encoding="utf-8")
    log("[6/7] pages")
    with timed(times, "pages and cards"):
        pages_stage(config, loaded, pairs, charts, site, fetch_lines, doc, build_cache, cards_too=False)
        write_mkdocs_config(config, pairs)
        # cards still being drawn are finished while MkDocs runs (pages only name them) and put into its site; the
        # example is needed before: "How to read this site" shows it
        needed, later = cards[EXAMPLE:EXAMPLE + 1], cards[:EXAMPLE] + cards[EXAMPLE + 1:]
        _finish_cards(needed)
        drawn = all(pending.future.done() for _path, pending in later) or not config.build_site
        if drawn:
            _finish_cards(later)
    result = BuildResult(site.data_date, pairs, doc, fetch_lines, timings=times)
    if config.build_site:
        stamp = SiteStamp(config.cache_dir, config.site_src_dir, config.site_dir)
        with timed(times, "site (MkDocs)"):
            if drawn and stamp.current():  # a card still being drawn is a changed card: MkDocs must run
                log("[7/7] site: unchanged since the last build, MkDocs not run")
                result.site_skipped = True
            else:
                log("[7/7] site (mkdocs build --strict)")
                stamp.forget()
                site_stage(config, before_swap=None if drawn else lambda staging: _finish_cards(
                    later, config.docs_dir, staging))
                stamp.save()
        result.site_dir = config.site_dir
    if build_cache.enabled:
        log(cache_line(build_cache))
        build_cache.prune()
    if result.site_dir is not None:
        log(f"built {result.site_dir} (data through {site.data_date}, the last day every core series has"
            + (f"; {age.lag} trading days old" if age.stale else "") + ")")
    return result


def cache_line(store: cache.ContentCache) -> str:
    """One line on what the build cache saved: reused results, and any damaged entry that was redone."""
    stats = store.stats
    line = (f"cache: {stats.hits} of {stats.hits + stats.misses} claim results, charts and cards reused "
            f"from earlier builds ({store.root})")
    if stats.corrupt:
        line += f"; {len(stats.corrupt)} damaged entries found and redone"
    return line
