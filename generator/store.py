"""The one checksummed store for everything under ``data/``: market series and tables (datasets).

A store is a folder of ``<name>.csv`` + ``<name>.manifest.json`` pairs. Every kind of file gets the same
guarantees from :class:`CheckedStore`:

- **checksums**: the manifest holds the SHA-256 of the CSV; reading verifies it and the row count;
- **atomic writes**: CSV and manifest are each written to a temporary file and renamed into place;
- **no shrink**: a write never replaces a readable file with fewer rows (or, for a series, later history);
- **revisions reported**: a merge compares the rows it already had with the new ones and reports values
  that differ beyond a tolerance (a series keeps its old values; a table takes the newer file for that
  key and records what it replaced in the manifest).

Two codecs sit on top: :class:`SnapshotStore` (one date-indexed series per file, described by a
:class:`generator.catalog.SeriesSpec`) and :class:`DatasetStore` (a typed table with a ``date`` column and
key columns, described by its :class:`DatasetManifest`).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from generator.catalog import SeriesSpec
from generator.manifests import Manifest, Origin


class StoreError(Exception):
    """A stored file is missing, corrupt, or a write would lose data."""


class SnapshotError(StoreError):
    """A snapshot series is missing, corrupt, or a write would lose data."""


class DatasetError(StoreError):
    """A dataset file is corrupt or unreadable, or a write would lose data."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    """What a merge changed in one stored file."""

    series: str
    added: int = 0
    first_added: str | None = None
    last_added: str | None = None
    revisions: list[dict[str, str | float]] = field(default_factory=list)
    """Past values that the new data would change beyond the tolerance."""
    minor_revisions: int = 0
    revision_policy: str = "kept old values"
    """What the merge did with the revised values (a series keeps its old ones)."""

    @property
    def changed(self) -> bool:
        return self.added > 0

    def summary(self) -> str:
        text = f"{self.series}: {self.added} new rows"
        if self.added:
            text += f" ({self.first_added} .. {self.last_added})"
        if self.revisions:
            text += f"; {len(self.revisions)} past values differ beyond tolerance ({self.revision_policy})"
        return text


def differs(old: float, new: float, tolerance: float) -> bool:
    """True when ``new`` revises ``old`` by more than ``tolerance`` (relative; any change of a zero)."""
    if pd.isna(old) and pd.isna(new):
        return False
    if pd.isna(old) or pd.isna(new):
        return True
    if old == 0:
        return new != 0
    return abs(new - old) / abs(old) > tolerance


M = TypeVar("M", bound=BaseModel)


class CheckedStore(Generic[M]):
    """The guarantees shared by every stored file; subclasses add the codec (bytes <-> frame)."""

    manifest_model: type[M]
    error: type[StoreError] = StoreError
    what: str = "file"
    """How errors name the stored thing ('series', 'dataset')."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def csv_path(self, name: str) -> Path:
        return self.root / f"{name}.csv"

    def manifest_path(self, name: str) -> Path:
        return self.root / f"{name}.manifest.json"

    def has(self, name: str) -> bool:
        return self.csv_path(name).exists() and self.manifest_path(name).exists()

    def names(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name.removesuffix(".manifest.json") for p in self.root.glob("*.manifest.json"))

    def read_manifest(self, name: str) -> M:
        path = self.manifest_path(name)
        if not path.exists():
            raise self.error(f"{name}: no manifest at {path}")
        try:
            return self.manifest_model.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            errors = getattr(exc, "errors", None)  # pydantic: name the field, not "1 validation error for ..."
            if callable(errors) and errors():
                where = ".".join(str(part) for part in errors()[0].get("loc", ())) or "file"
                first = f"{where}: {errors()[0].get('msg', '')}"
            else:
                first = str(exc).splitlines()[0]
            raise self.error(f"{name}: unreadable manifest {path.name}: {first}") from exc

    def verified_bytes(self, name: str, sha256: str) -> bytes:
        """The CSV's bytes, after checking them against the manifest's checksum."""
        path = self.csv_path(name)
        if not path.exists():
            raise self.error(f"{name}: manifest present but {path.name} is missing")
        data = path.read_bytes()
        digest = sha256_bytes(data)
        if digest != sha256:
            raise self.error(
                f"{name}: checksum mismatch for {path.name} (manifest {sha256[:12]}, file {digest[:12]}); "
                f"the file was changed outside the {self.what} tools"
            )
        return data

    def check_rows(self, name: str, on_disk: int, declared: int) -> None:
        if on_disk != declared:
            raise self.error(f"{name}: {on_disk} rows on disk, manifest says {declared}")

    def refuse_shrink(self, name: str, old_rows: int, new_rows: int) -> None:
        if new_rows == 0:
            raise self.error(f"{name}: refusing to write an empty {self.what}")
        if new_rows < old_rows:
            raise self.error(f"{name}: refusing to shrink the {self.what} from {old_rows} to {new_rows} rows")

    def commit(self, name: str, data: bytes, manifest: M) -> None:
        """Write the CSV, then its manifest, each atomically."""
        atomic_write(self.csv_path(name), data)
        atomic_write(self.manifest_path(name), (manifest.model_dump_json(indent=2) + "\n").encode("utf-8"))


