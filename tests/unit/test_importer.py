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
    assert manifest.last_date == heliar.index[-1].strftime("%Y-%m-%d")
    assert any(e["date"] == "2025-09-08" for e in manifest.excluded)
    assert result.manifest.origins[0].location.startswith("https://github.com/alitalbi/storage_data_fy/blob/")


def test_btc_import_leaves_out_the_last_bar_written_before_the_utc_day_ended(shared_raw, tmp_path):
    store = SnapshotStore(tmp_path)
    import_series(plan("btc-usd"), shared_raw, store, "2026-11-25T00:00:00Z", log=lambda _m: None)
    data, manifest = store.read(spec("btc-usd"))
    raw = pd.read_csv(shared_raw / "guydekowski-market-lab" / "BTC_USD.csv", parse_dates=["date"])
    assert data.index[-1] == raw["date"].iloc[-2]
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
