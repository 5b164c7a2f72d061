"""Load the snapshot into validated :class:`MarketData` (stage: validate)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from generator import paths
from generator.catalog import CATALOG
from generator.integrity import IntegrityError, check_manifest, jump_confirmer, load_confirmed_moves
from generator.market import MarketData
from generator.snapshot.store import SnapshotError, SnapshotStore
from generator.validate import ValidationError, ValidationReport, validate_series


class MissingSeries(SnapshotError):
    """A series the catalogue lists as committed has no file in the snapshot."""


@dataclass
class Loaded:
    data: MarketData
    reports: dict[str, ValidationReport] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    """Catalogue series with no snapshot file (live-only series when offline)."""


def retrieved(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def load_snapshot(store: SnapshotStore, log: Callable[[str], None] = lambda _m: None,
                  reference_dir: Path = paths.REFERENCE_DIR, today: date | None = None) -> Loaded:
    """Read every catalogue series in ``store`` (checksums verified), validate it, fail on errors.

    A series the catalogue lists as committed (``in_snapshot``) must be there; only live-only series may be
    absent. The manifest's range and row count must match the file; rows dated after the retrieval time or
    after ``today`` are errors; a large one-day move needs a second source (see :mod:`generator.integrity`).
    """
    frames, manifests, reports, absent = {}, {}, {}, []
    for spec in CATALOG:
        if not store.has(spec.id):
            if spec.in_snapshot:
                missing = [p.name for p in (store.csv_path(spec.id), store.manifest_path(spec.id)) if not p.exists()]
                raise MissingSeries(
                    f"the snapshot lacks {spec.id} ({spec.name}): data/series/{' and '.join(missing)} "
                    f"{'are' if len(missing) > 1 else 'is'} missing; restore it with `git checkout -- data/series` "
                    "or download it with `python -m generator fetch`")
            absent.append(spec.id)
            continue
        frame, manifest = store.read(spec)
        if manifest.series != spec.id:
            raise IntegrityError(f"{store.manifest_path(spec.id).name}: names series {manifest.series!r}, "
                                 f"expected {spec.id!r}")
        check_manifest(store.manifest_path(spec.id).name, frame, manifest.first_date, manifest.last_date,
                       manifest.rows)
        frames[spec.id], manifests[spec.id] = frame, manifest
    confirmed = load_confirmed_moves(reference_dir)
    for sid, frame in frames.items():
        spec = next(s for s in CATALOG if s.id == sid)
        report = validate_series(spec, frame, written_at=retrieved(manifests[sid].retrieved_at), today=today,
                                 confirm=jump_confirmer(spec, frames, confirmed))
        if not report.ok:
            raise ValidationError(report)
        for issue in report.warnings:
            log(f"  {issue}")
        reports[sid] = report
    return Loaded(MarketData(frames, manifests), reports, absent)