# --- market series -----------------------------------------------------------------------------------


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


class SnapshotStore(CheckedStore[Manifest]):
    """Market series: one date-indexed CSV per :class:`SeriesSpec`."""

    manifest_model = Manifest
    error = SnapshotError
    what = "snapshot"

    def series_ids(self) -> list[str]:
        return self.names()

    def read(self, spec: SeriesSpec) -> tuple[pd.DataFrame, Manifest]:
        """Load a series and verify its checksum against the manifest."""
        manifest = self.read_manifest(spec.id)
        data = self.verified_bytes(spec.id, manifest.sha256)
        try:
            frame = csv_bytes_to_frame(data, spec.columns)
        except (ValueError, KeyError, SnapshotError) as exc:
            raise SnapshotError(f"{spec.id}: cannot parse {spec.id}.csv: {exc}") from exc
        self.check_rows(spec.id, len(frame), manifest.rows)
        return frame, manifest

    def write(self, spec: SeriesSpec, frame: pd.DataFrame, manifest: Manifest) -> Manifest:
        """Atomically write a series and its manifest, refusing to replace a longer good file.

        The manifest's row count, dates and checksum are filled in from what is actually written.
        """
        if frame.empty:
            raise SnapshotError(f"{spec.id}: refusing to write an empty series")
        frame = frame.sort_index()
        old = self._readable(spec)
        if old is not None:
            self.refuse_shrink(spec.id, len(old), len(frame))
            if frame.index[0] > old.index[0]:
                raise SnapshotError(
                    f"{spec.id}: refusing to drop history before {frame.index[0].date()} "
                    f"(snapshot starts {old.index[0].date()})"
                )
        data = frame_to_csv_bytes(frame, spec.columns)
        manifest = manifest.model_copy(update={
            "rows": len(frame),
            "first_date": frame.index[0].strftime("%Y-%m-%d"),
            "last_date": frame.index[-1].strftime("%Y-%m-%d"),
            "sha256": sha256_bytes(data),
            "columns": list(spec.columns),
        })
        self.commit(spec.id, data, manifest)
        return manifest

    def _readable(self, spec: SeriesSpec) -> pd.DataFrame | None:
        if not self.has(spec.id):
            return None
        try:
            return self.read(spec)[0]
        except SnapshotError:
            return None  # an unreadable old file is not 'good': it may be replaced


def merge_frames(
    series_id: str, old: pd.DataFrame, new: pd.DataFrame, value_column: str, tolerance: float = 0.001
) -> tuple[pd.DataFrame, MergeReport]:
    """Append the rows of ``new`` that ``old`` lacks; report past values that ``new`` would revise.

    Old rows are kept as they are: a revision beyond ``tolerance`` (relative) is reported for a human
    to look at, never silently applied.
    """
    report = MergeReport(series_id)
    for day in old.index.intersection(new.index):
        a, b = float(old.at[day, value_column]), float(new.at[day, value_column])
        if differs(a, b, tolerance) or a == 0:
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


# --- datasets (typed tables) -------------------------------------------------------------------------

ColumnType = Literal["date", "str", "float", "int"]

REVISION_TOLERANCE = 0.001
"""Relative change of a stored number above which a dataset merge reports it as a revision."""


