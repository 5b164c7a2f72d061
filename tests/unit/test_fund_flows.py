"""ETF shares outstanding and closes from canned Yahoo answers: validation, alignment, issuer counts."""

import importlib.util
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from generator.sources.base import FetchError
from generator.sources.fund_flows import (
    YahooFunds,
    clean_shares,
    closes_from_history,
    fetch_funds,
    fund_frame,
    issuer_counts,
)
from generator.sources.ishares import ISharesClient

FIXTURES = Path(__file__).parents[1] / "fixtures"


def load_canned():
    spec = importlib.util.spec_from_file_location("canned", FIXTURES / "canned.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


canned = load_canned()
yahoo = YahooFunds(ticker_factory=canned.CannedTicker)


def rows(frame, day):
    return frame.loc[frame["date"] == pd.Timestamp(day)].iloc[0]


def test_same_day_counts_keep_the_last_and_say_they_disagreed():
    shares, issues = clean_shares(canned.CannedTicker("IWM").get_shares_full(start="2024-12-01"), "IWM")
    assert shares[pd.Timestamp("2025-06-30")] == 311_250_000
    assert shares.index.is_unique
    assert issues == ["IWM: 1 days with disagreeing counts (2025-06-30); kept the last of each"]


def test_non_positive_counts_are_dropped_and_reported():
    shares, issues = clean_shares(canned.CannedTicker("IJR").get_shares_full(start="2024-12-01"), "IJR")
    assert pd.Timestamp("2025-06-30") not in shares.index
    assert issues == ["IJR: dropped 1 missing or non-positive share counts"]


def test_a_count_on_a_non_trading_day_moves_to_the_trading_day_before_and_jumps_are_flagged():
    frame, issues = yahoo.fetch("BTC", date(2024, 7, 1))
    launch = rows(frame, "2024-07-31")
    assert launch["shares_outstanding"] == 48_000_000      # reported for 2024-08-01, a day with no close here
    assert rows(frame, "2024-12-31")["flag"] == "jump>20%"  # 48m -> 104m: kept, flagged for a human
    assert any("jumps above 20% flagged as suspect (2024-12-31)" in i for i in issues)


def test_rows_are_trading_days_with_the_close_as_traded_and_the_count_seen_that_day():
    frame, _ = yahoo.fetch("VB", date(2024, 12, 1))
    assert list(frame.columns) == ["date", "fund", "close", "shares_outstanding", "split", "shares_source", "flag"]
    assert rows(frame, "2024-12-31")["close"] == 240.1
    assert pd.isna(rows(frame, "2025-03-31")["shares_outstanding"])   # VB has no count that day
    assert set(frame["shares_source"]) == {"yahoo", ""}


def test_closes_are_unadjusted_for_splits():
    history = pd.DataFrame({"Close": [50.0, 51.0], "Stock Splits": [0.0, 2.0]},
                           index=pd.DatetimeIndex(["2025-03-03", "2025-03-04"], tz="America/New_York"))
    closes = closes_from_history(history)
    assert closes["close"].tolist() == [100.0, 51.0]          # yfinance halved the pre-split close
    assert closes["split"].tolist() == [1.0, 2.0]


def test_issuer_counts_replace_yahoo_and_differences_are_reported():
    class OneFile:
        def get(self, url, **kwargs):
            class Response:
                status_code = 200
                content = (FIXTURES / "ishares" / "IWM_holdings.csv").read_bytes()
            return Response()

    counts, problems = issuer_counts(ISharesClient(OneFile()), "IWM", [date(2026, 1, 23)])
    assert counts == {pd.Timestamp("2026-01-22"): 318_950_000.0} and problems == []
    closes = closes_from_history(canned.CannedTicker("IWM").history(start="2024-12-01", auto_adjust=False))
    yahoo_counts, _ = clean_shares(canned.CannedTicker("IWM").get_shares_full(start="2024-12-01"), "IWM")
    issuer = {pd.Timestamp("2025-12-31"): 290_000_000.0}
    frame, issues = fund_frame("IWM", closes, yahoo_counts, issuer)
    assert rows(frame, "2025-12-31")["shares_outstanding"] == 290_000_000
    assert rows(frame, "2025-12-31")["shares_source"] == "issuer"
    assert "IWM 2025-12-31: issuer count 290,000,000 vs Yahoo 296,300,000 (+2.2%); the issuer's is used" in issues


def test_non_ishares_funds_have_no_issuer_count():
    assert issuer_counts(ISharesClient(object()), "VB", [date(2026, 1, 23)]) == ({}, [])


def test_a_fund_yahoo_does_not_know_is_a_recorded_failure():
    with pytest.raises(FetchError, match="no price history"):
        yahoo.fetch("SLY", date(2024, 12, 1))
    result = fetch_funds(["IWM", "SLY"], date(2024, 12, 1), yahoo, log=lambda m: None)
    assert set(result.frame["fund"]) == {"IWM"}
    assert result.failures == {"SLY": "no price history (unknown, delisted or merged fund)"}


def test_without_a_count_history_today_s_count_is_used_and_said():
    class OnlyToday(canned.CannedTicker):
        def get_shares_full(self, start=None, end=None):
            return None

        @property
        def info(self):
            return {"quoteType": "ETF", "sharesOutstanding": 270_500_000}

    frame, issues = YahooFunds(ticker_factory=OnlyToday).fetch("VB", date(2024, 12, 1))
    counted = frame.dropna(subset=["shares_outstanding"])
    assert counted["date"].tolist() == [pd.Timestamp("2026-03-02")]
    assert counted["shares_source"].tolist() == ["yahoo-current"]
    assert issues == ["VB: no share-count history; only today's count (no flows can be estimated)"]
