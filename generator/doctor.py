"""``python -m generator doctor``: check the snapshot without building.

One row per series and dataset: rows, first and last date, staleness in trading days, checksum state and open
warnings; then the reference files. Any error (a checksum mismatch, a malformed manifest, a missing committed
series, a row that fails validation) makes the exit status non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from generator import paths
from generator.calendars import expected_days
from generator.catalog import CATALOG, SeriesSpec
from generator.integrity import (
    IntegrityError,
    check_manifest,
    jump_confirmer,
    load_confirmed_moves,
    reference_problems,
)
from generator.load import retrieved
from generator.snapshot.store import SnapshotError, SnapshotStore
from generator.validate import validate_series


@dataclass
class Row:
    name: str
    kind: str
    rows: str = "-"
    first: str = "-"
    last: str = "-"
    stale: str = "-"
    checksum: str = "-"
    warnings: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        return "ERROR" if self.errors else "ok"


def staleness(calendar: str, last: date, today: date) -> int:
    """Sessions of ``calendar`` strictly after ``last`` and before ``today`` (today's bar may not exist yet)."""
    start, end = last + timedelta(days=1), today - timedelta(days=1)
    if end < start:
        return 0
    if calendar == "business":
        return len(pd.bdate_range(start, end))
    return len(expected_days(calendar, pd.Timestamp(start), pd.Timestamp(end)))


def check_series(store: SnapshotStore, today: date, reference_dir: Path) -> list[Row]:
    rows: list[Row] = []
    frames: dict[str, pd.DataFrame] = {}
    specs: dict[str, tuple[SeriesSpec, Row, str]] = {}
    for spec in CATALOG:
        row = Row(spec.id, "series")
        rows.append(row)
        if not store.has(spec.id):
            if spec.in_snapshot:
                row.errors.append(f"data/series/{spec.id}.csv or its manifest is missing (a committed series)")
            else:
                row.checksum = "live-only, not fetched"
            continue
        try:
            frame, manifest = store.read(spec)
            check_manifest(store.manifest_path(spec.id).name, frame, manifest.first_date, manifest.last_date,
                           manifest.rows)
        except (SnapshotError, IntegrityError) as exc:
            row.checksum = "mismatch" if "checksum" in str(exc) else "unreadable"
            row.errors.append(str(exc))
            continue
        row.rows, row.first, row.last, row.checksum = str(len(frame)), manifest.first_date, manifest.last_date, "ok"
        row.stale = str(staleness(spec.calendar, date.fromisoformat(manifest.last_date), today))
        frames[spec.id] = frame
        specs[spec.id] = (spec, row, manifest.retrieved_at)
    try:
        confirmed = load_confirmed_moves(reference_dir)
    except IntegrityError as exc:
        confirmed = []
        rows.append(Row("confirmed_moves.json", "reference", errors=[str(exc)]))
    for sid, (spec, row, stamp) in specs.items():
        report = validate_series(spec, frames[sid], written_at=retrieved(stamp), today=today,
                                 confirm=jump_confirmer(spec, frames, confirmed))
        row.warnings = len(report.warnings)
        row.errors += [i.plain() for i in report.errors]
    return rows


def check_datasets(root: Path) -> list[Row]:
    from generator.datasets.store import DatasetError, DatasetStore

    store = DatasetStore(root)
    rows = []
    for name in store.names() if root.exists() else []:
        row = Row(name, "dataset")
        rows.append(row)
        try:
            frame, manifest = store.read(name)
        except (DatasetError, ValueError) as exc:
            row.checksum = "mismatch" if "checksum" in str(exc) else "unreadable"
            row.errors.append(str(exc))
            continue
        row.rows, row.first, row.last, row.checksum = str(len(frame)), manifest.first_date or "-", manifest.as_of or "-", "ok"
    return rows


def check_references(reference_dir: Path) -> list[Row]:
    problems = reference_problems(reference_dir)
    rows = []
    for path in sorted(reference_dir.glob("*.json")):
        mine = [p for p in problems if f"/{path.name}" in p]
        rows.append(Row(path.name, "reference", checksum="mismatch" if mine else "ok", errors=mine))
    rest = [p for p in problems if not any(f"/{r.name}" in p for r in rows)]
    if rest:
        rows.append(Row("SHA256SUMS", "reference", checksum="missing", errors=rest))
    return rows


def diagnose(snapshot_dir: Path = paths.SNAPSHOT_DIR, datasets_dir: Path = paths.DATA_DIR / "datasets",
             reference_dir: Path = paths.REFERENCE_DIR, today: date | None = None) -> list[Row]:
    today = today or datetime.now(UTC).date()
    return (check_series(SnapshotStore(snapshot_dir), today, reference_dir) + check_datasets(datasets_dir)
            + check_references(reference_dir))


def table(rows: list[Row]) -> list[str]:
    head = ("name", "kind", "rows", "first", "last", "sessions behind", "checksum", "warnings", "state")
    body = [(r.name, r.kind, r.rows, r.first, r.last, r.stale, r.checksum, str(r.warnings), r.state) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip() for line in (head, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for r in rows:
        lines += [f"error: {r.name}: {e}" if not e.startswith(r.name) else f"error: {e}" for e in r.errors]
    return lines