class DatasetManifest(BaseModel):
    """Everything a reader needs to trust one dataset. Row count, dates and checksum are filled on write."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    source: str = Field(description="who published the data, e.g. 'BlackRock iShares (issuer)'")
    upstream_urls: list[str]
    retrieved_at: str = Field(description="when the newest rows were fetched (ISO 8601, UTC)")
    retrievals: list[str] = Field(default_factory=list, description="every retrieval merged into the file")
    columns: dict[str, ColumnType]
    keys: list[str] = Field(description="columns that identify a row; the file is sorted by them")
    first_date: str = ""
    as_of: str = Field("", description="the last date the rows describe (YYYY-MM-DD)")
    rows: int = 0
    sha256: str = ""
    notes: list[str] = Field(default_factory=list)
    method: str = Field("fetch", description="'fetch' (live) or 'import' (derived from public files)")
    terms: str = Field("", description="the upstream's terms of use, and what this project keeps because of them")
    origins: list[Origin] = Field(default_factory=list, description="the files the rows were derived from")
    cross_checks: list[dict[str, str | int | float]] = Field(default_factory=list)
    revisions: list[dict[str, str | float]] = Field(
        default_factory=list, description="stored values the last merge replaced beyond the tolerance")


def to_csv_bytes(frame: pd.DataFrame, columns: dict[str, ColumnType]) -> bytes:
    """The canonical byte form of a dataset: same rows, same bytes."""
    out = pd.DataFrame(index=range(len(frame)))
    for column, kind in columns.items():
        values = frame[column].reset_index(drop=True)
        if kind == "date":
            out[column] = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif kind == "int":
            out[column] = values.astype("Int64")
        elif kind == "float":
            out[column] = values.astype("float64")
        else:
            out[column] = values.fillna("").astype(str)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def from_csv_bytes(data: bytes, columns: dict[str, ColumnType]) -> pd.DataFrame:
    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DatasetError(f"columns {missing} missing")
    frame = pd.DataFrame(index=raw.index)
    for column, kind in columns.items():
        values = raw[column]
        if kind == "date":
            frame[column] = pd.to_datetime(values, format="%Y-%m-%d")
        elif kind == "float":
            frame[column] = pd.to_numeric(values.replace("", None), errors="raise").astype("float64")
        elif kind == "int":
            frame[column] = pd.to_numeric(values.replace("", None), errors="raise").astype("Int64")
        else:
            frame[column] = values.astype(str)
    return frame


def _canonical(frame: pd.DataFrame, manifest: DatasetManifest) -> pd.DataFrame:
    """Only the manifest's columns, sorted by its keys; duplicate keys are an error."""
    absent = [c for c in manifest.columns if c not in frame.columns]
    if absent:
        raise DatasetError(f"{manifest.name}: frame lacks columns {absent}")
    if "date" not in manifest.columns or manifest.columns["date"] != "date":
        raise DatasetError(f"{manifest.name}: a dataset needs a 'date' column of type date")
    out = frame.loc[:, list(manifest.columns)].copy()
    out["date"] = pd.to_datetime(out["date"]).dt.normalize()
    dup = out.duplicated(subset=manifest.keys)
    if dup.any():
        first = out.loc[dup, manifest.keys].iloc[0].to_dict()
        raise DatasetError(f"{manifest.name}: {int(dup.sum())} rows repeat a key, e.g. {first}")
    return out.sort_values(manifest.keys, kind="stable").reset_index(drop=True)


def _row_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    parts = [pd.to_datetime(frame[c]).dt.strftime("%Y-%m-%d") if c == "date" else frame[c].astype(str)
             for c in columns]
    return pd.Series(list(zip(*parts, strict=True)), index=frame.index, dtype=object)


def merge_rows(old: pd.DataFrame, new: pd.DataFrame, replace_on: list[str]) -> pd.DataFrame:
    """Old rows plus new ones; new rows replace every old row that matches them on ``replace_on``.

    ``["date"]``: a new file for a day replaces that whole day; ``["date", "fund"]``: one fund's day at a
    time, so a fund that failed this time keeps its earlier rows.
    """
    kept = old.loc[~_row_keys(old, replace_on).isin(set(_row_keys(new, replace_on)))]
    return pd.concat([kept, new], ignore_index=True)


def table_revisions(old: pd.DataFrame, new: pd.DataFrame, manifest: DatasetManifest,
                    tolerance: float = REVISION_TOLERANCE) -> list[dict[str, str | float]]:
    """Numbers of ``old`` that ``new`` changes beyond ``tolerance``, matched row by row on the keys."""
    numeric = [c for c, kind in manifest.columns.items() if kind in ("float", "int") and c not in manifest.keys]
    a = old.set_index(_row_keys(old, manifest.keys))
    b = new.set_index(_row_keys(new, manifest.keys))
    common = a.index.intersection(b.index)
    found: list[dict[str, str | float]] = []
    for key in common:
        for column in numeric:
            before, after = a.at[key, column], b.at[key, column]
            before = float(before) if not pd.isna(before) else float("nan")
            after = float(after) if not pd.isna(after) else float("nan")
            if differs(before, after, tolerance):
                found.append({"key": " ".join(key), "column": column, "stored": before, "new": after})
    return found


