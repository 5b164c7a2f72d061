"""Daily observations from FRED (St. Louis Fed): the public CSV download, or the JSON API with a key.

The CSV (``fredgraph.csv?id=DGS2``) needs no key: header ``observation_date,DGS2``, one row per date,
``.`` or an empty cell where there is no observation (a holiday). With ``FRED_API_KEY`` set, the
official API (``fred/series/observations``) is used instead. Either way the whole answer is checked
(HTTP status, an HTML page instead of data, the header, empty or non-numeric values) and any problem
becomes a one-line :class:`FetchError`. Days without an observation are simply absent, as in FRED.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import urlencode

import pandas as pd

from generator.catalog import SeriesSpec
from generator.sources.base import Fetched, FetchError
from generator.sources.net import (
    CappedTimeoutSession,
    HttpSession,
    call_with_retries,
    is_network_error,
    iso_utc,
    one_line,
    probe_once,
    utc_now,
)

CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_URL = "https://api.stlouisfed.org/fred/series/observations"
CSV_DATE_HEADERS = ("observation_date", "DATE")  # current header, and the one FRED used before 2024
MISSING = {".", ""}


class HttpStatusError(Exception):
    """The server answered with an error status."""

    def __init__(self, status: int, snippet: str) -> None:
        self.status = status
        super().__init__(f"HTTP {status}" + (f": {snippet}" if snippet else ""))


def _worth_retrying(exc: BaseException) -> bool:
    if isinstance(exc, HttpStatusError):
        return exc.status >= 500 or exc.status == 429
    return is_network_error(exc)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:300].lower()
    return head.startswith("<") or "<html" in head or "<!doctype" in head


def _html_title(text: str) -> str:
    lower = text.lower()
    start, end = lower.find("<title>"), lower.find("</title>")
    if 0 <= start < end:
        return " ".join(text[start + 7:end].split())[:80]
    return ""


class FredSource:
    """Catalogue series with source ``"fred"``, as a ``value`` column indexed by ``date``."""

    name = "fred"

    def __init__(
        self,
        session: HttpSession | None = None,
        *,
        api_key: str | None = None,
        retries: int = 2,
        backoff: float = 2.0,
        timeout: float = 20.0,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``api_key`` defaults to the ``FRED_API_KEY`` environment variable; without one ("" forces that)
        the public CSV is used."""
        self.session: HttpSession = session if session is not None else CappedTimeoutSession(max_timeout=timeout)
        self.api_key = (api_key if api_key is not None else os.environ.get("FRED_API_KEY")) or None
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self._clock = clock
        self._sleep = sleep

    @property
    def publisher(self) -> str:
        via = "FRED API" if self.api_key else "FRED CSV download"
        return f"Federal Reserve Bank of St. Louis, FRED ({via})"

    @property
    def probe_url(self) -> str:
        return "https://api.stlouisfed.org/" if self.api_key else "https://fred.stlouisfed.org/"

    def probe(self, timeout: float = 3.0) -> str | None:
        """None if the FRED host this source uses answers at all, else why not (one line)."""
        return probe_once(self.session, self.probe_url, timeout)

    def fetch(self, spec: SeriesSpec, start: date | None = None) -> Fetched:
        """Observations on or after ``start`` (all if None); :class:`FetchError` on any failure.

        The whole series is downloaded and checked, so an answer with no observation after ``start``
        (FRED publishes a day or more late) is a valid, empty result, not a failure.
        """
        if spec.source != "fred":
            raise FetchError(spec.id, self.name, f"the catalogue says this series comes from {spec.source}")
        retrieved = self._clock()
        url, location = self._urls(spec)
        try:
            text = call_with_retries(lambda: self._get(url), self.retries, self.backoff, _worth_retrying, self._sleep)
        except Exception as exc:
            raise FetchError(spec.id, self.name, f"{spec.upstream_id}: {one_line(exc)}") from exc
        frame = parse_api_json(spec, text) if self.api_key else parse_csv(spec, text)
        if start is not None:
            frame = frame.loc[frame.index >= pd.Timestamp(start)]
        return Fetched(spec.id, frame, location, iso_utc(retrieved), self.publisher)

    def _urls(self, spec: SeriesSpec) -> tuple[str, str]:
        """The URL to request, and the same without the API key (for manifests and messages)."""
        if not self.api_key:
            url = f"{CSV_URL}?{urlencode({'id': spec.upstream_id})}"
            return url, url
        query = {"series_id": spec.upstream_id, "file_type": "json"}
        public = f"{API_URL}?{urlencode(query)}"
        return f"{API_URL}?{urlencode({**query, 'api_key': self.api_key})}", public

    def _get(self, url: str) -> str:
        response = self.session.get(url, timeout=self.timeout)
        text = response.text or ""
        if response.status_code >= 400:
            raise HttpStatusError(response.status_code, _error_snippet(text))
        return text


