"""The fetch stage: bring the embedded snapshot up to date from the live sources without ever losing data.

Per series: read the snapshot -> ask the source for the days it lacks (all history for a live-only series)
-> validate the new rows -> merge (past values that upstream would revise are reported, never applied)
-> validate the merged series -> write CSV + manifest atomically. Any failure leaves the files untouched.
Each source's host is probed once first (a few seconds), so an offline build says so at once instead of
timing out series after series.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

import pandas as pd

from generator.calendars import bar_close_utc, expected_days
from generator.catalog import CATALOG, SeriesSpec
from generator.progress import Progress
from generator.snapshot.manifest import Manifest, Origin
from generator.snapshot.store import MergeReport, SnapshotError, SnapshotStore, merge_frames
from generator.sources.base import Fetched, FetchError, Source
from generator.sources.net import PROBES, host_of, one_line, utc_now
from generator.validate import validate_series

Status = Literal["ok", "failed", "skipped"]
OVERLAP_DAYS = 10
"""Calendar days of already-stored history asked for again on each fetch."""
REVISION_TOLERANCE = 0.001  # relative; the default of merge_frames
ADJUSTED_NOTE = (
    "Rows added by a live fetch are dividend-adjusted as of their retrieval; earlier rows keep the adjustment "
    "of their own vintage, so a dividend paid between two vintages is missing from returns across the join."
)


@dataclass(frozen=True)
class SourceOutcome:
    """What the fetch stage did for one series (shown on the data page and in the build log)."""

    series: str
    source: str
    status: Status
    rows_added: int = 0
    message: str = ""
    last_date: str | None = None
    """Last date of the series after the stage (the snapshot's own if nothing was added)."""
    revisions: tuple[dict[str, str | float], ...] = ()
    """Past values upstream would change beyond the tolerance: reported, the snapshot's values kept."""
    warnings: tuple[str, ...] = ()
    """Validation warnings about the newly added rows."""


def default_sources(clock: Callable[[], datetime] = utc_now) -> dict[str, Source]:
    """The real upstreams, keyed by the catalogue's ``source`` names."""
    from generator.sources.fred import FredSource
    from generator.sources.yahoo import YahooSource

    return {"yahoo": YahooSource(clock=clock), "fred": FredSource(clock=clock)}


def latest_final_day(calendar: str, now: datetime) -> date:
    """The most recent day of ``calendar`` whose bar had closed by ``now``."""
    day = now.astimezone(UTC).date()
    for _ in range(20):
        stamp = pd.Timestamp(day)
        if bar_close_utc(calendar, day) <= now and len(expected_days(calendar, stamp, stamp)):
            return day
        day -= timedelta(days=1)
    raise ValueError(f"no {calendar} trading day in the 20 days before {now.isoformat()}")  # pragma: no cover


def refresh_snapshot(
    store: SnapshotStore,
    specs: Sequence[SeriesSpec] = CATALOG,
    sources: Mapping[str, Source] | None = None,
    offline: bool = False,
    log: Callable[[str], None] = print,
    now: datetime | None = None,
    probe_timeout: float = 3.0,
    give_up_after: int = 3,
) -> list[SourceOutcome]:
    """Fetch what the snapshot lacks for every series in ``specs`` and merge it in; one outcome per series.

    ``offline`` tries nothing. Otherwise each source is probed once (``probe_timeout`` seconds); an
    unreachable source is reported in one line and its series keep the snapshot. After ``give_up_after``
    failed series in a row a source's remaining series are skipped. ``now`` (UTC) decides which bars have
    closed; by default the real time, and with ``sources=None`` it is also the sources' retrieval time.
    """
    moment = _utc(now) if now is not None else utc_now()
    outcomes: dict[str, SourceOutcome] = {}
    groups = _by_source(specs)
    snapshot_of = snapshot_date(store)
    if offline:
        for name, group in groups.items():
            log(f"{source_label(name)}: offline; using the snapshot of {snapshot_of}")
            outcomes.update({s.id: _skipped(store, s, "offline") for s in group})
        return [outcomes[s.id] for s in specs if s.id in outcomes]
    if sources is None:
        sources = default_sources((lambda: moment) if now is not None else utc_now)
    reasons = _probe_all({name: sources[name] for name in groups if name in sources}, probe_timeout)
    for name, group in groups.items():
        source = sources.get(name)
        if source is None:
            log(f"{source_label(name)}: no source configured; using the snapshot of {snapshot_of}")
            outcomes.update({s.id: _skipped(store, s, f"no {name} source configured") for s in group})
            continue
        reason = reasons.get(name)
        if reason is not None:
            host = host_of(str(getattr(source, "probe_url", name)))
            if PROBES.first_report(host):
                log(f"{source_label(name)} unreachable; using the snapshot of {snapshot_of} ({reason})")
            outcomes.update({s.id: _skipped(store, s, f"{source_label(name)} unreachable") for s in group})
            continue
        outcomes.update(_refresh_group(store, name, group, source, moment, log, give_up_after))
    return [outcomes[s.id] for s in specs if s.id in outcomes]


def _refresh_group(
    store: SnapshotStore, name: str, group: list[SeriesSpec], source: Source, now: datetime,
    log: Callable[[str], None], give_up_after: int,
) -> dict[str, SourceOutcome]:
    log(f"{source_label(name)}: refreshing {len(group)} series")
    done: dict[str, SourceOutcome] = {}
    failures_in_a_row = 0
    with Progress(len(group), source_label(name), log, unit="series") as bar:
        for i, spec in enumerate(group, start=1):
            if give_up_after and failures_in_a_row >= give_up_after:
                outcome = _skipped(store, spec, f"{failures_in_a_row} {name} fetches failed in a row")
            else:
                outcome = refresh_series(store, spec, source, now)
            if outcome.status != "skipped":  # once given up, the rest stay skipped
                failures_in_a_row = failures_in_a_row + 1 if outcome.status == "failed" else 0
            bar.advance(1, f"  [{i}/{len(group)}] {outcome.message}")
            for warning in outcome.warnings:
                log(f"      {warning}")
            done[spec.id] = outcome
    return done


def refresh_series(store: SnapshotStore, spec: SeriesSpec, source: Source, now: datetime) -> SourceOutcome:
    """Fetch, validate, merge and write one series; a failure returns an outcome and touches no file."""
    old: pd.DataFrame | None = None
    manifest: Manifest | None = None
    if store.has(spec.id):
        try:
            old, manifest = store.read(spec)
        except SnapshotError as exc:
            return _failed(spec, None, f"cannot read the snapshot ({exc}); not fetched")
    last = manifest.last_date if manifest else None
    start = (old.index[-1] + pd.Timedelta(days=1)).date() if old is not None else None
    if start is not None and start > latest_final_day(spec.calendar, _utc(now)):
        return SourceOutcome(spec.id, spec.source, "ok", 0, f"{spec.id}: up to date (data through {last})", last)
    # ask for a few days the snapshot already has: revisions show up, and adjusted series can be chain-linked
    fetch_from = start - pd.Timedelta(days=OVERLAP_DAYS).to_pytimedelta() if start is not None else None
    try:
        fetched = source.fetch(spec, fetch_from)
    except FetchError as exc:
        return _failed(spec, last, f"fetch failed: {exc.problem}")
    except Exception as exc:  # a bug or surprise in a source must not stop the build
        return _failed(spec, last, f"fetch failed unexpectedly: {one_line(exc)}")
    return _merge_and_write(store, spec, old, manifest, fetched)


def _merge_and_write(
    store: SnapshotStore, spec: SeriesSpec, old: pd.DataFrame | None, manifest: Manifest | None, fetched: Fetched
) -> SourceOutcome:
    last = manifest.last_date if manifest else None
    new = fetched.frame
    if spec.adjusted and old is not None:
        new = chain_link(spec, old, new)
    if new.empty:
        return SourceOutcome(spec.id, spec.source, "ok", 0, f"{spec.id}: nothing new upstream yet (data through {last})", last)
    written_at = datetime.fromisoformat(fetched.retrieved_at.replace("Z", "+00:00"))
    check = validate_series(spec, new, written_at=written_at)
    if not check.ok:
        return _failed(spec, last, f"fetched rows fail validation: {check.errors[0]}")
    if old is None:
        merged, report = new.loc[:, list(spec.columns)].sort_index(), _all_new(spec.id, new)
    else:
        merged, report = merge_frames(spec.id, old, new, spec.price_column, REVISION_TOLERANCE)
    revisions = tuple(report.revisions)
    if report.added == 0:
        text = f"{spec.id}: nothing new upstream (data through {last})" + _revision_text(report)
        return SourceOutcome(spec.id, spec.source, "ok", 0, text, last, revisions)
    whole = validate_series(spec, merged, written_at=written_at)
    if not whole.ok:
        return _failed(spec, last, f"merged series fails validation: {whole.errors[0]}")
    updated = _new_manifest(spec, fetched, report) if manifest is None else _updated_manifest(
        manifest, spec, fetched, report, _revision_check(spec, old, new, fetched))
    try:
        written = store.write(spec, merged, updated)
    except (SnapshotError, OSError) as exc:
        return _failed(spec, last, f"not written: {exc}")
    fresh = tuple(str(i) for i in whole.warnings if i.date is not None and i.date > (last or ""))
    return SourceOutcome(spec.id, spec.source, "ok", report.added, report.summary(), written.last_date, revisions, fresh)


def chain_link(spec: SeriesSpec, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Rescale freshly fetched dividend-adjusted prices onto the snapshot's adjustment vintage.

    Upstream re-adjusts all past prices after each dividend, so a fetch made months after the snapshot is
    on a different scale. Multiplying the new rows by old/new on the last day both have keeps every daily
    return intact across the join (volume is not rescaled). Without an overlapping day nothing is changed.
    """
    common = old.index.intersection(new.index)
    if not len(common):
        return new
    anchor = common[-1]
    factor = float(old.at[anchor, spec.price_column]) / float(new.at[anchor, spec.price_column])
    scaled = new.copy()
    prices = [c for c in spec.columns if c != "volume"]
    scaled[prices] = scaled[prices] * factor
    return scaled


def _all_new(series_id: str, frame: pd.DataFrame) -> MergeReport:
    report = MergeReport(series_id, added=len(frame))
    report.first_added = frame.index.min().strftime("%Y-%m-%d")
    report.last_added = frame.index.max().strftime("%Y-%m-%d")
    return report


def _revision_text(report: MergeReport) -> str:
    if not report.revisions:
        return ""
    return f"; {len(report.revisions)} past values differ beyond tolerance (kept old values)"


def _revision_check(
    spec: SeriesSpec, old: pd.DataFrame | None, new: pd.DataFrame, fetched: Fetched
) -> dict[str, str | int | float] | None:
    """A cross-check entry for the manifest when the fetch overlapped days already in the snapshot."""
    if old is None:
        return None
    common = old.index.intersection(new.index)
    if not len(common):
        return None
    col = spec.price_column
    a, b = old.loc[common, col], new.loc[common, col]
    diff = ((b - a) / a).abs()
    bad = diff[diff > REVISION_TOLERANCE]
    entry: dict[str, str | int | float] = {
        "against": fetched.location,
        "compared": f"{col} on days already in the snapshot (live fetch of {fetched.retrieved_at})",
        "common_days": int(len(common)),
        "disagreements": int(len(bad)),
        "tolerance": REVISION_TOLERANCE,
        "max_difference": float(diff.max()),
    }
    if len(bad):
        entry["examples"] = "; ".join(
            f"{d.strftime('%Y-%m-%d')} snapshot {float(a.loc[d]):.6g} upstream {float(b.loc[d]):.6g}"
            for d in bad.index[:5]
        )
    return entry


def _origin(fetched: Fetched, report: MergeReport) -> Origin:
    return Origin(
        role="rows", publisher=fetched.publisher, location=fetched.location, retrieved_at=fetched.retrieved_at,
        rows_used=report.added, first_date=report.first_added, last_date=report.last_added,
    )


def _updated_manifest(
    manifest: Manifest, spec: SeriesSpec, fetched: Fetched, report: MergeReport,
    revision_check: dict[str, str | int | float] | None,
) -> Manifest:
    """The old manifest with the fetch recorded: a new 'rows' origin, the retrieval time, the method."""
    method = manifest.method if "fetch" in manifest.method.split("+") else f"{manifest.method}+fetch"
    notes = list(manifest.notes)
    if spec.adjusted and ADJUSTED_NOTE not in notes:
        notes.append(ADJUSTED_NOTE)
    checks = [*manifest.cross_checks, *([revision_check] if revision_check else [])]
    return manifest.model_copy(update={
        "origins": [*manifest.origins, _origin(fetched, report)],
        "retrieved_at": fetched.retrieved_at,
        "method": method,
        "notes": notes,
        "cross_checks": checks,
    })


def _new_manifest(spec: SeriesSpec, fetched: Fetched, report: MergeReport) -> Manifest:
    """The manifest of a series that exists only through live fetches (no snapshot file before)."""
    return Manifest(
        series=spec.id, name=spec.name, upstream_id=spec.upstream_id, source=fetched.publisher,
        upstream_url=spec.upstream_url, unit=spec.unit, columns=list(spec.columns), adjusted=spec.adjusted,
        retrieved_at=fetched.retrieved_at, first_date="", last_date="", rows=0, sha256="", method="fetch",
        origins=[_origin(fetched, report)],
        notes=[n for n in (spec.note, ADJUSTED_NOTE if spec.adjusted else "") if n],
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _by_source(specs: Iterable[SeriesSpec]) -> dict[str, list[SeriesSpec]]:
    groups: dict[str, list[SeriesSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.source, []).append(spec)
    return groups


SOURCE_LABELS = {"yahoo": "Yahoo Finance", "fred": "FRED (Federal Reserve Bank of St. Louis)"}


def source_label(name: str) -> str:
    """The reader's name of a catalogue source (``yahoo`` -> ``Yahoo Finance``)."""
    return SOURCE_LABELS.get(name, name)


def _probe_all(sources: Mapping[str, Source], timeout: float) -> dict[str, str | None]:
    """Probe every source's host at the same time (an offline run waits one timeout, not one per host)."""
    if not sources:
        return {}
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        futures = {name: pool.submit(_probe, source, timeout) for name, source in sources.items()}
    return {name: future.result() for name, future in futures.items()}


def _probe(source: Source, timeout: float) -> str | None:
    """None if the source's host answers (or the source cannot be probed), else a one-line reason."""
    probe = getattr(source, "probe", None)
    if not callable(probe):
        return None
    try:
        return probe(timeout)
    except Exception as exc:
        return one_line(exc)


def _snapshot_last_date(store: SnapshotStore, spec: SeriesSpec) -> str | None:
    if not store.has(spec.id):
        return None
    try:
        return store.read_manifest(spec.id).last_date
    except (SnapshotError, ValueError):
        return None


CORE_SERIES = ("rut", "btc-usd", "gspc", "ixic")
"""The series whose last common day is the site's data date (as in :mod:`generator.build`)."""


def snapshot_date(store: SnapshotStore) -> str:
    """The snapshot's data date, as the build reports it: the last day every core series has.

    Without core series (a partial test store), the newest last date of any series; "" if empty.
    """
    dates = {sid: _snapshot_last_date(store, spec) for spec in CATALOG if (sid := spec.id)}
    core = [d for sid, d in dates.items() if sid in CORE_SERIES and d]
    if core:
        return min(core)
    known = [d for d in dates.values() if d]
    return max(known) if known else "an empty snapshot"


def _skipped(store: SnapshotStore, spec: SeriesSpec, why: str) -> SourceOutcome:
    last = _snapshot_last_date(store, spec)
    kept = f"snapshot data through {last}" if last else "no snapshot file, the series stays absent"
    return SourceOutcome(spec.id, spec.source, "skipped", 0, f"{spec.id}: not fetched ({why}); {kept}", last)


def _failed(spec: SeriesSpec, last: str | None, problem: str) -> SourceOutcome:
    kept = f"kept the snapshot (data through {last})" if last else "no snapshot file, the series stays absent"
    return SourceOutcome(spec.id, spec.source, "failed", 0, f"{spec.id}: {problem}; {kept}", last)


def read_manifests(store: SnapshotStore) -> dict[str, Manifest]:
    """Every manifest in ``store`` by series id (to pass to :func:`describe_changes`)."""
    return {sid: store.read_manifest(sid) for sid in store.series_ids()}


def describe_changes(before: Mapping[str, Manifest], after: Mapping[str, Manifest]) -> list[str]:
    """What changed between two sets of manifests, one line per changed series (``data diff``)."""
    lines: list[str] = []
    for sid in sorted(set(before) | set(after)):
        old, new = before.get(sid), after.get(sid)
        if old is not None and new is not None:
            lines.extend(_series_changes(sid, old, new))
        elif new is not None:
            lines.append(f"{sid}: new series, {new.rows} rows {new.first_date} .. {new.last_date}")
        elif old is not None:
            lines.append(f"{sid}: removed (had {old.rows} rows to {old.last_date})")
    return lines


def _series_changes(sid: str, old: Manifest, new: Manifest) -> list[str]:
    lines = []
    if new.rows != old.rows or new.last_date != old.last_date:
        lines.append(f"{sid}: {new.rows - old.rows:+d} rows, last date {old.last_date} -> {new.last_date}")
    elif new.sha256 != old.sha256:
        lines.append(f"{sid}: values changed ({old.sha256[:12]} -> {new.sha256[:12]}), same rows and dates")
    for check in new.cross_checks[len(old.cross_checks):]:
        if check.get("disagreements"):
            lines.append(
                f"{sid}: {check['disagreements']} past values differ from {check['against']} beyond "
                f"{float(check['tolerance']):.2%} (kept old values): {check.get('examples', '')}"
            )
    return lines
