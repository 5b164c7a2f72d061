"""The fetch stage on a tiny temporary store (a frozen fixture: ten rows of rut and dgs2 up to 2026-08-21,
in tests/fixtures/series, so a refresh of data/ never changes these tests), with fake sources: what it adds, what it reports, and what it never touches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from generator.catalog import spec
from generator.fetch import (
    OVERLAP_DAYS,
    chain_link,
    describe_changes,
    latest_final_day,
    read_manifests,
    refresh_snapshot,
    snapshot_date,
)
from generator.snapshot.store import SnapshotStore
from generator.sources.base import Fetched, FetchError

RUT, DGS2, PSCT = spec("rut"), spec("dgs2"), spec("psct")
FIXTURE_STORE = Path(__file__).resolve().parents[1] / "fixtures" / "series"
NOW = datetime(2026, 8, 26, 12, 0, tzinfo=UTC)  # Wednesday: the rut bars of Mon 24 and Tue 25 are final
STAMP = "2026-08-26T12:00:00Z"


class FakeSource:
    """Returns the rows it was given for a series (or raises); records probes and fetches."""

    def __init__(self, name: str, rows: dict[str, pd.DataFrame] | None = None, error: str | None = None,
                 unreachable: str | None = None):
        self.name = name
        self.rows = rows or {}
        self.error = error
        self.unreachable = unreachable
        self.fetches: list[tuple[str, date | None]] = []
        self.probes = 0

    def probe(self, timeout: float = 3.0) -> str | None:
        self.probes += 1
        return self.unreachable

    def fetch(self, spec, start=None) -> Fetched:
        self.fetches.append((spec.id, start))
        if self.error:
            raise FetchError(spec.id, self.name, self.error)
        return Fetched(spec.id, self.rows[spec.id], f"https://example.test/{spec.upstream_id}", STAMP, "Fake upstream")


class Untouchable:
    """A source that fails the test if the stage uses it at all."""

    name = "untouchable"

    def probe(self, timeout: float = 3.0):
        raise AssertionError("probed")

    def fetch(self, spec, start=None):
        raise AssertionError("fetched")


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    """A temporary copy of the frozen fixture store (tests/fixtures/series: 10 rows each of rut, ending
    2026-08-21, and dgs2, ending 2026-08-20, with their manifests): a refresh of data/ never moves them."""
    committed, tiny = SnapshotStore(FIXTURE_STORE), SnapshotStore(tmp_path / "series")
    for series, end in ((RUT, "2026-08-21"), (DGS2, "2026-08-20")):
        frame, manifest = committed.read(series)
        tiny.write(series, frame.loc[:end].tail(10), manifest)
    return tiny


def snapshot_bytes(store: SnapshotStore) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(store.root.iterdir())}


def rut_rows(store: SnapshotStore, days: list[str], moves: list[float]) -> pd.DataFrame:
    """Bars that continue the snapshot's last rut close by the given relative moves."""
    last = store.read(RUT)[0].iloc[-1]
    closes = [last["close"] * m for m in moves]
    return pd.DataFrame(
        {"open": closes, "high": [c * 1.004 for c in closes], "low": [c * 0.996 for c in closes],
         "close": closes, "volume": [4.0e9] * len(closes)},
        index=pd.DatetimeIndex(pd.to_datetime(days), name="date"),
    )


def test_new_rows_are_merged_and_the_fetch_is_recorded_in_the_manifest(store):
    old, before = store.read(RUT)
    new = rut_rows(store, ["2026-08-24", "2026-08-25"], [1.01, 1.015])
    yahoo = FakeSource("yahoo", {"rut": new})

    (outcome,) = refresh_snapshot(store, [RUT], {"yahoo": yahoo}, log=lambda _m: None, now=NOW)

    # the snapshot ends 2026-08-21; the fetch re-asks for OVERLAP_DAYS already stored, to catch revisions
    assert yahoo.fetches == [("rut", date(2026, 8, 22) - timedelta(days=OVERLAP_DAYS))]
    assert (outcome.status, outcome.rows_added, outcome.last_date) == ("ok", 2, "2026-08-25")
    assert outcome.message == "rut: 2 new rows (2026-08-24 .. 2026-08-25)"
    frame, after = store.read(RUT)  # checksum verified on read
    pd.testing.assert_frame_equal(frame, pd.concat([old, new]), check_freq=False)
    assert after.origins[:-1] == before.origins
    added = after.origins[-1]
    assert (added.role, added.rows_used, added.first_date, added.last_date) == ("rows", 2, "2026-08-24", "2026-08-25")
    assert added.retrieved_at == after.retrieved_at == STAMP
    assert after.method == "import+fetch"


