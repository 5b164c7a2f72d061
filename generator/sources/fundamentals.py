"""Market cap and quarterly net income of each index constituent, from Yahoo Finance via yfinance.

About 2,000 tickers, one or two requests each, so the run is built to survive: bounded parallel batches,
a JSON file per ticker under ``.cache/fundamentals/`` written as soon as it arrives (an interrupted run
resumes where it stopped without asking for cached tickers again), a progress line per batch, and
per-ticker failures recorded rather than fatal. Their share is part of the result's error statement.

What yfinance returns, and what is kept:
- ``Ticker.info``: a dict; ``marketCap`` (USD for U.S. listings), ``sharesOutstanding``, ``currency``,
  ``financialCurrency`` (the currency of the statements), ``quoteType``;
- ``Ticker.quarterly_income_stmt``: a DataFrame whose rows are line items ("Net Income", "Total Revenue",
  ...) and whose columns are quarter-end dates, newest first, often with NaN in the oldest column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from generator.paths import CACHE_DIR
from generator.progress import Progress
from generator.snapshot.store import atomic_write
from generator.sources.base import FetchError
from generator.sources.net import one_line

SOURCE = "Yahoo Finance"
PUBLISHER = "Yahoo Finance via yfinance"
CACHE_ROOT = CACHE_DIR / "fundamentals"
NET_INCOME_ROWS = ("Net Income", "Net Income Common Stockholders")

Record = dict[str, Any]
FetchFn = Callable[[str], Record]
"""Fetch one ticker's record (see :func:`record_from_yahoo`); raise on failure."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def quarters_from_income(income: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Quarter-end date and net income from a ``quarterly_income_stmt`` frame, oldest first."""
    if income is None or income.empty:
        return []
    row = next((name for name in NET_INCOME_ROWS if name in income.index), None)
    if row is None:
        return []
    values = income.loc[row]
    out = []
    for period in sorted(values.index, key=pd.Timestamp):
        out.append({"period_end": pd.Timestamp(period).strftime("%Y-%m-%d"),
                    "net_income": _number(values[period])})
    return out


def record_from_yahoo(symbol: str, info: Mapping[str, Any], income: pd.DataFrame | None) -> Record:
    """The part of yfinance's answers this project keeps, as a JSON-able record."""
    return {
        "symbol": symbol,
        "market_cap": _number(info.get("marketCap")),
        "shares_outstanding": _number(info.get("sharesOutstanding")),
        "currency": str(info.get("currency") or ""),
        "financial_currency": str(info.get("financialCurrency") or ""),
        "quote_type": str(info.get("quoteType") or ""),
        "quarters": quarters_from_income(income),
    }


def yahoo_fetcher(session: Any = None, ticker_factory: Callable[[str], Any] | None = None) -> FetchFn:
    """A :data:`FetchFn` over yfinance; ``ticker_factory`` (symbol -> object with ``info`` and
    ``quarterly_income_stmt``) replaces yfinance in tests.

    Run it inside :func:`generator.sources.yahoo.yfinance_raises` (entered once, around the whole run:
    the switch is global), or yfinance turns failures into empty answers.
    """
    if ticker_factory is None:
        import yfinance as yf

        from generator.sources.net import CappedTimeoutSession

        shared = session if session is not None else CappedTimeoutSession(max_timeout=20.0)

        def ticker_factory(symbol: str) -> Any:
            return yf.Ticker(symbol, session=shared)

    def fetch(symbol: str) -> Record:
        ticker = ticker_factory(symbol)
        info = ticker.info or {}
        if not info.get("quoteType") and info.get("marketCap") is None:
            raise FetchError(symbol, SOURCE, "empty quote (unknown or delisted symbol)")
        return record_from_yahoo(symbol, info, ticker.quarterly_income_stmt)

    return fetch


class FundamentalsCache:
    """One JSON file per ticker; a record older than ``max_age`` counts as absent."""

    def __init__(self, root: Path = CACHE_ROOT, max_age: timedelta = timedelta(days=3),
                 now: Callable[[], datetime] = _utcnow) -> None:
        self.root = Path(root)
        self.max_age = max_age
        self.now = now

    def path(self, symbol: str) -> Path:
        return self.root / f"{re.sub(r'[^A-Za-z0-9._-]', '_', symbol)}.json"

    def get(self, symbol: str) -> Record | None:
        path = self.path(symbol)
        if not path.exists():
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            fetched = datetime.fromisoformat(record["retrieved_at"])
        except (ValueError, KeyError, TypeError):
            return None  # a half-written or foreign file is refetched
        if record.get("symbol") != symbol or self.now() - fetched > self.max_age:
            return None
        return record

    def put(self, record: Record) -> None:
        atomic_write(self.path(record["symbol"]), (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))


