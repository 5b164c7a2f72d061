"""Live datasets on disk: checksums are verified, writes are atomic, a good file is never shrunk."""

import json

import pandas as pd
import pytest

from generator.datasets.store import (
    DatasetError,
    DatasetManifest,
    DatasetStore,
    load_datasets,
    load_manifests,
)


def manifest(name="fund-shares"):
    return DatasetManifest(
        name=name, description="shares outstanding per fund", source="test", upstream_urls=["https://example.test"],
        retrieved_at="2026-11-20T12:00:00Z", columns={"date": "date", "fund": "str", "shares": "float", "units": "int"},
        keys=["date", "fund"],
    )


def frame(days, funds=("AAA", "BBB")):
    rows = [{"date": d, "fund": f, "shares": 1000.5 * (i + 1), "units": i} for i, d in enumerate(days) for f in funds]
    return pd.DataFrame(rows)


def test_round_trip_keeps_types_and_fills_the_manifest(tmp_path):
    store = DatasetStore(tmp_path)
    written = store.write(frame(["2025-01-03", "2025-01-02"]), manifest())
    assert (written.rows, written.first_date, written.as_of) == (4, "2025-01-02", "2025-01-03")
    back, on_disk = store.read("fund-shares")
    assert on_disk == written
    assert list(back["date"]) == list(pd.to_datetime(["2025-01-02", "2025-01-02", "2025-01-03", "2025-01-03"]))
    assert back["shares"].dtype == "float64" and back["units"].dtype == "Int64"
    assert list(back["fund"]) == ["AAA", "BBB", "AAA", "BBB"]  # sorted by the keys


def test_same_rows_give_the_same_bytes(tmp_path):
    a, b = DatasetStore(tmp_path / "a"), DatasetStore(tmp_path / "b")
    a.write(frame(["2025-01-02", "2025-01-03"]), manifest())
    b.write(frame(["2025-01-02", "2025-01-03"]).iloc[::-1], manifest())
    assert a.csv_path("fund-shares").read_bytes() == b.csv_path("fund-shares").read_bytes()


def test_checksum_mismatch_is_an_error_not_silently_accepted(tmp_path):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02"]), manifest())
    path = store.csv_path("fund-shares")
    path.write_text(path.read_text().replace("1000.5", "9999.5"))
    with pytest.raises(DatasetError, match="checksum mismatch"):
        store.read("fund-shares")
    with pytest.raises(DatasetError, match="checksum mismatch"):
        load_datasets(tmp_path)


def test_refuses_an_empty_or_shrunk_file(tmp_path):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02", "2025-01-03"]), manifest())
    before = store.csv_path("fund-shares").read_bytes()
    with pytest.raises(DatasetError, match="empty"):
        store.write(pd.DataFrame(columns=["date", "fund", "shares", "units"]), manifest())
    with pytest.raises(DatasetError, match="shrink the dataset from 4 to 2"):
        store.write(frame(["2025-01-02"]), manifest())
    assert store.csv_path("fund-shares").read_bytes() == before


def test_a_corrupt_file_may_be_replaced(tmp_path):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02", "2025-01-03"]), manifest())
    store.csv_path("fund-shares").write_text("garbage\n")
    store.write(frame(["2025-01-02"]), manifest())
    assert store.read("fund-shares")[1].rows == 2


def test_update_keeps_earlier_dates_and_replaces_the_dates_it_covers(tmp_path):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02", "2025-01-03"]), manifest())
    fresh = frame(["2025-01-03", "2025-01-06"])
    fresh["shares"] = 7.0
    later = manifest().model_copy(update={"retrieved_at": "2026-11-21T08:00:00Z"})
    written = store.update(fresh, later)
    back, _ = store.read("fund-shares")
    assert written.rows == 6 and written.as_of == "2025-01-06"
    assert back.loc[back["date"] == "2025-01-02", "shares"].tolist() == [1000.5, 1000.5]
    assert back.loc[back["date"] == "2025-01-03", "shares"].tolist() == [7.0, 7.0]
    assert written.retrievals == ["2026-11-20T12:00:00Z", "2026-11-21T08:00:00Z"]


def test_update_by_date_and_fund_keeps_a_fund_missing_from_the_new_rows(tmp_path):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02"]), manifest())
    only_aaa = frame(["2025-01-02", "2025-01-03"], funds=("AAA",)).assign(shares=5.0)
    store.update(only_aaa, manifest(), replace_on=["date", "fund"])
    back, _ = store.read("fund-shares")
    assert back[["fund", "shares"]].values.tolist() == [["AAA", 5.0], ["BBB", 1000.5], ["AAA", 5.0]]


def test_duplicate_keys_are_refused(tmp_path):
    with pytest.raises(DatasetError, match="repeat a key"):
        DatasetStore(tmp_path).write(pd.concat([frame(["2025-01-02"])] * 2), manifest())


def test_write_is_atomic_no_temporary_files_left_and_manifest_is_json(tmp_path):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02"]), manifest())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fund-shares.csv", "fund-shares.manifest.json"]
    assert json.loads(store.manifest_path("fund-shares").read_text())["sha256"]


def test_a_failed_write_leaves_the_old_file_in_place(tmp_path, monkeypatch):
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02"]), manifest())
    before = store.csv_path("fund-shares").read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError):
        store.write(frame(["2025-01-02", "2025-01-03"]), manifest())
    assert store.csv_path("fund-shares").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fund-shares.csv", "fund-shares.manifest.json"]


def test_load_datasets_returns_what_exists(tmp_path):
    assert load_datasets(tmp_path / "nothing-here") == {}
    DatasetStore(tmp_path).write(frame(["2025-01-02"]), manifest())
    loaded = load_datasets(tmp_path)
    assert list(loaded) == ["fund-shares"] and len(loaded["fund-shares"]) == 2
    assert load_manifests(tmp_path)["fund-shares"].rows == 2


def test_a_merge_reports_the_stored_numbers_it_revises_and_keeps_them_in_the_manifest(tmp_path):
    store = DatasetStore(tmp_path)
    stored = frame(["2025-01-02", "2025-01-03"])  # 2025-01-03: shares 2001.0, units 1
    store.write(stored, manifest())
    newer = pd.concat([stored.loc[stored["date"] == "2025-01-03"], frame(["2025-01-06"])], ignore_index=True)
    newer.loc[0, "shares"] = 5000.0
    written, report = store.merge(newer, manifest(), replace_on=["date", "fund"])
    assert report.added == 2 and (report.first_added, report.last_added) == ("2025-01-06", "2025-01-06")
    assert report.revisions == [{"key": "2025-01-03 AAA", "column": "shares", "stored": 2001.0, "new": 5000.0}]
    assert "1 past values differ beyond tolerance (took the newer values" in report.summary()
    assert store.read_manifest("fund-shares").revisions == report.revisions == written.revisions


def test_series_and_datasets_share_one_store_and_one_error_family(tmp_path):
    from generator.store import CheckedStore, SnapshotError, SnapshotStore, StoreError

    assert issubclass(DatasetStore, CheckedStore) and issubclass(SnapshotStore, CheckedStore)
    assert issubclass(DatasetError, StoreError) and issubclass(SnapshotError, StoreError)
    store = DatasetStore(tmp_path)
    store.write(frame(["2025-01-02"]), manifest())
    store.manifest_path("fund-shares").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="fund-shares: unreadable manifest fund-shares.manifest.json"):
        store.read("fund-shares")
