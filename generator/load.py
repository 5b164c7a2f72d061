"""Load the snapshot into validated :class:`MarketData` (stage: validate)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.catalog import CATALOG
from generator.market import MarketData
from generator.snapshot.store import SnapshotStore
from generator.validate import ValidationError, ValidationReport, validate_series


@dataclass
class Loaded:
    data: MarketData
    reports: dict[str, ValidationReport] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    """Catalogue series with no snapshot file (live-only series when offline)."""


def load_snapshot(store: SnapshotStore, log: Callable[[str], None] = lambda _m: None) -> Loaded:
    """Read every catalogue series in ``store`` (checksums verified), validate it, fail on errors."""
    frames, manifests, reports, absent = {}, {}, {}, []
    for spec in CATALOG:
        if not store.has(spec.id):
            absent.append(spec.id)
            continue
        frame, manifest = store.read(spec)
        report = validate_series(spec, frame)
        if not report.ok:
            raise ValidationError(report)
        for issue in report.warnings:
            log(f"  {issue}")
        frames[spec.id], manifests[spec.id], reports[spec.id] = frame, manifest, report
    return Loaded(MarketData(frames, manifests), reports, absent)