@dataclass
class FundamentalsRun:
    """What one run produced: a record per ticker that worked, an error per ticker that did not."""

    symbols: list[str]
    records: dict[str, Record] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    fetched: int = 0
    from_cache: int = 0

    @property
    def failure_share(self) -> float:
        return len(self.failures) / len(self.symbols) if self.symbols else 0.0

    def error_statement(self) -> str:
        return (f"{len(self.failures)} of {len(self.symbols)} tickers ({self.failure_share:.1%}) could not be "
                f"fetched from {SOURCE}; figures are computed over the other {len(self.records)}.")


def _attempt(symbol: str, fetch: FetchFn, cache: FundamentalsCache) -> tuple[str, Record | None, str]:
    """Fetch one ticker and cache it at once. Per-ticker errors are returned; an interrupt propagates."""
    try:
        record = dict(fetch(symbol))
    except Exception as exc:  # one ticker's failure is data about the run, not the end of it
        return symbol, None, one_line(exc)
    record["symbol"] = symbol
    record["retrieved_at"] = cache.now().isoformat()
    cache.put(record)
    return symbol, record, ""


def fetch_fundamentals(
    symbols: Sequence[str], fetch: FetchFn, cache: FundamentalsCache | None = None,
    log: Callable[[str], None] = print, batch_size: int = 50, max_workers: int = 4,
) -> FundamentalsRun:
    """Fetch every ticker not already cached, ``batch_size`` at a time over ``max_workers`` threads.

    Raises :class:`FetchError` if every ticker of the first batch fails (the source is down or blocking),
    instead of grinding through thousands of timeouts.
    """
    cache = cache or FundamentalsCache()
    unique = list(dict.fromkeys(s for s in symbols if s))
    run = FundamentalsRun(unique)
    todo = []
    for symbol in unique:
        cached = cache.get(symbol)
        if cached is None:
            todo.append(symbol)
        else:
            run.records[symbol] = cached
            run.from_cache += 1
    log(f"fundamentals: {len(unique)} tickers, {run.from_cache} cached, {len(todo)} to fetch")
    with ThreadPoolExecutor(max_workers=max_workers) as pool, Progress(len(todo), "fundamentals", log,
                                                                      unit="ticker") as bar:
        for start in range(0, len(todo), batch_size):
            batch = todo[start:start + batch_size]
            try:
                results = list(pool.map(lambda s: _attempt(s, fetch, cache), batch))
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            for symbol, record, error in results:
                if record is None:
                    run.failures[symbol] = error
                else:
                    run.records[symbol] = record
                    run.fetched += 1
            if start == 0 and all(record is None for _s, record, _e in results):
                raise FetchError("fundamentals", SOURCE, f"every ticker of the first batch failed, e.g. "
                                 f"{results[0][0]}: {results[0][2]}")
            bar.advance(len(batch), f"fundamentals: {min(start + batch_size, len(todo))}/{len(todo)} fetched "
                        f"({len(run.failures)} failed so far)")
    return run


def fundamentals_frames(run: FundamentalsRun, day: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two datasets of a run, dated ``day`` (the day the run finished: every row was known by then).

    - per ticker: market_cap, shares_outstanding, currency, status ('ok' or 'failed: <why>');
    - per ticker and quarter: period_end, net_income.
    """
    rows, quarters = [], []
    for symbol in sorted(run.symbols):
        record = run.records.get(symbol)
        if record is None:
            rows.append({"date": day, "symbol": symbol, "market_cap": np.nan, "shares_outstanding": np.nan,
                         "currency": "", "financial_currency": "", "status": f"failed: {run.failures[symbol]}"})
            continue
        rows.append({"date": day, "symbol": symbol,
                     "market_cap": np.nan if record["market_cap"] is None else record["market_cap"],
                     "shares_outstanding": (np.nan if record["shares_outstanding"] is None
                                            else record["shares_outstanding"]),
                     "currency": record["currency"], "financial_currency": record["financial_currency"],
                     "status": "ok"})
        for quarter in record["quarters"]:
            value = quarter["net_income"]
            quarters.append({"date": day, "symbol": symbol, "period_end": quarter["period_end"],
                             "net_income": np.nan if value is None else value})
    columns = ["date", "symbol", "period_end", "net_income"]
    return pd.DataFrame(rows), pd.DataFrame(quarters, columns=columns)