def test_a_revision_beyond_tolerance_is_reported_and_not_applied(store):
    old, _ = store.read(RUT)
    last_day = old.index[-1]
    revised = rut_rows(store, [last_day.strftime("%Y-%m-%d"), "2026-08-24"], [1.02, 1.01])  # 2% off the snapshot
    refresh_snapshot(store, [RUT], {"yahoo": FakeSource("yahoo", {"rut": revised})}, log=lambda _m: None, now=NOW)

    frame, manifest = store.read(RUT)
    assert frame.loc[last_day, "close"] == old.loc[last_day, "close"]  # the old value is kept
    assert frame.loc["2026-08-24", "close"] == revised.loc["2026-08-24", "close"]  # the new day is added
    check = manifest.cross_checks[-1]
    assert (check["common_days"], check["disagreements"]) == (1, 1)


def test_the_revision_is_in_the_outcome_and_the_data_diff(store):
    before = read_manifests(store)
    old, _ = store.read(RUT)
    revised = rut_rows(store, [old.index[-1].strftime("%Y-%m-%d"), "2026-08-24"], [1.02, 1.01])
    (outcome,) = refresh_snapshot(store, [RUT], {"yahoo": FakeSource("yahoo", {"rut": revised})},
                                  log=lambda _m: None, now=NOW)

    assert [r["date"] for r in outcome.revisions] == [old.index[-1].strftime("%Y-%m-%d")]
    assert outcome.message.endswith("1 past values differ beyond tolerance (kept old values)")
    lines = describe_changes(before, read_manifests(store))
    assert lines[0] == f"rut: +1 rows, last date {old.index[-1]:%Y-%m-%d} -> 2026-08-24"
    assert lines[1].startswith("rut: 1 past values differ from https://example.test/^RUT beyond 0.10%")


def test_a_failing_source_leaves_the_files_byte_identical(store):
    files = snapshot_bytes(store)
    failing = FakeSource("yahoo", error="^RUT: ConnectionError: Could not resolve host")
    (outcome,) = refresh_snapshot(store, [RUT], {"yahoo": failing}, log=lambda _m: None, now=NOW)

    assert snapshot_bytes(store) == files
    assert outcome.status == "failed" and outcome.rows_added == 0
    assert "Could not resolve host" in outcome.message and "kept the snapshot (data through 2026-08-21)" in outcome.message


def test_rows_that_fail_validation_are_not_written(store):
    files = snapshot_bytes(store)
    live_bar = rut_rows(store, ["2026-08-24", "2026-08-26"], [1.01, 1.02])  # Aug 26 has not closed at NOW
    (outcome,) = refresh_snapshot(store, [RUT], {"yahoo": FakeSource("yahoo", {"rut": live_bar})},
                                  log=lambda _m: None, now=NOW)

    assert outcome.status == "failed" and "provisional row" in outcome.message
    assert snapshot_bytes(store) == files


def test_offline_tries_nothing_and_says_so_per_source(store):
    files, lines = snapshot_bytes(store), []
    outcomes = refresh_snapshot(store, [RUT, DGS2, PSCT], {"yahoo": Untouchable(), "fred": Untouchable()},
                                offline=True, log=lines.append, now=NOW)

    assert [o.status for o in outcomes] == ["skipped"] * 3
    day = snapshot_date(store)
    assert lines == [f"Yahoo Finance: offline; using the snapshot of {day}",
                     f"FRED (Federal Reserve Bank of St. Louis): offline; using the snapshot of {day}"]
    assert outcomes[2].message == "psct: not fetched (offline); no snapshot file, the series stays absent"
    assert snapshot_bytes(store) == files


def test_an_unreachable_host_is_probed_once_and_nothing_is_fetched(store):
    yahoo = FakeSource("yahoo", unreachable="DNSError: Could not resolve host: query2.finance.yahoo.com")
    lines: list[str] = []
    outcomes = refresh_snapshot(store, [RUT, PSCT], {"yahoo": yahoo}, log=lines.append, now=NOW)

    assert (yahoo.probes, yahoo.fetches) == (1, [])
    assert lines == [f"Yahoo Finance unreachable; using the snapshot of {snapshot_date(store)} "
                     "(DNSError: Could not resolve host: query2.finance.yahoo.com)"]
    assert [o.status for o in outcomes] == ["skipped", "skipped"]


