"""Bad input that used to build (and flip verdicts) now stops the load with one line naming the file/series.

Each test starts from a copy of the committed snapshot and reference files, damages one thing, and checks the
load stage's answer; remove the protection and the test fails.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from generator.catalog import spec
from generator.integrity import (
    IntegrityError,
    reference_problems,
    verify_references,
    write_reference_checksums,
)
from generator.load import load_snapshot
from generator.paths import REFERENCE_DIR, SNAPSHOT_DIR
from generator.snapshot.store import SnapshotError, SnapshotStore
from generator.validate import ValidationError

RUT, IWM = spec("rut"), spec("iwm")


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    shutil.copytree(SNAPSHOT_DIR, tmp_path / "series")
    return SnapshotStore(tmp_path / "series")


@pytest.fixture
def refs(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    return tmp_path / "reference"


def rewrite(store: SnapshotStore, series, change) -> pd.DataFrame:
    """Apply ``change`` to a series' frame and write it back through the store (valid checksum)."""
    frame, manifest = store.read(series)
    frame = change(frame.copy())
    store.write(series, frame, manifest)
    return frame


def load(store: SnapshotStore, refs: Path = REFERENCE_DIR, today: date | None = None):
    return load_snapshot(store, reference_dir=refs, today=today)


def test_the_committed_snapshot_loads(store):
    assert "rut" in load(store).data.frames


# --- future rows (4) ----------------------------------------------------------------------------------------

def test_a_row_dated_after_the_retrieval_time_is_an_error(store):
    frame, manifest = store.read(RUT)
    retrieved = pd.Timestamp(manifest.retrieved_at[:10])
    day = retrieved + pd.offsets.BDay(3)
    store.write(RUT, pd.concat([frame, frame.iloc[[-1]].set_axis(pd.DatetimeIndex([day], name="date"))]), manifest)
    with pytest.raises(ValidationError, match=rf"rut on {day:%Y-%m-%d}: future date: dated after the data was retrieved"):
        load(store, today=(day + pd.Timedelta(days=30)).date())


def test_a_row_dated_after_today_is_an_error(store):
    frame, _ = store.read(RUT)
    today = frame.index[-1].date() - timedelta(days=1)
    with pytest.raises(ValidationError, match=r"rut on .*: future date: dated after today"):
        load(store, today=today)


def test_future_rows_in_every_core_series_give_one_line_not_a_key_error(store):
    for series in (spec("rut"), spec("btc-usd"), spec("gspc"), spec("ixic")):
        frame, manifest = store.read(series)
        day = pd.Timestamp("2027-06-01")
        store.write(series, pd.concat([frame, frame.iloc[[-1]].set_axis(pd.DatetimeIndex([day], name="date"))]),
                    manifest)
    with pytest.raises(ValidationError) as info:
        load(store)
    assert "2027-06-01: future date" in str(info.value) and not str(info.value).startswith("error:")


# --- bad rows that flip verdicts (5) -----------------------------------------------------------------------

def test_a_friday_bar_relabelled_as_saturday_is_an_error(store):
    frame, _ = store.read(RUT)
    friday = frame.index[(frame.index.day_of_week == 4) & (frame.index.year == 2025)][-1]
    saturday = friday + pd.Timedelta(days=1)
    rewrite(store, RUT, lambda f: f.rename(index={friday: saturday}))
    with pytest.raises(ValidationError, match=rf"rut on {saturday:%Y-%m-%d}: calendar extras"):
        load(store)


