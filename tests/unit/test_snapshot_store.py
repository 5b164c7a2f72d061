"""The snapshot store: checksums on read, atomic writes, merges that report revisions, no shrinking."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.catalog import spec
from generator.snapshot.manifest import Manifest, Origin
from generator.snapshot.store import SnapshotError, SnapshotStore, merge_frames

RUT = spec("rut")


def frame(days: list[str], closes: list[float]) -> pd.DataFrame:
    idx = pd.DatetimeIndex(pd.to_datetime(days), name="date")
    return pd.DataFrame({"open": closes, "high": [c * 1.01 for c in closes], "low": [c * 0.99 for c in closes],
                         "close": closes, "volume": [1e9] * len(closes)}, index=idx)


def manifest() -> Manifest:
    origin = Origin(role="rows", publisher="test", location="memory", retrieved_at="2026-01-01T00:00:00Z")
    return Manifest(series="rut", name="Russell 2000 index", upstream_id="^RUT", source="test",
                    upstream_url="https://example.invalid", unit="points", columns=[], retrieved_at="2026-01-01T00:00:00Z",
                    first_date="", last_date="", rows=0, sha256="", method="import", origins=[origin])


@pytest.fixture
def store(tmp_path) -> SnapshotStore:
    s = SnapshotStore(tmp_path)
    s.write(RUT, frame(["2026-01-02", "2026-01-05", "2026-01-06"], [2500.0, 2510.5, 2499.25]), manifest())
    return s


def test_write_then_read_round_trips_values_and_fills_the_manifest(store):
    data, m = store.read(RUT)
    assert list(data["close"]) == [2500.0, 2510.5, 2499.25]
    assert (m.rows, m.first_date, m.last_date) == (3, "2026-01-02", "2026-01-06")
    assert m.columns == ["open", "high", "low", "close", "volume"]


def test_a_file_edited_behind_the_stores_back_fails_its_checksum(store):
    path = store.csv_path("rut")
    path.write_text(path.read_text().replace("2510.5", "2610.5"))
    with pytest.raises(SnapshotError, match="rut: checksum mismatch"):
        store.read(RUT)


def test_writing_fewer_rows_than_the_snapshot_has_is_refused_and_loses_nothing(store):
    before = store.csv_path("rut").read_bytes(), store.manifest_path("rut").read_bytes()
    with pytest.raises(SnapshotError, match="refusing to shrink"):
        store.write(RUT, frame(["2026-01-02", "2026-01-05"], [2500.0, 2510.5]), manifest())
    assert (store.csv_path("rut").read_bytes(), store.manifest_path("rut").read_bytes()) == before


def test_an_empty_series_is_never_written(store):
    with pytest.raises(SnapshotError, match="empty"):
        store.write(RUT, frame([], []), manifest())


def test_a_failed_write_leaves_the_old_file_and_no_temporary_files(store, monkeypatch):
    before = store.csv_path("rut").read_bytes()

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("generator.store.os.replace", boom)
    with pytest.raises(OSError):
        store.write(RUT, frame(["2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07"],
                               [2500.0, 2510.5, 2499.25, 2520.0]), manifest())
    assert store.csv_path("rut").read_bytes() == before
    assert not list(store.root.glob(".*.tmp"))


def test_merge_appends_new_days_and_reports_a_revised_past_close_without_applying_it(store):
    old, _ = store.read(RUT)
    new = frame(["2026-01-05", "2026-01-06", "2026-01-07"], [2510.5, 2600.0, 2520.0])
    merged, report = merge_frames("rut", old, new, "close", tolerance=0.001)
    assert report.added == 1 and report.last_added == "2026-01-07"
    assert report.revisions == [{"date": "2026-01-06", "snapshot": 2499.25, "upstream": 2600.0, "column": "close"}]
    assert merged.loc["2026-01-06", "close"] == 2499.25  # the old value is kept
    assert merged.loc["2026-01-07", "close"] == 2520.0


def test_a_revision_within_tolerance_is_counted_as_minor(store):
    old, _ = store.read(RUT)
    new = frame(["2026-01-06"], [2499.25 * 1.0005])
    _, report = merge_frames("rut", old, new, "close", tolerance=0.001)
    assert report.revisions == [] and report.minor_revisions == 1


def test_the_committed_snapshot_reads_with_valid_checksums():
    from generator.catalog import CATALOG
    from generator.paths import SNAPSHOT_DIR

    store = SnapshotStore(SNAPSHOT_DIR)
    for s in CATALOG:
        if s.in_snapshot:
            data, m = store.read(s)
            assert len(data) == m.rows > 100