def test_a_live_only_series_is_created_from_its_full_history(store):
    days = pd.bdate_range("2026-08-17", "2026-08-25")
    rows = pd.DataFrame({"open": 40.0, "high": 41.0, "low": 39.5, "close": 40.5, "volume": 1.0e5},
                        index=pd.DatetimeIndex(days, name="date"))
    yahoo = FakeSource("yahoo", {"psct": rows})
    (outcome,) = refresh_snapshot(store, [PSCT], {"yahoo": yahoo}, log=lambda _m: None, now=NOW)

    assert yahoo.fetches == [("psct", None)]  # no snapshot: all history
    assert (outcome.status, outcome.rows_added) == ("ok", len(rows))
    frame, manifest = store.read(PSCT)
    pd.testing.assert_frame_equal(frame, rows, check_freq=False)
    assert manifest.method == "fetch" and [o.role for o in manifest.origins] == ["rows"]
    assert PSCT.note in manifest.notes
    assert describe_changes({}, {"psct": manifest}) == [f"psct: new series, {len(rows)} rows 2026-08-17 .. 2026-08-25"]


def test_an_up_to_date_series_is_not_fetched(store):
    saturday = datetime(2026, 8, 22, 12, 0, tzinfo=UTC)  # rut's last bar (Fri 21) is the latest one
    yahoo = FakeSource("yahoo", {"rut": rut_rows(store, ["2026-08-24"], [1.0])})
    (outcome,) = refresh_snapshot(store, [RUT], {"yahoo": yahoo}, log=lambda _m: None, now=saturday)
    assert yahoo.fetches == []
    assert outcome.message == "rut: up to date (data through 2026-08-21)"


def test_nothing_new_upstream_is_ok_and_writes_nothing(store):
    files = snapshot_bytes(store)
    empty = pd.DataFrame({"value": []}, index=pd.DatetimeIndex([], name="date"))
    (outcome,) = refresh_snapshot(store, [DGS2], {"fred": FakeSource("fred", {"dgs2": empty})},
                                  log=lambda _m: None, now=NOW)
    assert (outcome.status, outcome.rows_added) == ("ok", 0)
    assert "new rows" not in outcome.message  # the build reads "new rows" as "data changed"
    assert snapshot_bytes(store) == files


def test_after_repeated_failures_the_rest_of_a_source_is_skipped(store):
    failing = FakeSource("yahoo", error="HTTP 429")
    outcomes = refresh_snapshot(store, [RUT, PSCT, spec("iwm"), spec("qqq")], {"yahoo": failing},
                                log=lambda _m: None, now=NOW, give_up_after=2)
    assert [o.status for o in outcomes] == ["failed", "failed", "skipped", "skipped"]
    assert [series for series, _ in failing.fetches] == ["rut", "psct"]
    assert outcomes[2].message == "iwm: not fetched (2 yahoo fetches failed in a row); no snapshot file, the series stays absent"


@pytest.mark.parametrize("calendar, now, expected", [
    ("nyse", datetime(2026, 8, 24, 20, 0, tzinfo=UTC), date(2026, 8, 21)),  # Monday 4 pm New York: not yet final
    ("nyse", datetime(2026, 8, 24, 20, 30, tzinfo=UTC), date(2026, 8, 24)),  # after 4:15 pm
    ("crypto", datetime(2026, 8, 24, 23, 59, tzinfo=UTC), date(2026, 8, 23)),  # the UTC day is still running
    ("business", datetime(2026, 8, 24, 12, 0, tzinfo=UTC), date(2026, 8, 21)),  # Friday, over the weekend
])
def test_latest_final_day(calendar, now, expected):
    assert latest_final_day(calendar, now) == expected


def test_adjusted_prices_fetched_later_are_chain_linked_onto_the_snapshot_vintage():
    # upstream re-adjusted history by 0.98 after a dividend; the overlap day anchors the scale
    iwm = spec("iwm")
    days = pd.DatetimeIndex(pd.to_datetime(["2026-08-20", "2026-08-21", "2026-08-24"]), name="date")
    old = pd.DataFrame({"open": [100.0, 101.0], "high": [101.0, 102.0], "low": [99.0, 100.0],
                        "close": [100.0, 101.0], "volume": [1e6, 1e6]}, index=days[:2])
    new = pd.DataFrame({"open": [98.98, 99.96], "high": [99.96, 100.94], "low": [98.0, 98.98],
                        "close": [98.98, 100.94], "volume": [1e6, 2e6]}, index=days[1:])
    linked = chain_link(iwm, old, new)
    assert linked.loc["2026-08-21", "close"] == pytest.approx(101.0)
    # the return from the overlap day to the new day is upstream's, untouched by the rescaling
    assert linked.loc["2026-08-24", "close"] / linked.loc["2026-08-21", "close"] == pytest.approx(100.94 / 98.98)
    assert linked.loc["2026-08-24", "volume"] == 2e6
