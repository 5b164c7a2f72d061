"""Refreshing the live datasets: offline changes nothing; with (canned) upstreams every dataset is written."""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from generator.datasets.refresh import refresh_datasets, unreachable
from generator.datasets.store import DatasetStore, load_datasets, load_manifests

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = datetime(2026, 2, 20, 22, 0, tzinfo=UTC)


def load_canned():
    spec = importlib.util.spec_from_file_location("canned", FIXTURES / "canned.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


canned = load_canned()


def refresh(root, tmp_path, **kwargs):
    lines = []
    options = {"upstreams": canned.canned_upstreams(tmp_path / "cache", NOW), "probe": lambda host: None,
               "now": NOW, "min_constituents": 1, **kwargs}
    returned = refresh_datasets(root, offline=False, log=lines.append, **options)
    return returned, lines


def test_offline_prints_one_line_per_source_and_changes_nothing(tmp_path):
    lines = []
    returned = refresh_datasets(tmp_path / "datasets", offline=True, log=lines.append)
    assert returned == lines and len(lines) == 4
    assert all(line.endswith("offline, not fetched; datasets unchanged") for line in lines)
    assert not (tmp_path / "datasets").exists()


def test_unreachable_hosts_are_probed_once_each_and_nothing_changes(tmp_path):
    probed = []

    def probe(host):
        probed.append(host)
        return "DNSError: could not resolve host"

    returned, logged = refresh(tmp_path / "datasets", tmp_path, probe=probe)
    assert sorted(probed) == ["query2.finance.yahoo.com", "www.ishares.com"]
    # the terminal gets one line per unreachable host, not one per dataset; the data page keeps all four
    assert logged == ["iShares unreachable; no stored copy of its live-only data; the claims that need it say so "
                      "(DNSError: could not resolve host)",
                      "Yahoo Finance unreachable; no stored copy of its live-only data; the claims that need it "
                      "say so (DNSError: could not resolve host)"]
    assert returned[0] == ("iShares IWM holdings: www.ishares.com unreachable (DNSError: could not resolve host); "
                           "not fetched, datasets unchanged")
    assert len(returned) == 4 and all(r.endswith("not fetched, datasets unchanged") for r in returned)
    assert load_datasets(tmp_path / "datasets") == {}


def test_the_real_probe_gives_up_quickly_without_network(monkeypatch):
    """unreachable -> probe -> the capped session, for real; only curl's own request (below them) is replaced."""
    import curl_cffi.requests

    from generator.sources.net import PROBES

    asked = []

    def no_network(self, method, url, *args, **kwargs):
        asked.append((method, url, kwargs.get("timeout")))
        raise ConnectionError("Could not resolve host: www.ishares.com")

    PROBES.clear()  # a host is probed once per run: start this test's run afresh
    monkeypatch.setattr(curl_cffi.requests.Session, "request", no_network)
    try:
        assert unreachable("www.ishares.com", timeout=2.5) == "name lookup failed, likely no network"
    finally:
        PROBES.clear()
    assert asked == [("HEAD", "https://www.ishares.com/", 2.5)]


def test_every_dataset_is_written_from_the_canned_upstreams(tmp_path):
    root = tmp_path / "datasets"
    returned, _ = refresh(root, tmp_path)
    data = load_datasets(root)
    assert sorted(data) == ["btc-etf-shares", "iwm-holdings", "r2k-fundamentals", "r2k-net-income",
                            "smallcap-etf-shares"]
    holdings = data["iwm-holdings"]
    assert set(holdings["date"]) == {pd.Timestamp("2026-01-22")} and len(holdings) == 7
    fundamentals = data["r2k-fundamentals"].set_index("symbol")
    assert set(data["r2k-fundamentals"]["date"]) == {pd.Timestamp("2026-02-20")}   # the run's day
    assert fundamentals.loc["CCC-A", "market_cap"] == 1_200_000_000
    assert fundamentals.loc["GGG", "status"].startswith("failed: FetchError")
    assert set(data["btc-etf-shares"]["fund"]) == {"BTC", "FBTC", "GBTC", "IBIT"}
    assert set(data["smallcap-etf-shares"]["fund"]) == {"IJR", "IWM", "VB"}
    assert returned[0].startswith("iShares IWM holdings: iwm-holdings: 2026-01-22: 7 equity rows")
    assert returned[1] == ("Yahoo Finance fundamentals: r2k-fundamentals: 1 of 7 tickers (14.3%) could not be "
                           "fetched from Yahoo Finance; figures are computed over the other 6.")
    assert returned[3].startswith("Yahoo Finance small-cap ETF shares: smallcap-etf-shares: 3 of 13 funds; failed:")


def test_the_committed_fixture_datasets_are_what_the_refresh_writes(tmp_path):
    """tests/fixtures/datasets (read by the claim tests) = this refresh over the canned upstream answers."""
    root = tmp_path / "datasets"
    refresh(root, tmp_path)
    committed = FIXTURES / "datasets"
    written = sorted(p.name for p in root.iterdir())
    assert written == sorted(p.name for p in committed.iterdir())
    for name in written:
        assert (root / name).read_bytes() == (committed / name).read_bytes(), name


def test_issuer_counts_are_taken_for_ishares_funds(tmp_path):
    root = tmp_path / "datasets"
    refresh(root, tmp_path)
    iwm = load_datasets(root)["smallcap-etf-shares"].query("fund == 'IWM'").set_index("date")
    assert iwm.loc["2026-01-22", "shares_source"] == "issuer"     # "Shares Outstanding" of the holdings file
    assert iwm.loc["2026-01-22", "shares_outstanding"] == 318_950_000
    assert iwm.loc["2025-12-31", "shares_source"] == "yahoo"


def test_manifests_say_where_and_when(tmp_path):
    root = tmp_path / "datasets"
    refresh(root, tmp_path)
    manifest = load_manifests(root)["iwm-holdings"]
    assert manifest.retrieved_at == "2026-02-20T22:00:00Z" and manifest.as_of == "2026-01-22"
    assert manifest.upstream_urls[0].startswith("https://www.ishares.com/us/products/239710/")
    assert manifest.rows == 7 and len(manifest.sha256) == 64


def test_a_failing_source_leaves_its_dataset_as_it_was(tmp_path):
    root = tmp_path / "datasets"
    refresh(root, tmp_path)
    before = DatasetStore(root).csv_path("iwm-holdings").read_bytes()
    html = (FIXTURES / "ishares" / "IWM_holdings_page.html").read_bytes()
    broken = canned.canned_upstreams(tmp_path / "cache", NOW)
    broken.ishares.session.content = html
    returned, _ = refresh(root, tmp_path, upstreams=broken)
    assert returned[0].startswith("iShares IWM holdings: failed: iShares IWM holdings: the server answered "
                                  "with an HTML page")
    assert returned[0].endswith("datasets unchanged")
    assert DatasetStore(root).csv_path("iwm-holdings").read_bytes() == before


def test_a_truncated_holdings_file_is_refused(tmp_path):
    returned, _ = refresh(tmp_path / "datasets", tmp_path, min_constituents=8)
    assert "only 7 equity rows: the file looks truncated" in returned[0]
    assert returned[1].endswith("skipped: no constituent list (the holdings fetch failed)")
