"""Datasets derived from public files: parsers, the checks that must hold, and figures derived independently.

Tests that read ../shared skip (saying so) on a clone without it; the synthetic files below need nothing.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from generator.datasets.public import (
    BTC_ETF_ASSETS,
    BTC_ETF_FLOWS,
    BTC_ETF_MONTHLY,
    FARSIDE,
    PublicImportError,
    farside_checks,
    import_btc_etfs,
    parse_artemis_monthly,
    parse_farside,
)
from generator.store import DatasetStore

STAMP = "2026-12-02T00:00:00Z"


def write_rows(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_farside_parser_turns_millions_into_dollars_and_drops_blank_cells(tmp_path):
    path = write_rows(tmp_path / "f.csv", ["date", "IBIT", "GBTC", "Total"],
                      [["2024-01-11", "111.7", "-95.1", "16.6"], ["2024-01-15", "", "", "0.0"],
                       ["2024-01-16", "", "-594.1", "-594.1"]])
    flows, total = parse_farside(path)
    assert flows.to_dict("records") == [
        {"date": pd.Timestamp("2024-01-11"), "fund": "IBIT", "flow_usd": 111_700_000.0},
        {"date": pd.Timestamp("2024-01-11"), "fund": "GBTC", "flow_usd": -95_100_000.0},
        {"date": pd.Timestamp("2024-01-16"), "fund": "GBTC", "flow_usd": -594_100_000.0}]
    checks = farside_checks(flows, total)
    assert checks[0]["disagreements"] == 0
    # 2024-01-15 was Martin Luther King Jr. Day, 2024-01-12 (a Friday) is absent from this file
    assert checks[1]["missing"] == 1 and checks[1]["examples"] == "2024-01-12"


def test_a_total_that_is_not_the_sum_of_the_funds_is_caught(tmp_path):
    path = write_rows(tmp_path / "f.csv", ["date", "IBIT", "GBTC", "Total"],
                      [["2024-01-11", "111.7", "-95.1", "18.6"]])
    assert farside_checks(*parse_farside(path))[0]["disagreements"] == 1


def test_the_import_refuses_a_file_with_a_missing_trading_day(tmp_path):
    raw = tmp_path / "raw"
    write_rows(raw / FARSIDE.folder / FARSIDE.filename, ["date", "IBIT", "Total"],
               [["2024-01-11", "1.0", "1.0"], ["2024-01-16", "2.0", "2.0"]])
    with pytest.raises(PublicImportError, match="trading days missing: 2024-01-12"):
        import_btc_etfs(raw, DatasetStore(tmp_path / "out"), STAMP, log=lambda _m: None)


def test_artemis_monthly_names_the_mini_trust_by_its_ticker(tmp_path):
    path = write_rows(tmp_path / "m.csv", ["date", "IBIT - ETF Flows", "Bitcoin - ETF Flows"],
                      [["2024-08-31", "100", "25"]])
    assert sorted(parse_artemis_monthly(path)["fund"]) == ["BTC", "IBIT"]


@pytest.fixture(scope="module")
def imported(shared_raw, tmp_path_factory):
    store = DatasetStore(tmp_path_factory.mktemp("datasets"))
    import_btc_etfs(shared_raw, store, STAMP, log=lambda _m: None)
    return store


def test_imported_flows_add_up_to_farside_totals_and_agree_with_artemis_by_month(shared_raw, imported):
    flows, manifest = imported.read(BTC_ETF_FLOWS)
    raw = pd.read_csv(shared_raw / FARSIDE.folder / FARSIDE.filename, parse_dates=["date"])
    # derived here: the Total column, in dollars, against the stored funds summed per day
    per_day = flows.groupby("date")["flow_usd"].sum()
    totals = raw.set_index("date")["Total"] * 1e6
    assert per_day.to_numpy() == pytest.approx(totals.loc[per_day.index].to_numpy(), abs=1.0)
    assert totals.loc[totals.index.difference(per_day.index)].abs().max() == 0  # holidays: no flows at all
    assert per_day.loc[:"2024-12-31"].sum() / 1e9 == pytest.approx(35.2, abs=0.05)  # ~$35bn in 2024
    assert per_day.iloc[0] == pytest.approx(655.3e6)
    monthly, _ = imported.read(BTC_ETF_MONTHLY)
    by_month = flows.groupby(flows["date"].dt.to_period("M"))["flow_usd"].sum()
    theirs = monthly.groupby(monthly["date"].dt.to_period("M"))["flow_usd"].sum()
    common = by_month.index.intersection(theirs.index)
    assert len(common) == 27 and (by_month[common] - theirs[common]).abs().max() < 260e6
    assert manifest.method == "import" and "attribution" in manifest.terms
    assert manifest.origins[0].commit == FARSIDE.commit


def test_imported_assets_keep_fund_level_figures_only(imported):
    assets, manifest = imported.read(BTC_ETF_ASSETS)
    assert list(assets.columns) == ["date", "fund", "assets_usd"]
    assert "internal research use" in manifest.terms
    assert set(assets["fund"]) >= {"IBIT", "GBTC", "BTC"}  # 'Bitcoin' renamed to the Mini Trust's ticker


def test_share_class_tickers_match_without_the_dot():
    from generator.datasets.public import match_caps

    holdings = pd.DataFrame({"ticker": ["MOGA", "AAA", "-", "BBB"], "weight": [1.0, 2.0, 0.5, 1.0],
                             "price": [10.0, 20.0, 1.0, 5.0]})
    screener = pd.DataFrame({"ticker": ["MOG.A", "AAA", "ZZZ"], "price": [11.0, 22.0, 3.0],
                             "market_cap": [1e9, 2e9, 3e9], "currency": ["USD"] * 3})
    matched, counts = match_caps(holdings, screener)
    assert counts == {"holding_tickers": 3, "screener_rows": 3, "matched_exact": 1, "matched_share_class": 1,
                      "matched": 2}
    assert sorted(matched["market_cap"]) == [1e9, 2e9]


def test_cap_summary_counts_every_matched_company_once_in_the_brackets():
    from generator.datasets.public import cap_summary

    caps = [50e6, 120e6, 900e6, 1.1e9, 20e9]
    matched = pd.DataFrame({"market_cap": caps, "weight": [1.0] * 5, "price": [1.0] * 5, "held_price": [1.0] * 5})
    figures = dict(cap_summary(matched))
    assert figures["median"] == 900e6 and figures["below 1 billion"] == 3
    assert sum(v for k, v in figures.items() if k.startswith("bracket ")) == 5
    assert figures["bracket 0"] == 1 and figures["bracket 10000000000"] == 1 and figures["price ratio"] == 1.0


def test_iwm_import_keeps_fund_level_figures_and_no_holding_rows(shared_raw, tmp_path):
    from generator.datasets.public import IWM_SHARES, R2K_MARKET_CAPS, import_iwm

    store = DatasetStore(tmp_path)
    import_iwm(shared_raw, store, STAMP, log=lambda _m: None)
    shares, manifest = store.read(IWM_SHARES)
    # the five files' header figures, as PROVENANCE.md lists them
    assert list(shares["shares_outstanding"]) == [303_600_000, 281_300_000, 291_350_000, 280_200_000, 278_750_000]
    assert "non-commercial" in manifest.terms and len(manifest.origins) == 5
    caps, manifest = store.read(R2K_MARKET_CAPS)
    assert set(caps.columns) == {"date", "statistic", "value", "caps_observed"}
    assert len(caps) < 40  # summary figures only, never ~1,900 company rows
    stats = caps.set_index("statistic")["value"]
    screener = pd.read_csv(shared_raw / "crimifrancesco-art-trading-system" / "russell2000.csv")
    assert stats["matched exact"] == len(set(screener["Simbolo"]) & set(
        pd.read_csv(shared_raw / "tommasobellini-crt-flow.com-be" / "IWM_holdings.csv", skiprows=9)["Ticker"]))
    assert 0.98 < stats["price ratio"] < 0.995  # the screener's prices date it about 2026-02-20


def test_etf_flow_import_drops_holiday_blanks_and_compares_ibit_with_farside(shared_raw, tmp_path):
    from generator.datasets.public import SMALLCAP_ETF_FLOWS, import_etf_flows

    store = DatasetStore(tmp_path)
    import_etf_flows(shared_raw, store, STAMP, log=lambda _m: None)
    flows, manifest = store.read(SMALLCAP_ETF_FLOWS)
    assert flows["flow_usd"].notna().all()
    assert pd.Timestamp("2026-01-19") not in set(flows["date"])  # Martin Luther King Jr. Day
    assert any("Farside" in c["summary"] for c in manifest.cross_checks)


def test_cryptoquant_parser_starts_at_the_first_exchange_price(tmp_path):
    from generator.datasets.public import parse_cryptoquant

    path = write_rows(tmp_path / "cq.csv", ["date", "Open", "High", "Low", "Close", "Volume"],
                      [["2010-07-15", "", "", "", "0.000718", "0"], ["2010-07-16", "", "", "", "0.000718", "0"],
                       ["2010-07-17", "", "", "", "0.04951", "0"], ["2010-07-18", "", "", "", "0.08584", "0"]])
    close = parse_cryptoquant(path)
    assert list(close.index.strftime("%Y-%m-%d")) == ["2010-07-17", "2010-07-18"]


def test_the_early_closes_stop_the_day_before_yahoo_and_the_overlap_is_checked(shared_raw, tmp_path):
    from generator.datasets.public import BTC_EARLY, CRYPTOQUANT, import_btc_early
    from generator.paths import SNAPSHOT_DIR
    from generator.store import SnapshotStore

    store = DatasetStore(tmp_path)
    import_btc_early(shared_raw, store, STAMP, log=lambda _m: None)
    early, manifest = store.read(BTC_EARLY)
    from generator.catalog import spec

    yahoo_first = SnapshotStore(SNAPSHOT_DIR).read(spec("btc-usd"))[0].index[0]
    assert early["date"].max() == yahoo_first - pd.Timedelta(days=1)
    raw = pd.read_csv(shared_raw / CRYPTOQUANT.folder / CRYPTOQUANT.filename, parse_dates=["date"],
                      index_col="date")["Close"]
    assert early.set_index("date").at[pd.Timestamp("2012-11-28"), "close"] == pytest.approx(12.35, abs=0.01)
    assert raw.loc[early["date"]].to_numpy() == pytest.approx(early["close"].to_numpy())
    overlap = manifest.cross_checks[0]
    assert overlap["common_days"] > 4000 and overlap["median_difference"] < 0.005
    assert "internal research use" in manifest.terms
