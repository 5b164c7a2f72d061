"""The importer drops provisional rows, prefers final ones from another collector, and cross-checks."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from generator.catalog import spec
from generator.snapshot.collectors import PLANS
from generator.snapshot.importer import import_series, load_raw
from generator.snapshot.store import SnapshotStore


def plan(series_id):
    return next(p for p in PLANS if p.series == series_id)


def test_zero_volume_rows_of_the_intraday_collector_are_provisional(shared_raw):
    loaded = load_raw(shared_raw, plan("rut").contributors[0], spec("rut"))
    raw = pd.read_csv(shared_raw / "alitalbi-storage_data_fy" / "^RUT.csv", parse_dates=["Date"])
    zero = set(raw.loc[raw["Volume"] == 0, "Date"])
    assert zero <= set(loaded.provisional)
    assert pd.Timestamp("2025-09-08") in loaded.provisional


def test_rut_import_replaces_the_provisional_close_with_the_final_one(shared_raw, tmp_path):
    store = SnapshotStore(tmp_path)
    result = import_series(plan("rut"), shared_raw, store, "2026-11-25T00:00:00Z", log=lambda _m: None)
    data, manifest = store.read(spec("rut"))
    heliar = pd.read_csv(shared_raw / "heliar-k-market-base" / "RUT.csv", parse_dates=["date"], index_col="date")
    # 2025-09-08: the intraday collector wrote 2393.69 before the close; the final close is heliar-k's
    assert data.loc["2025-09-08", "close"] == pytest.approx(heliar.loc["2025-09-08", "close"])
    october = pd.read_csv(shared_raw / "heliar-k-market-base-2026-10" / "RUT.csv", parse_dates=["date"])
    assert manifest.last_date == october["date"].iloc[-1].strftime("%Y-%m-%d") == "2026-10-09"
    assert any(e["date"] == "2025-09-08" for e in manifest.excluded)
    assert result.manifest.origins[0].location.startswith("https://github.com/alitalbi/storage_data_fy/blob/")


def test_btc_import_leaves_out_the_last_bar_written_before_the_utc_day_ended(shared_raw, tmp_path):
    store = SnapshotStore(tmp_path)
    import_series(plan("btc-usd"), shared_raw, store, "2026-11-25T00:00:00Z", log=lambda _m: None)
    data, manifest = store.read(spec("btc-usd"))
    seedflora = pd.read_csv(shared_raw / "SeedFlora-idx-daily-data" / "BTC-USD.csv", parse_dates=["Date"])
    assert data.index[-1] == seedflora["Date"].iloc[-2]  # its last row was written during the day
    checks = {c["against"].split(":")[0]: c for c in manifest.cross_checks}
    assert checks["culolom/culolom-backtest"]["disagreements"] == 0
    assert checks["culolom/culolom-backtest"]["common_days"] > 4000


def test_the_committed_manifests_name_their_upstream_commits():
    from generator.paths import SNAPSHOT_DIR

    for path in SNAPSHOT_DIR.glob("*.manifest.json"):
        doc = json.loads(path.read_text())
        assert doc["origins"], path.name
        for origin in doc["origins"]:
            assert origin["commit"] and len(origin["commit"]) == 40, path.name
            assert origin["raw_sha256"] and len(origin["raw_sha256"]) == 64


def test_the_october_tails_extend_the_indexes_and_agree_with_the_older_files_where_they_overlap(shared_raw, tmp_path):
    store = SnapshotStore(tmp_path)
    for series in ("rut", "gspc", "ixic"):
        import_series(plan(series), shared_raw, store, "2026-12-02T00:00:00Z", log=lambda _m: None)
    data, manifest = store.read(spec("rut"))
    older = pd.read_csv(shared_raw / "heliar-k-market-base" / "RUT.csv", parse_dates=["date"], index_col="date")
    newer = pd.read_csv(shared_raw / "heliar-k-market-base-2026-10" / "RUT.csv", parse_dates=["date"],
                        index_col="date")
    common = older.index.intersection(newer.index)
    assert len(common) > 40 and (older.loc[common, "close"] == newer.loc[common, "close"]).all()
    october = [c for c in manifest.cross_checks if c["common_days"] == len(common)]
    assert october and october[0]["disagreements"] == 0
    after = newer.index[newer.index > older.index[-1]]
    assert (data.loc[after, "close"] == newer.loc[after, "close"]).all()
    for series in ("gspc", "ixic"):
        assert store.read(spec(series))[1].last_date == "2026-10-09"


def test_bitcoin_after_august_comes_from_daily_closes_never_from_the_time_of_run_table(shared_raw, tmp_path):
    store = SnapshotStore(tmp_path)
    import_series(plan("btc-usd"), shared_raw, store, "2026-12-02T00:00:00Z", log=lambda _m: None)
    data, manifest = store.read(spec("btc-usd"))
    seedflora = pd.read_csv(shared_raw / "SeedFlora-idx-daily-data" / "BTC-USD.csv", parse_dates=["Date"],
                            index_col="Date")
    snapshots = pd.read_csv(shared_raw / "heliar-k-market-base-2026-10" / "asset_prices.csv", parse_dates=["date"],
                            index_col="date")["BTC"].dropna()
    late = data.index[data.index > pd.Timestamp("2026-08-21")]
    assert len(late) >= 10
    assert (data.loc[late, "close"] == seedflora.loc[late, "Close"]).all()
    differ = [d for d in late if d in snapshots.index and snapshots.loc[d] != data.at[d, "close"]]
    assert differ, "the time-of-run table differs from the closes on these days"
    # 2026-08-01..08-13 are missing in SeedFlora's file; the older collector has them, so no day is missing
    assert len(pd.date_range("2026-07-25", data.index[-1]).difference(data.index)) == 0
    assert not any("asset_prices" in o.location for o in manifest.origins)


def test_rates_extend_to_october_with_the_september_rise(shared_raw, tmp_path):
    store = SnapshotStore(tmp_path)
    for series in ("dff", "dgs2"):
        import_series(plan(series), shared_raw, store, "2026-12-02T00:00:00Z", log=lambda _m: None)
    dff, manifest = store.read(spec("dff"))
    raw = pd.read_csv(shared_raw / "heliar-k-market-base-2026-10" / "rates.csv", parse_dates=["date"],
                      index_col="date")
    last = raw["DFF"].dropna().index[-1]
    assert manifest.last_date == last.strftime("%Y-%m-%d")
    assert dff.at[pd.Timestamp("2026-09-17"), "value"] == raw.at[pd.Timestamp("2026-09-17"), "DFF"]
    assert store.read(spec("dgs2"))[1].last_date == raw["DGS2"].dropna().index[-1].strftime("%Y-%m-%d")
    assert all(c["disagreements"] == 0 for c in manifest.cross_checks)
