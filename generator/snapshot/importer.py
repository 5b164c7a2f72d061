"""Build the embedded snapshot from public collectors' files (``../shared/data/raw``).

Steps per series: load each raw file -> drop provisional rows -> combine contributors in priority
order -> cross-check against the other collectors -> validate -> write CSV + manifest.
Only dates and values are written, in this project's own format; the raw files are not copied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from generator.catalog import SeriesSpec, spec
from generator.snapshot.collectors import PLANS, RawFile, SeriesPlan
from generator.snapshot.manifest import Manifest, Origin
from generator.snapshot.store import SnapshotStore
from generator.validate import provisional_rows, split_like_moves, validate_series


class ImportError_(Exception):
    """A raw file is missing or unreadable."""


@dataclass
class LoadedFile:
    raw: RawFile
    frame: pd.DataFrame
    provisional: pd.DatetimeIndex
    sha256: str

    @property
    def final(self) -> pd.DataFrame:
        return self.frame.drop(index=self.provisional)


@dataclass
class ImportResult:
    series: str
    manifest: Manifest
    messages: list[str] = field(default_factory=list)


def _written_at(raw: RawFile) -> datetime:
    return datetime.fromisoformat(raw.collector.written_at.replace("Z", "+00:00"))


def load_raw(raw_dir: Path, raw: RawFile, series: SeriesSpec) -> LoadedFile:
    """Read one collector file into our column names, sorted, with its provisional rows identified."""
    path = raw_dir / raw.collector.folder / raw.filename
    if not path.exists():
        raise ImportError_(f"{series.id}: raw file {path} not found")
    data = path.read_bytes()
    skip = list(range(1, 1 + raw.header_rows))
    table = pd.read_csv(path, skiprows=skip)
    wanted = {ours: theirs for ours, theirs in raw.columns.items()}
    absent = [theirs for theirs in [raw.date_column, *wanted.values()] if theirs not in table.columns]
    if absent:
        raise ImportError_(f"{series.id}: {path.name} lacks columns {absent}")
    frame = pd.DataFrame(
        {ours: pd.to_numeric(table[theirs], errors="coerce") for ours, theirs in wanted.items()}
    )
    if raw.adjust_by is not None:
        if raw.adjust_by not in table.columns:
            raise ImportError_(f"{series.id}: {path.name} lacks the adjusted column {raw.adjust_by!r}")
        ratio = pd.to_numeric(table[raw.adjust_by], errors="coerce") / frame["close"]
        for column in ("open", "high", "low", "close"):
            if column in frame.columns:
                frame[column] = frame[column] * ratio
    frame.index = pd.DatetimeIndex(pd.to_datetime(table[raw.date_column]), name="date")
    frame = frame.dropna(how="all", subset=[c for c in frame.columns if c != "volume"])
    frame = frame.sort_index()
    provisional = provisional_rows(frame, series, _written_at(raw), raw.zero_volume_is_provisional)
    if raw.collector.last_row_provisional and len(frame):
        provisional = provisional.union(frame.index[-1:])
    return LoadedFile(raw, frame.astype("float64"), provisional, hashlib.sha256(data).hexdigest())


def combine(series: SeriesSpec, files: list[LoadedFile]) -> tuple[pd.DataFrame, dict[int, int], list[dict[str, str]]]:
    """Take each day from the first contributor that has a final row for it.

    Returns the combined frame, rows used per contributor, and the provisional rows left out.
    """
    cols = list(series.columns)
    parts: list[pd.DataFrame] = []
    used: dict[int, int] = {}
    taken = pd.DatetimeIndex([])
    for i, loaded in enumerate(files):
        missing = [c for c in cols if c not in loaded.frame.columns]
        if missing:
            raise ImportError_(f"{series.id}: contributor {loaded.raw.filename} lacks {missing}")
        fresh = loaded.final.loc[~loaded.final.index.isin(taken), cols]
        parts.append(fresh)
        used[i] = len(fresh)
        taken = taken.union(fresh.index)
    combined = pd.concat(parts).sort_index()
    excluded = []
    for loaded in files:
        where = f"{loaded.raw.collector.repo}:{loaded.raw.repo_path}"
        for day in loaded.provisional:
            replaced = day in combined.index
            excluded.append({
                "date": day.strftime("%Y-%m-%d"),
                "reason": f"provisional row in {where} (written before the bar closed); "
                          + ("the final row of a later contributor is used" if replaced else "no final row elsewhere"),
            })
    return combined, used, excluded


def adjust_splits(series: SeriesSpec, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Back-adjust splits a collector left unadjusted in dividend-adjusted data, saying what was done.

    Prices before the split day are divided by the factor and volumes multiplied by it, which is what the
    upstream's own adjustment does; each adjustment is written into the manifest's notes.
    """
    if not series.adjusted:
        return frame, []
    notes = []
    out = frame.copy()
    prices = [c for c in series.columns if c != "volume"]
    for day, factor in split_like_moves(out[series.price_column]):
        before = out.index < day
        prev = float(out.loc[before, series.price_column].iloc[-1])
        now = float(out.at[day, series.price_column])
        out.loc[before, prices] = out.loc[before, prices] / factor
        if "volume" in out.columns:
            out.loc[before, "volume"] = out.loc[before, "volume"] * factor
        notes.append(
            f"Split adjustment applied: {day.strftime('%Y-%m-%d')}, factor {factor:g} (close went from "
            f"{prev:,.2f} to {now:,.2f}, {now / prev - 1:+.1%}, in data that should already be split-adjusted); "
            f"earlier prices divided by {factor:g}, volumes multiplied by {factor:g}."
        )
    return out, notes


