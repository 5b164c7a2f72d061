"""Read and write snapshot series: checksums on read, atomic writes, merges that never lose data."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from generator.catalog import SeriesSpec
from generator.snapshot.manifest import Manifest


class SnapshotError(Exception):
    """A snapshot file is missing, corrupt, or a write would lose data."""


def parse_manifest(path: Path) -> Manifest:
    """Read a manifest; malformed JSON or a wrong field is one line naming the file (and the field)."""
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "file"
        raise SnapshotError(f"{path.name}: not a valid manifest: {where}: {first.get('msg', exc)}") from None
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"{path.name}: not a valid manifest: not UTF-8 text ({exc.reason})") from None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def frame_to_csv_bytes(frame: pd.DataFrame, columns: tuple[str, ...]) -> bytes:
    """The canonical byte form of a series: same frame, same bytes."""
    out = frame.loc[:, list(columns)].copy()
    out.index = pd.DatetimeIndex(out.index).strftime("%Y-%m-%d")
    out.index.name = "date"
    buf = io.StringIO()
    out.to_csv(buf, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def csv_bytes_to_frame(data: bytes, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), index_col="date", parse_dates=["date"])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SnapshotError(f"columns {missing} missing")
    frame = frame.loc[:, list(columns)].astype("float64")
    frame.index = pd.DatetimeIndex(frame.index)
    return frame


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class MergeReport:
    """What a refresh changed in one series."""

    series: str
    added: int = 0
    first_added: str | None = None
    last_added: str | None = None
    revisions: list[dict[str, str | float]] = field(default_factory=list)
    """Past values that the new data would change beyond the tolerance: reported, not applied."""
    minor_revisions: int = 0

    @property
    def changed(self) -> bool:
        return self.added > 0

    def summary(self) -> str:
        text = f"{self.series}: {self.added} new rows"
        if self.added:
            text += f" ({self.first_added} .. {self.last_added})"
        if self.revisions:
            text += f"; {len(self.revisions)} past values differ beyond tolerance (kept old values)"
        return text


class SnapshotStore:
    """A folder of ``<id>.csv`` + ``<id>.manifest.json`` pairs."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def csv_path(self, series_id: str) -> Path:
        return self.root / f"{series_id}.csv"

    def manifest_path(self, series_id: str) -> Path:
        return self.root / f"{series_id}.manifest.json"

    def has(self, series_id: str) -> bool:
        return self.csv_path(series_id).exists() and self.manifest_path(series_id).exists()

    def series_ids(self) -> list[str]:
        return sorted(p.name.removesuffix(".manifest.json") for p in self.root.glob("*.manifest.json"))

    def read_manifest(self, series_id: str) -> Manifest:
        path = self.manifest_path(series_id)
        if not path.exists():
            raise SnapshotError(f"{series_id}: no manifest at {path}")
        return parse_manifest(path)

    def read(self, spec: SeriesSpec) -> tuple[pd.DataFrame, Manifest]:
        """Load a series and verify its checksum against the manifest."""
        manifest = self.read_manifest(spec.id)
        path = self.csv_path(spec.id)
        if not path.exists():
            raise SnapshotError(f"{spec.id}: manifest present but {path.name} is missing")
        data = path.read_bytes()
        digest = sha256_bytes(data)
        if digest != manifest.sha256:
            raise SnapshotError(
                f"{spec.id}: checksum mismatch for {path.name} (manifest {manifest.sha256[:12]}, "
                f"file {digest[:12]}); the file was changed outside the snapshot tools"
            )
        try:
            frame = csv_bytes_to_frame(data, spec.columns)
        except (ValueError, KeyError, SnapshotError) as exc:
            raise SnapshotError(f"{spec.id}: cannot parse {path.name}: {exc}") from exc
        if len(frame) != manifest.rows:
            raise SnapshotError(f"{spec.id}: {len(frame)} rows on disk, manifest says {manifest.rows}")
        return frame, manifest

    def write(self, spec: SeriesSpec, frame: pd.DataFrame, manifest: Manifest) -> Manifest:
        """Atomically write a series and its manifest, refusing to replace a longer good file.

        The manifest's row count, dates and checksum are filled in from what is actually written.
        """
        if frame.empty:
            raise SnapshotError(f"{spec.id}: refusing to write an empty series")
        frame = frame.sort_index()
        if self.has(spec.id):
            try:
                old, _ = self.read(spec)
            except SnapshotError:
                old = None  # an unreadable old file is not 'good': it may be replaced
            if old is not None:
                if len(frame) < len(old):
                    raise SnapshotError(
                        f"{spec.id}: refusing to shrink the snapshot from {len(old)} to {len(frame)} rows"
                    )
                if frame.index[0] > old.index[0]:
                    raise SnapshotError(
                        f"{spec.id}: refusing to drop history before {frame.index[0].date()} "
                        f"(snapshot starts {old.index[0].date()})"
                    )
        data = frame_to_csv_bytes(frame, spec.columns)
        manifest = manifest.model_copy(
            update={
                "rows": len(frame),
                "first_date": frame.index[0].strftime("%Y-%m-%d"),
                "last_date": frame.index[-1].strftime("%Y-%m-%d"),
                "sha256": sha256_bytes(data),
                "columns": list(spec.columns),
            }
        )
        atomic_write(self.csv_path(spec.id), data)
        atomic_write(self.manifest_path(spec.id), (manifest.model_dump_json(indent=2) + "\n").encode("utf-8"))
        return manifest


def merge_frames(
    series_id: str, old: pd.DataFrame, new: pd.DataFrame, value_column: str, tolerance: float = 0.001
) -> tuple[pd.DataFrame, MergeReport]:
    """Append the rows of ``new`` that ``old`` lacks; report past values that ``new`` would revise.

    Old rows are kept as they are: a revision beyond ``tolerance`` (relative) is reported for a human
    to look at, never silently applied.
    """
    report = MergeReport(series_id)
    common = old.index.intersection(new.index)
    for day in common:
        a, b = float(old.at[day, value_column]), float(new.at[day, value_column])
        if a == 0 or abs(b - a) / abs(a) > tolerance:
            report.revisions.append(
                {"date": day.strftime("%Y-%m-%d"), "snapshot": a, "upstream": b, "column": value_column}
            )
        elif a != b:
            report.minor_revisions += 1
    fresh = new.loc[~new.index.isin(old.index)]
    merged = pd.concat([old, fresh.loc[:, old.columns]]).sort_index()
    report.added = len(fresh)
    if len(fresh):
        report.first_added = fresh.index.min().strftime("%Y-%m-%d")
        report.last_added = fresh.index.max().strftime("%Y-%m-%d")
    return merged, report