def _error_snippet(text: str) -> str:
    """A short, readable reason from an error body: the API's message, a page title, or the first line."""
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if isinstance(payload, dict) and payload.get("error_message"):
        return str(payload["error_message"])[:120]
    if _looks_like_html(text):
        return _html_title(text)
    lines = text.strip().splitlines()
    return lines[0][:120] if lines else ""


def _fail(spec: SeriesSpec, problem: str) -> FetchError:
    return FetchError(spec.id, "fred", f"{spec.upstream_id}: {problem}")


def to_frame(spec: SeriesSpec, dates: list[str], values: list[str]) -> pd.DataFrame:
    """FRED's date and value strings -> a ``value`` column (missing observations left out), checked."""
    if not dates:
        raise _fail(spec, "the answer has no observations")
    raw = pd.Series([str(v).strip() for v in values], index=dates)
    present = raw[~raw.isin(MISSING)]
    if present.empty:
        raise _fail(spec, f"all {len(raw)} observations are missing ('.')")
    numbers = pd.to_numeric(present, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        raise _fail(spec, f"non-numeric value {present[bad].iloc[0]!r} on {present.index[bad.to_numpy()][0]}")
    try:
        index = pd.DatetimeIndex(pd.to_datetime(present.index, format="%Y-%m-%d"), name="date")
    except (ValueError, TypeError) as exc:
        raise _fail(spec, f"unreadable date: {one_line(exc)}") from exc
    frame = pd.DataFrame({"value": numbers.to_numpy(dtype="float64")}, index=index)
    if frame.index.has_duplicates:
        raise _fail(spec, "the same date appears twice")
    return frame.sort_index()


def parse_csv(spec: SeriesSpec, text: str) -> pd.DataFrame:
    """The CSV download -> rows; :class:`FetchError` for HTML, a wrong header, or no data."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise _fail(spec, "empty answer")
    if _looks_like_html(text):
        title = _html_title(text)
        raise _fail(spec, "got an HTML page instead of CSV" + (f" ({title!r})" if title else ""))
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise _fail(spec, f"unreadable CSV: {one_line(exc)}") from exc
    header = [str(c).strip() for c in table.columns]
    if len(header) != 2 or header[0] not in CSV_DATE_HEADERS or header[1] != spec.upstream_id:
        raise _fail(spec, f"unexpected CSV header {','.join(header)!r} (expected 'observation_date,{spec.upstream_id}')")
    return to_frame(spec, table.iloc[:, 0].tolist(), table.iloc[:, 1].tolist())


def parse_api_json(spec: SeriesSpec, text: str) -> pd.DataFrame:
    """The API's JSON -> rows; :class:`FetchError` for an error message, HTML, or no data."""
    if _looks_like_html(text):
        raise _fail(spec, "got an HTML page instead of JSON")
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise _fail(spec, f"unreadable JSON: {one_line(exc)}") from exc
    if not isinstance(payload, dict) or "observations" not in payload:
        message = payload.get("error_message") if isinstance(payload, dict) else None
        raise _fail(spec, f"FRED API error: {message}" if message else "the answer has no 'observations'")
    rows = payload["observations"]
    try:
        dates = [row["date"] for row in rows]
        values = [row["value"] for row in rows]
    except (KeyError, TypeError) as exc:
        raise _fail(spec, f"an observation lacks {exc}") from exc
    return to_frame(spec, dates, values)