def cross_check(
    series: SeriesSpec, base: pd.DataFrame, other: LoadedFile, mode: str, tolerance: float
) -> dict[str, str | int | float]:
    """Compare ``base`` with another collector's final rows on the days both have."""
    col = series.price_column
    theirs = other.final[col] if col in other.final.columns else other.final.iloc[:, 0]
    ours = base[col]
    if mode == "returns":
        common = ours.index.intersection(theirs.index)
        a = ours.loc[common].pct_change().dropna()
        b = theirs.loc[common].pct_change().dropna()
        diff = (a - b).abs()
        what = "daily return"
    else:
        common = ours.index.intersection(theirs.index)
        a, b = ours.loc[common], theirs.loc[common]
        diff = ((a - b) / a).abs()
        what = "value"
    bad = diff[diff > tolerance]
    result: dict[str, str | int | float] = {
        "against": f"{other.raw.collector.repo}:{other.raw.repo_path}",
        "compared": f"{what} on common days",
        "common_days": int(len(diff)),
        "disagreements": int(len(bad)),
        "tolerance": tolerance,
        "max_difference": float(diff.max()) if len(diff) else 0.0,
    }
    if len(bad):
        result["examples"] = "; ".join(
            f"{d.strftime('%Y-%m-%d')} ours {float(a.loc[d]):.6g} theirs {float(b.loc[d]):.6g}" for d in bad.index[:5]
        )
    return result


def origin(loaded: LoadedFile, role: str, rows_used: int, retrieved_at: str) -> Origin:
    raw = loaded.raw
    final = loaded.final
    return Origin(
        role=role,
        publisher=raw.publisher,
        location=f"https://github.com/{raw.collector.repo}/blob/{raw.collector.commit}/{raw.repo_path}",
        commit=raw.file_commit or raw.collector.commit,
        written_at=raw.collector.written_at,
        retrieved_at=retrieved_at,
        license=raw.collector.license,
        raw_sha256=loaded.sha256,
        rows_used=rows_used,
        first_date=final.index[0].strftime("%Y-%m-%d") if len(final) else None,
        last_date=final.index[-1].strftime("%Y-%m-%d") if len(final) else None,
    )


def import_series(
    plan: SeriesPlan, raw_dir: Path, store: SnapshotStore, retrieved_at: str,
    log: Callable[[str], None] = print,
) -> ImportResult:
    """load -> drop provisional -> combine -> cross-check -> validate -> save, for one series."""
    series = spec(plan.series)
    contributors = [load_raw(raw_dir, raw, series) for raw in plan.contributors]
    checks = [load_raw(raw_dir, raw, series) for raw in plan.cross_checks]
    combined, used, excluded = combine(series, contributors)
    combined, split_notes = adjust_splits(series, combined)
    for note in split_notes:
        log(f"  {series.id}: {note}")

    cross = []
    # each later contributor is compared with what the earlier ones gave; cross-check files with the result
    bases = [combine(series, contributors[:i])[0] for i in range(1, len(contributors))]
    for i, other in enumerate(contributors[1:] + checks):
        base = bases[i] if i < len(bases) else combined
        result = cross_check(series, base, other, plan.check_mode, plan.tolerance)
        cross.append(result)
        if result["disagreements"]:
            log(f"  {series.id}: {result['disagreements']} of {result['common_days']} days disagree with "
                f"{result['against']} beyond {plan.tolerance:.4%}: {result.get('examples', '')}")

    report = validate_series(series, combined)
    if not report.ok:
        raise ImportError_(f"{series.id}: imported data fails validation: {report.errors[0]}")

    origins = [origin(f, "rows", used[i], retrieved_at) for i, f in enumerate(contributors)]
    origins += [origin(f, "cross-check", 0, retrieved_at) for f in checks]
    manifest = Manifest(
        series=series.id, name=series.name, upstream_id=series.upstream_id,
        source=contributors[0].raw.publisher, upstream_url=series.upstream_url, unit=series.unit,
        columns=list(series.columns), adjusted=series.adjusted, retrieved_at=retrieved_at,
        first_date="", last_date="", rows=0, sha256="", method="import",
        origins=origins, excluded=excluded, cross_checks=cross,
        notes=[*plan.notes, *split_notes, *([series.note] if series.note else [])],
    )
    written = store.write(series, combined, manifest)
    messages = [f"{series.id}: {written.rows} rows {written.first_date}..{written.last_date}, "
                f"{len(excluded)} provisional upstream rows not used, {len(report.warnings)} warnings"]
    return ImportResult(series.id, written, messages)


def import_all(
    raw_dir: Path, store: SnapshotStore, retrieved_at: str | None = None,
    only: list[str] | None = None, log: Callable[[str], None] = print,
) -> list[ImportResult]:
    """Import every planned series (or ``only`` those) into ``store``."""
    stamp = retrieved_at or datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    results = []
    for plan in PLANS:
        if only and plan.series not in only:
            continue
        result = import_series(plan, raw_dir, store, stamp, log)
        for message in result.messages:
            log(message)
        results.append(result)
    return results