def test_high_below_low_is_an_error(store):
    frame, _ = store.read(RUT)
    day = frame.index[-30]

    def swap(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[day, ["high", "low"]] = f.loc[day, ["low", "high"]].to_numpy()
        return f
    rewrite(store, RUT, swap)
    with pytest.raises(ValidationError, match=rf"rut on {day:%Y-%m-%d}: OHLC consistency"):
        load(store)


def scale_from(day: pd.Timestamp, factor: float):
    def change(f: pd.DataFrame) -> pd.DataFrame:
        cols = [c for c in ("open", "high", "low", "close") if c in f.columns]
        f.loc[f.index >= day, cols] *= factor
        return f
    return change


def test_an_unconfirmed_86_percent_move_fails_the_load(store):
    frame, _ = store.read(RUT)
    day = frame.index[-40]
    rewrite(store, RUT, scale_from(day, 1.86))
    with pytest.raises(ValidationError, match=rf"rut on {day:%Y-%m-%d}: one-day jump: .*no second source confirms it"):
        load(store)


def test_a_move_its_sibling_series_shares_is_confirmed_and_shown_as_a_warning(store):
    frame, _ = store.read(RUT)
    day = frame.index[-40]
    rewrite(store, RUT, scale_from(day, 1.86))
    rewrite(store, IWM, scale_from(day, 1.80))  # the ETF that tracks it moved the same way
    report = load(store).reports["rut"]
    (jump,) = [w for w in report.warnings if w.check == "one-day jump" and w.date == f"{day:%Y-%m-%d}"]
    assert "confirmed by iShares Russell 2000 ETF" in jump.message


def test_a_move_listed_with_a_public_source_is_confirmed_only_at_the_stated_size(store, refs):
    frame, _ = store.read(spec("btc-usd"))
    day = frame.index[-40]
    rewrite(store, spec("btc-usd"), scale_from(day, 0.5))
    with pytest.raises(ValidationError, match="no second source confirms it"):
        load(store, refs)
    doc = json.loads((refs / "confirmed_moves.json").read_text(encoding="utf-8"))
    doc["moves"].append({"series": "btc-usd", "date": f"{day:%Y-%m-%d}", "change_pct": -50.0,
                         "source": "https://example.org/crash", "publisher": "Example"})
    (refs / "confirmed_moves.json").write_text(json.dumps(doc), encoding="utf-8")
    assert "confirmed by Example" in str(load(store, refs).reports["btc-usd"].warnings)
    doc["moves"][-1]["change_pct"] = -20.0  # the source states another size: not a confirmation
    (refs / "confirmed_moves.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError, match="no second source confirms it"):
        load(store, refs)


# --- missing series (7) ------------------------------------------------------------------------------------

def test_a_deleted_committed_series_is_an_error_naming_the_file(store):
    store.csv_path("xlk").unlink()
    with pytest.raises(SnapshotError, match=r"the snapshot lacks xlk \(.*\): data/series/xlk.csv is missing"):
        load(store)


def test_a_live_only_series_may_be_absent(store, monkeypatch):
    import dataclasses

    import generator.load

    live_only = tuple(dataclasses.replace(s, in_snapshot=False) if s.id == "xlk" else s for s in generator.load.CATALOG)
    monkeypatch.setattr(generator.load, "CATALOG", live_only)
    store.csv_path("xlk").unlink()
    store.manifest_path("xlk").unlink()
    assert load(store).absent == ["xlk"]


# --- messages (9) ------------------------------------------------------------------------------------------

def test_a_malformed_manifest_names_the_file(store):
    path = store.manifest_path("gspc")
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"gspc: unreadable manifest gspc.manifest.json: file: Invalid JSON"):
        load(store)


def test_a_manifest_with_a_wrong_field_names_the_file_and_field(store):
    path = store.manifest_path("gspc")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["rows"] = "many"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"gspc: unreadable manifest gspc.manifest.json: rows: "):
        load(store)


def test_a_malformed_reference_file_names_the_file(refs):
    (refs / "bitcoin_protocol.json").write_text("{ not json", encoding="utf-8")
    write_reference_checksums(refs)
    with pytest.raises(IntegrityError, match=r"bitcoin_protocol.json: not valid JSON \(line 1"):
        verify_references(refs)


# --- integrity (10) ----------------------------------------------------------------------------------------

def test_manifest_dates_and_rows_are_checked_against_the_csv(store):
    path = store.manifest_path("rut")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["last_date"] = "2030-01-01"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(IntegrityError, match=r"rut.manifest.json: manifest says the last date is 2030-01-01"):
        load(store)
    doc["last_date"], doc["first_date"] = json.loads(
        (SNAPSHOT_DIR / "rut.manifest.json").read_text(encoding="utf-8"))["last_date"], "1900-01-01"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(IntegrityError, match=r"first date is 1900-01-01"):
        load(store)


def test_the_committed_reference_files_match_their_checksums():
    assert reference_problems(REFERENCE_DIR) == []


def test_moving_a_halving_date_is_caught_by_the_reference_checksum(refs):
    path = refs / "bitcoin_protocol.json"
    text = path.read_text(encoding="utf-8")
    assert '"date": "2024-04-20"' in text
    path.write_text(text.replace('"date": "2024-04-20"', '"date": "2024-05-09"'), encoding="utf-8")  # +19 days
    with pytest.raises(IntegrityError, match=r"data/reference/bitcoin_protocol.json: checksum mismatch"):
        verify_references(refs)


def test_an_unlisted_reference_file_is_caught(refs):
    (refs / "extra.json").write_text("{}", encoding="utf-8")
    assert reference_problems(refs) == ["data/reference/extra.json is not in SHA256SUMS (a new file must be "
                                        "reviewed and listed)"]


def test_git_keeps_data_bytes_exact():
    """A clone with core.autocrlf=true must not rewrite line endings of checksummed files."""
    import subprocess

    from generator.paths import REPO_ROOT
    for path in ("data/series/rut.csv", "data/reference/bitcoin_protocol.json", "data/reference/SHA256SUMS"):
        out = subprocess.run(["git", "check-attr", "text", path], cwd=REPO_ROOT, capture_output=True, text=True)
        assert out.stdout.strip().endswith("text: unset"), out.stdout