class DatasetStore(CheckedStore[DatasetManifest]):
    """Typed tables: a ``date`` column, key columns, and the column types in the manifest."""

    manifest_model = DatasetManifest
    error = DatasetError
    what = "dataset"

    def read(self, name: str) -> tuple[pd.DataFrame, DatasetManifest]:
        """Load a dataset and verify its checksum and row count against the manifest."""
        manifest = self.read_manifest(name)
        data = self.verified_bytes(name, manifest.sha256)
        try:
            frame = from_csv_bytes(data, manifest.columns)
        except (ValueError, DatasetError) as exc:
            raise DatasetError(f"{name}: cannot parse {name}.csv: {exc}") from exc
        self.check_rows(name, len(frame), manifest.rows)
        return frame, manifest

    def _readable(self, name: str) -> pd.DataFrame | None:
        """The current rows if the dataset exists and is intact; None if absent or corrupt."""
        if not self.has(name):
            return None
        try:
            return self.read(name)[0]
        except DatasetError:
            return None  # a corrupt file is not 'good' data: it may be replaced

    def write(self, frame: pd.DataFrame, manifest: DatasetManifest) -> DatasetManifest:
        """Atomically write ``frame`` as dataset ``manifest.name``, refusing an empty or shrunk file."""
        name = manifest.name
        if frame.empty:
            raise DatasetError(f"{name}: refusing to write an empty dataset")
        out = _canonical(frame, manifest)
        old = self._readable(name)
        if old is not None:
            self.refuse_shrink(name, len(old), len(out))
        data = to_csv_bytes(out, manifest.columns)
        manifest = manifest.model_copy(update={
            "rows": len(out),
            "first_date": out["date"].min().strftime("%Y-%m-%d"),
            "as_of": out["date"].max().strftime("%Y-%m-%d"),
            "sha256": sha256_bytes(data),
            "retrievals": sorted({*manifest.retrievals, manifest.retrieved_at}),
        })
        self.commit(name, data, manifest)
        return manifest

    def merge(self, frame: pd.DataFrame, manifest: DatasetManifest,
              replace_on: list[str] | None = None) -> tuple[DatasetManifest, MergeReport]:
        """Merge new rows into the stored dataset, write it, and report what was added and revised.

        New rows replace the stored rows they match on ``replace_on`` (see :func:`merge_rows`); every
        stored number they change beyond :data:`REVISION_TOLERANCE` is reported and kept in the manifest.
        """
        name = manifest.name
        if frame.empty:
            raise DatasetError(f"{name}: refusing to write an empty dataset")
        report = MergeReport(name, revision_policy="took the newer values, recorded in the manifest")
        new = _canonical(frame, manifest)
        old = self._readable(name)
        if old is None:
            merged = new
            fresh = new
        else:
            merged = merge_rows(old, new, replace_on or ["date"])
            report.revisions = table_revisions(old, new, manifest)
            earlier = self.read_manifest(name).retrievals
            manifest = manifest.model_copy(update={"retrievals": [*earlier, *manifest.retrievals]})
            fresh = new.loc[~_row_keys(new, manifest.keys).isin(set(_row_keys(old, manifest.keys)))]
        report.added = len(fresh)
        if len(fresh):
            report.first_added = fresh["date"].min().strftime("%Y-%m-%d")
            report.last_added = fresh["date"].max().strftime("%Y-%m-%d")
        written = self.write(merged, manifest.model_copy(update={"revisions": report.revisions}))
        return written, report

    def update(self, frame: pd.DataFrame, manifest: DatasetManifest,
               replace_on: list[str] | None = None) -> DatasetManifest:
        """:meth:`merge`, returning only the written manifest."""
        return self.merge(frame, manifest, replace_on)[0]


def load_datasets(root: Path) -> dict[str, pd.DataFrame]:
    """Every dataset stored under ``root``, checksums verified (an empty dict when there is none).

    A corrupt dataset raises :class:`DatasetError`: it is never silently dropped.
    """
    store = DatasetStore(root)
    return {name: store.read(name)[0] for name in store.names()}


def load_manifests(root: Path) -> dict[str, DatasetManifest]:
    """The manifest of every dataset under ``root`` (for the provenance shown next to each claim)."""
    store = DatasetStore(root)
    return {name: store.read_manifest(name) for name in store.names()}
