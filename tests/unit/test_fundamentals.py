"""Constituents' fundamentals: what is kept from yfinance's answers, and a run that survives interruption.

``tests/fixtures/yahoo/fundamentals/<SYMBOL>.json`` holds canned yfinance answers: ``info`` (a subset of
the real dict's keys) and ``quarterly_income_stmt`` in pandas' split layout (rows = line items, columns =
quarter ends, newest first, NaN where Yahoo has no value); ``tests/fixtures/canned.py`` replays
them as a stand-in for ``yfinance.Ticker``.
"""

import importlib.util
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from generator.sources.base import FetchError
from generator.sources.fundamentals import (
    FundamentalsCache,
    fetch_fundamentals,
    fundamentals_frames,
    record_from_yahoo,
    yahoo_fetcher,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "yahoo" / "fundamentals"
NOW = datetime(2026, 2, 20, 22, 0, tzinfo=UTC)


def load_canned():
    spec = importlib.util.spec_from_file_location("canned", FIXTURES.parents[1] / "canned.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FakeTicker = load_canned().CannedTicker


class CountingFetch:
    """Wraps the yfinance fetcher over fake tickers; counts calls and can interrupt at one ticker."""

    def __init__(self, interrupt_at=None):
        self.calls, self.interrupt_at = [], interrupt_at
        self.inner = yahoo_fetcher(ticker_factory=FakeTicker)

    def __call__(self, symbol):
        self.calls.append(symbol)
        if symbol == self.interrupt_at:
            raise KeyboardInterrupt(f"interrupted at {symbol}")
        return self.inner(symbol)


def cache(tmp_path, now=NOW):
    return FundamentalsCache(tmp_path / "fundamentals", max_age=timedelta(days=3), now=lambda: now)


SYMBOLS = [f"T{i:03d}" for i in range(30)]


def many_fetch(interrupt_at=None):
    """A fetcher for 30 made-up tickers, each returning AAA's canned answer under its own symbol."""
    counting = CountingFetch(interrupt_at)
    inner = counting.inner
    counting.inner = lambda symbol: {**inner("AAA"), "symbol": symbol}
    return counting


def test_record_keeps_market_cap_and_net_income_per_quarter_oldest_first():
    ticker = FakeTicker("AAA")
    record = record_from_yahoo("AAA", ticker.info, ticker.quarterly_income_stmt)
    assert record["market_cap"] == 6_100_000_000
    assert [q["period_end"] for q in record["quarters"]] == [
        "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]
    assert record["quarters"][0]["net_income"] is None  # NaN in the oldest column
    assert record["quarters"][-1]["net_income"] == 52e6


def test_an_unknown_symbol_is_a_per_ticker_failure_not_the_end_of_the_run(tmp_path):
    run = fetch_fundamentals(["AAA", "GGG", "BBB"], CountingFetch(), cache(tmp_path), log=lambda m: None)
    assert sorted(run.records) == ["AAA", "BBB"]
    assert "empty quote" in run.failures["GGG"]
    assert run.failure_share == pytest.approx(1 / 3)
    assert run.error_statement().startswith("1 of 3 tickers (33.3%) could not be fetched")


def test_interrupted_run_resumes_without_refetching_cached_tickers(tmp_path):
    first = many_fetch(interrupt_at=SYMBOLS[16])  # the 17th ticker, in the fourth batch of five
    with pytest.raises(KeyboardInterrupt):
        fetch_fundamentals(SYMBOLS, first, cache(tmp_path), log=lambda m: None, batch_size=5, max_workers=2)
    cached = {s for s in SYMBOLS if cache(tmp_path).get(s) is not None}
    assert set(SYMBOLS[:15]) <= cached          # the three batches before the interrupted one are on disk
    assert SYMBOLS[-1] not in cached            # later batches were never started

    second = many_fetch()
    run = fetch_fundamentals(SYMBOLS, second, cache(tmp_path), log=lambda m: None, batch_size=5, max_workers=2)
    assert sorted(second.calls) == sorted(set(SYMBOLS) - cached)   # nothing cached is asked for again
    assert run.from_cache == len(cached) and run.fetched == len(SYMBOLS) - len(cached)
    assert sorted(run.records) == SYMBOLS and not run.failures


def test_progress_is_reported_every_batch(tmp_path):
    lines = []
    fetch_fundamentals(SYMBOLS[:12], many_fetch(), cache(tmp_path), log=lines.append, batch_size=5)
    assert lines == ["fundamentals: 12 tickers, 0 cached, 12 to fetch",
                     "fundamentals: 5/12 fetched (0 failed so far)",
                     "fundamentals: 10/12 fetched (0 failed so far)",
                     "fundamentals: 12/12 fetched (0 failed so far)"]


def test_stale_cache_entries_are_fetched_again(tmp_path):
    fetch_fundamentals(["AAA"], CountingFetch(), cache(tmp_path), log=lambda m: None)
    later = CountingFetch()
    fetch_fundamentals(["AAA"], later, cache(tmp_path, NOW + timedelta(days=4)), log=lambda m: None)
    assert later.calls == ["AAA"]


def test_a_source_that_fails_for_a_whole_first_batch_stops_the_run(tmp_path):
    def down(symbol):
        raise ConnectionError("network unreachable")

    with pytest.raises(FetchError, match="every ticker of the first batch failed"):
        fetch_fundamentals(SYMBOLS, down, cache(tmp_path), log=lambda m: None, batch_size=5)


def test_frames_have_one_row_per_ticker_and_one_per_quarter(tmp_path):
    run = fetch_fundamentals(["AAA", "GGG"], CountingFetch(), cache(tmp_path), log=lambda m: None)
    tickers, quarters = fundamentals_frames(run, date(2026, 2, 20))
    assert list(tickers["symbol"]) == ["AAA", "GGG"]
    assert list(tickers["status"]) == ["ok", "failed: " + run.failures["GGG"]]
    assert (quarters["symbol"] == "AAA").sum() == 5
    assert set(tickers["date"]) == set(quarters["date"]) == {date(2026, 2, 20)}
