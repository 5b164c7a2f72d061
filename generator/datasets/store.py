"""Read and write live datasets: typed manifest, checksum verified on read, atomic writes that never shrink.

A dataset is one table with a ``date`` column (what day its rows describe: a holdings file's "as of" day,
a retrieval day, a trading day), so :meth:`generator.market.MarketData.cut` can hide rows dated after an
evaluation date. ``data/datasets/<name>.csv`` holds the rows, ``<name>.manifest.json`` says where they came
from and what their checksum is.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from generator.paths import DATA_DIR
from generator.snapshot.store import atomic_write, sha256_bytes

ColumnType = Literal["date", "str", "float", "int"]

DATASETS_DIR = DATA_DIR / "datasets"

# The datasets the claims read (names are also the file stems under data/datasets/).
IWM_HOLDINGS = "iwm-holdings"
R2K_FUNDAMENTALS = "r2k-fundamentals"
R2K_NET_INCOME = "r2k-net-income"
BTC_ETF_SHARES = "btc-etf-shares"
SMALLCAP_ETF_SHARES = "smallcap-etf-shares"


class DatasetError(Exception):
    """A dataset file is corrupt or unreadable, or a write would lose data."""


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


def merge_rows(old: pd.DataFrame, new: pd.DataFrame, replace_on: list[str]) -> pd.DataFrame:
    """Old rows plus new ones; new rows replace every old row that matches them on ``replace_on``.

    ``["date"]``: a new file for a day replaces that whole day; ``["date", "fund"]``: one fund's day at a
    time, so a fund that failed this time keeps its earlier rows.
    """
    def key(frame: pd.DataFrame) -> pd.Series:
        parts = [pd.to_datetime(frame[c]).dt.strftime("%Y-%m-%d") if c == "date" else frame[c].astype(str)
                 for c in replace_on]
        return pd.Series(list(zip(*parts, strict=True)), index=frame.index, dtype=object)

    kept = old.loc[~key(old).isin(set(key(new)))]
    return pd.concat([kept, new], ignore_index=True)


class DatasetStore:
    """A folder of ``<name>.csv`` + ``<name>.manifest.json`` pairs."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def csv_path(self, name: str) -> Path:
        return self.root / f"{name}.csv"

    def manifest_path(self, name: str) -> Path:
        return self.root / f"{name}.manifest.json"

    def names(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name.removesuffix(".manifest.json") for p in self.root.glob("*.manifest.json"))

    def has(self, name: str) -> bool:
        return self.csv_path(name).exists() and self.manifest_path(name).exists()

    def read_manifest(self, name: str) -> DatasetManifest:
        path = self.manifest_path(name)
        if not path.exists():
            raise DatasetError(f"{name}: no manifest at {path}")
        return DatasetManifest.model_validate_json(path.read_text(encoding="utf-8"))

    def read(self, name: str) -> tuple[pd.DataFrame, DatasetManifest]:
        """Load a dataset and verify its checksum and row count against the manifest."""
        manifest = self.read_manifest(name)
        path = self.csv_path(name)
        if not path.exists():
            raise DatasetError(f"{name}: manifest present but {path.name} is missing")
        data = path.read_bytes()
        digest = sha256_bytes(data)
        if digest != manifest.sha256:
            raise DatasetError(
                f"{name}: checksum mismatch for {path.name} (manifest {manifest.sha256[:12]}, file "
                f"{digest[:12]}); the file was changed outside the dataset tools"
            )
        try:
            frame = from_csv_bytes(data, manifest.columns)
        except (ValueError, DatasetError) as exc:
            raise DatasetError(f"{name}: cannot parse {path.name}: {exc}") from exc
        if len(frame) != manifest.rows:
            raise DatasetError(f"{name}: {len(frame)} rows on disk, manifest says {manifest.rows}")
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
        if old is not None and len(out) < len(old):
            raise DatasetError(f"{name}: refusing to shrink the dataset from {len(old)} to {len(out)} rows")
        data = to_csv_bytes(out, manifest.columns)
        retrievals = sorted({*manifest.retrievals, manifest.retrieved_at})
        manifest = manifest.model_copy(update={
            "rows": len(out),
            "first_date": out["date"].min().strftime("%Y-%m-%d"),
            "as_of": out["date"].max().strftime("%Y-%m-%d"),
            "sha256": sha256_bytes(data),
            "retrievals": retrievals,
        })
        atomic_write(self.csv_path(name), data)
        atomic_write(self.manifest_path(name), (manifest.model_dump_json(indent=2) + "\n").encode("utf-8"))
        return manifest

    def update(self, frame: pd.DataFrame, manifest: DatasetManifest,
               replace_on: list[str] | None = None) -> DatasetManifest:
        """Merge new rows into the stored dataset and write it (see :func:`merge_rows`; default: by date)."""
        if frame.empty:
            raise DatasetError(f"{manifest.name}: refusing to write an empty dataset")
        old = self._readable(manifest.name)
        if old is None:
            return self.write(frame, manifest)
        earlier = self.read_manifest(manifest.name).retrievals
        merged = merge_rows(old, _canonical(frame, manifest), replace_on or ["date"])
        return self.write(merged, manifest.model_copy(update={"retrievals": [*earlier, *manifest.retrievals]}))


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
