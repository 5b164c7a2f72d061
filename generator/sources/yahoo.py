"""Daily bars from Yahoo Finance (the v8 chart API, read through yfinance), as snapshot rows.

yfinance 1.x hides most failures: it logs them and returns an empty frame, and it does not retry.
This adapter makes yfinance raise, retries network errors a bounded number of times, and turns every
failure (an exception, an empty answer, a missing column, a non-numeric or missing price) into a
one-line :class:`FetchError`. Rows whose bar had not closed at retrieval time are left out.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from urllib.parse import quote

import pandas as pd
import yfinance as yf
from curl_cffi import requests as curl_requests
from yfinance.exceptions import YFRateLimitError

from generator.catalog import SeriesSpec
from generator.sources.base import Fetched, FetchError
from generator.sources.net import (
    CappedTimeoutSession,
    call_with_retries,
    is_network_error,
    iso_utc,
    one_line,
    probe_once,
    utc_now,
)
from generator.validate import provisional_rows

CHART_URL = "https://query2.finance.yahoo.com/v8/finance/chart/{symbol}"
PROBE_URL = "https://query2.finance.yahoo.com/"
# yfinance's column -> the snapshot's column
YF_COLUMNS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Volume": "volume"}


@contextlib.contextmanager
def yfinance_raises() -> Iterator[None]:
    """Within the block yfinance raises its errors instead of logging them and returning an empty frame.

    Its own deprecation warnings (pandas API it still uses) are silenced: they are not ours to act on.
    """
    debug = yf.config.debug
    before = debug.hide_exceptions
    debug.hide_exceptions = False
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"yfinance(\.|$)")
            yield
    finally:
        debug.hide_exceptions = before


def _worth_retrying(exc: BaseException) -> bool:
    return is_network_error(exc) or isinstance(exc, YFRateLimitError)


class YahooSource:
    """Catalogue series with source ``"yahoo"``: daily OHLCV (or close) in the snapshot's columns.

    Indices and BTC-USD are raw prices (``auto_adjust=False``); series marked ``adjusted`` get Yahoo's
    dividend-adjusted OHLC, exactly as yfinance's ``auto_adjust=True`` computes it (the snapshot's ETF
    rows were collected that way).
    """

    name = "yahoo"

    def __init__(
        self,
        session: curl_requests.Session | None = None,
        *,
        retries: int = 2,
        backoff: float = 2.0,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``session`` must be a curl_cffi ``Session`` (yfinance 1.x accepts nothing else)."""
        self.session = session if session is not None else CappedTimeoutSession(max_timeout=timeout)
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.publisher = f"Yahoo Finance (v8 chart API, read with yfinance {yf.__version__})"
        self._clock = clock
        self._sleep = sleep

    probe_url = PROBE_URL

    def probe(self, timeout: float = 3.0) -> str | None:
        """None if Yahoo's API host answers at all, else why not (one line)."""
        return probe_once(self.session, PROBE_URL, timeout)

    def fetch(self, spec: SeriesSpec, start: date | None = None) -> Fetched:
        """Final daily rows on or after ``start`` (all history if None); :class:`FetchError` on any failure."""
        if spec.source != "yahoo":
            raise FetchError(spec.id, self.name, f"the catalogue says this series comes from {spec.source}")
        retrieved = self._clock()
        try:
            raw = call_with_retries(
                lambda: self._history(spec, start), self.retries, self.backoff, _worth_retrying, self._sleep
            )
        except Exception as exc:
            raise FetchError(spec.id, self.name, f"{spec.upstream_id}: {one_line(exc)}") from exc
        frame = to_snapshot_rows(spec, raw, start)
        frame = frame.drop(index=provisional_rows(frame, spec, retrieved))
        return Fetched(spec.id, frame, chart_location(spec), iso_utc(retrieved), self.publisher)

    def _history(self, spec: SeriesSpec, start: date | None) -> pd.DataFrame:
        ticker = yf.Ticker(spec.upstream_id, session=self.session)
        window = {"start": start.isoformat()} if start is not None else {"period": "max"}
        with yfinance_raises():
            return ticker.history(
                interval="1d", auto_adjust=spec.adjusted, actions=False, timeout=self.timeout, **window
            )


def chart_location(spec: SeriesSpec) -> str:
    """The upstream endpoint the rows came from (for the manifest)."""
    return CHART_URL.format(symbol=quote(spec.upstream_id, safe="")) + "?interval=1d"


def _fail(spec: SeriesSpec, problem: str) -> FetchError:
    return FetchError(spec.id, "yahoo", f"{spec.upstream_id}: {problem}")


def _dates(index: pd.Index) -> pd.DatetimeIndex:
    """Trading dates as tz-naive midnights: the exchange's local date (UTC for crypto)."""
    dates = pd.DatetimeIndex(index)
    if dates.tz is not None:
        dates = dates.tz_localize(None)
    return dates.normalize().rename("date")


def _numeric(spec: SeriesSpec, name: str, values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        day = pd.Timestamp(values.index[bad.to_numpy()][0]).strftime("%Y-%m-%d")
        raise _fail(spec, f"non-numeric {name} value {values[bad].iloc[0]!r} on {day}")
    return numbers.astype("float64")


def to_snapshot_rows(spec: SeriesSpec, raw: object, start: date | None = None) -> pd.DataFrame:
    """yfinance's frame -> the snapshot's columns, checked; :class:`FetchError` if it is not usable."""
    since = f" from {start.isoformat()}" if start is not None else ""
    if not isinstance(raw, pd.DataFrame) or raw.empty:
        raise _fail(spec, f"Yahoo returned no rows{since} (an empty answer is how yfinance reports most failures)")
    wanted = {theirs: ours for theirs, ours in YF_COLUMNS.items() if ours in spec.columns}
    missing = [theirs for theirs in wanted if theirs not in raw.columns]
    if missing:
        raise _fail(spec, f"the answer lacks columns {missing} (has {[str(c) for c in raw.columns]})")
    frame = pd.DataFrame({ours: _numeric(spec, ours, raw[theirs]) for theirs, ours in wanted.items()})
    frame.index = _dates(raw.index)
    prices = [c for c in spec.columns if c != "volume"]
    if frame[prices].isna().all().all():
        raise _fail(spec, f"every price in the {len(frame)} rows{since} is missing")
    gaps = frame.index[frame[prices].isna().any(axis=1).to_numpy()]
    if len(gaps):
        shown = ", ".join(d.strftime("%Y-%m-%d") for d in gaps[:3])
        raise _fail(spec, f"missing prices on {len(gaps)} days ({shown})")
    if frame.index.has_duplicates:
        raise _fail(spec, "the same date appears twice")
    frame = frame.sort_index()
    if start is not None:
        frame = frame.loc[frame.index >= pd.Timestamp(start)]
    return frame
