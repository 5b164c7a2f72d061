"""iShares (BlackRock) fund files: the daily holdings CSV of a fund and the fund facts in its preamble.

The file, as iShares publishes it (``...1467271812596.ajax?fileType=csv&fileName=IWM_holdings&dataType=fund``,
optionally ``&asOfDate=YYYYMMDD``), is not a plain CSV:

- a UTF-8 byte-order mark, then about nine preamble lines: the fund name, ``Fund Holdings as of,"Jan 22, 2026"``
  (``"-"`` when there is no file for the requested day), ``Inception Date``, ``Shares Outstanding,"318,950,000.00"``
  and a few asset-mix lines, then a line holding only a non-breaking space;
- the header ``Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,...``;
- one row per position, numbers quoted with thousands separators (``"1,234,567.89"``), ``-`` for none;
  cash, money-market and futures rows sit among the equities (``Asset Class`` tells them apart);
- a blank line and a quoted legal notice as trailer.

The same URL sometimes answers HTTP 200 with the fund's HTML product page instead (a retired or blocked
download link): that is a :class:`FetchError`, never "no holdings".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import numpy as np
import pandas as pd

from generator.sources.base import FetchError
from generator.sources.net import one_line

SOURCE = "iShares"
PUBLISHER = "BlackRock iShares (fund issuer)"
BASE_URL = "https://www.ishares.com/us/products"
AJAX_ID = "1467271812596"

# Product ids of the funds this project reads (checked against the issuer's product-page URLs).
PRODUCTS: dict[str, tuple[str, str]] = {
    "IWM": ("239710", "ishares-russell-2000-etf"),
    "IJR": ("239774", "ishares-core-sp-small-cap-etf"),
    "IWN": ("239712", "ishares-russell-2000-value-etf"),
    "IWO": ("239709", "ishares-russell-2000-growth-etf"),
    "IBIT": ("333011", "ishares-bitcoin-trust-etf"),
}

AS_OF_KEY = "Fund Holdings as of"
SHARES_KEY = "Shares Outstanding"
REQUIRED_COLUMNS = ("Ticker", "Name", "Sector", "Asset Class", "Market Value", "Weight (%)", "Quantity", "Price")
NUMERIC_COLUMNS = {"Market Value": "market_value", "Weight (%)": "weight", "Quantity": "quantity", "Price": "price"}
TEXT_COLUMNS = {"Ticker": "ticker", "Name": "name", "Sector": "sector", "Location": "location",
                "Exchange": "exchange", "Currency": "currency"}
EMPTY = {"", "-", "--", "\xa0"}


class HttpSession(Protocol):
    """What the client needs from an HTTP session (requests and curl_cffi sessions both fit)."""

    def get(self, url: str, **kwargs: Any) -> Any:  # the response has .status_code and .content
        ...


class NoFileForDate(FetchError):
    """The issuer has no holdings file for the requested day (``Fund Holdings as of,"-"``)."""


@dataclass(frozen=True)
class HoldingsFile:
    """One parsed holdings file: the equity positions plus the fund facts of its preamble."""

    fund: str
    as_of: date
    shares_outstanding: float | None
    holdings: pd.DataFrame
    """Equity rows only: ticker, name, sector, market_value, weight, quantity, price, location, exchange,
    currency, symbol (the Yahoo Finance spelling of the ticker, '' when the row has no ticker)."""
    other_rows: dict[str, int] = field(default_factory=dict)
    """Rows left out, counted by their Asset Class (cash, money market, futures...)."""
    url: str = ""


def holdings_url(fund: str, as_of: date | None = None) -> str:
    """The issuer's download link for ``fund``'s holdings (the latest file, or the one for ``as_of``)."""
    if fund not in PRODUCTS:
        raise KeyError(f"no iShares product id known for {fund!r}; known: {', '.join(sorted(PRODUCTS))}")
    product, slug = PRODUCTS[fund]
    url = (f"{BASE_URL}/{product}/{slug}/{AJAX_ID}.ajax?fileType=csv&fileName={fund}_holdings"
           f"&dataType=fund")
    return url + (f"&asOfDate={as_of:%Y%m%d}" if as_of else "")


def parse_number(text: str) -> float:
    """``"1,234.50"`` -> 1234.5; ``-`` or empty -> NaN."""
    cleaned = text.strip().replace(",", "")
    if cleaned in EMPTY:
        return float("nan")
    return float(cleaned)


def yahoo_symbol(ticker: str) -> str:
    """Yahoo Finance spells share classes with a dash: ``BRK.B``, ``MOG/A``, ``LGF A`` -> ``BRK-B``..."""
    cleaned = ticker.strip().upper()
    if cleaned in EMPTY:
        return ""
    for sep in (".", "/", " "):
        cleaned = cleaned.replace(sep, "-")
    return cleaned


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith("<") or "<html" in head or "<!doctype" in head


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _header_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows):
        if row and row[0].strip() == "Ticker":
            return i
    return None


def _preamble(rows: list[list[str]]) -> dict[str, str]:
    return {row[0].strip(): row[1].strip() for row in rows if len(row) >= 2 and row[0].strip()}


def _simple(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _check_fund(rows: list[list[str]], fund: str) -> None:
    """The first line names the fund; it must be the one asked for (its name spells the product's slug)."""
    if fund not in PRODUCTS or not rows or len(rows[0]) != 1:
        return
    name, slug = rows[0][0].strip(), PRODUCTS[fund][1]
    if _simple(name) != _simple(slug):
        raise FetchError(f"{fund} holdings", SOURCE, f"the file is for {name!r}, not {fund}")


def _as_of(facts: dict[str, str], fund: str) -> date:
    value = facts.get(AS_OF_KEY)
    if value is None:
        raise FetchError(f"{fund} holdings", SOURCE, f"no '{AS_OF_KEY}' line: not an iShares holdings file")
    if value in EMPTY:
        raise NoFileForDate(f"{fund} holdings", SOURCE, "the issuer has no holdings file for that date")
    try:
        return datetime.strptime(value, "%b %d, %Y").date()
    except ValueError:
        raise FetchError(f"{fund} holdings", SOURCE, f"unreadable '{AS_OF_KEY}' date {value!r}") from None


def _body(rows: list[list[str]], header: list[str]) -> list[list[str]]:
    """Position rows: everything after the header up to the first blank or short (trailer) row."""
    body = []
    for row in rows:
        if not row or all(cell.strip() in EMPTY for cell in row) or len(row) < len(header):
            break
        body.append(row[: len(header)])
    return body


def parse_holdings_csv(text: str, fund: str, url: str = "") -> HoldingsFile:
    """Parse the text of an iShares holdings download; raise :class:`FetchError` on anything unexpected."""
    text = text.lstrip("\ufeff")
    if _looks_like_html(text):
        raise FetchError(f"{fund} holdings", SOURCE,
                         "the server answered with an HTML page, not the holdings CSV "
                         "(the download link has moved or the request was blocked)")
    rows = _rows(text)
    _check_fund(rows, fund)
    at = _header_index(rows)
    facts = _preamble(rows[: at if at is not None else len(rows)])
    as_of = _as_of(facts, fund)
    if at is None:
        raise FetchError(f"{fund} holdings", SOURCE, "no 'Ticker,Name,...' header line")
    header = [cell.strip() for cell in rows[at]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FetchError(f"{fund} holdings", SOURCE, f"header lacks columns {missing}")
    table = pd.DataFrame(_body(rows[at + 1:], header), columns=header)
    if table.empty:
        raise FetchError(f"{fund} holdings", SOURCE, "the file has a header but no position rows")
    table = table.loc[:, [c for c in header if c]].apply(lambda col: col.str.strip())
    equity = table["Asset Class"] == "Equity"
    other = table.loc[~equity, "Asset Class"].value_counts().sort_index()
    holdings = _holdings_frame(table.loc[equity], fund)
    shares = facts.get(SHARES_KEY)
    return HoldingsFile(fund, as_of, None if shares is None else _fact_number(shares), holdings,
                        {str(k): int(v) for k, v in other.items()}, url)


def _fact_number(value: str) -> float | None:
    number = parse_number(value)
    return None if np.isnan(number) else number


def _holdings_frame(table: pd.DataFrame, fund: str) -> pd.DataFrame:
    if table.empty:
        raise FetchError(f"{fund} holdings", SOURCE, "no rows with Asset Class 'Equity'")
    out = pd.DataFrame(index=range(len(table)))
    for theirs, ours in TEXT_COLUMNS.items():
        out[ours] = table[theirs].to_numpy() if theirs in table.columns else ""
    try:
        for theirs, ours in NUMERIC_COLUMNS.items():
            out[ours] = [parse_number(v) for v in table[theirs]]
    except ValueError as exc:
        raise FetchError(f"{fund} holdings", SOURCE, f"unreadable number: {exc}") from None
    out["symbol"] = [yahoo_symbol(t) for t in out["ticker"]]
    return out


class ISharesClient:
    """Downloads and parses iShares files. ``session`` is injectable (tests pass canned responses)."""

    def __init__(self, session: HttpSession | None = None, timeout: float = 30.0) -> None:
        self._session = session
        self.timeout = timeout

    @property
    def session(self) -> HttpSession:
        if self._session is None:
            from generator.sources.net import CappedTimeoutSession

            self._session = CappedTimeoutSession(max_timeout=self.timeout)
        return self._session

    def download(self, fund: str, as_of: date | None = None) -> tuple[str, str]:
        """The text of a holdings download and its URL."""
        url = holdings_url(fund, as_of)
        try:
            response = self.session.get(url, timeout=self.timeout)
        except Exception as exc:  # network errors of any HTTP library
            raise FetchError(f"{fund} holdings", SOURCE, f"request failed: {one_line(exc)}") from exc
        if response.status_code != 200:
            raise FetchError(f"{fund} holdings", SOURCE, f"HTTP {response.status_code} for {url}")
        return bytes(response.content).decode("utf-8-sig", errors="replace"), url

    def holdings(self, fund: str, as_of: date | None = None) -> HoldingsFile:
        """The latest holdings file (or the one for ``as_of``), parsed."""
        text, url = self.download(fund, as_of)
        parsed = parse_holdings_csv(text, fund, url)
        if as_of is not None and parsed.as_of > as_of:
            raise FetchError(f"{fund} holdings", SOURCE,
                             f"asked for {as_of}, the file is as of {parsed.as_of} (date parameter ignored)")
        return parsed

    def holdings_on_or_before(self, fund: str, day: date, lookback_days: int = 7) -> HoldingsFile:
        """The newest file dated on or before ``day``, walking back over days with no file (weekends)."""
        for back in range(lookback_days + 1):
            try:
                return self.holdings(fund, day - timedelta(days=back))
            except NoFileForDate:
                continue
        raise NoFileForDate(f"{fund} holdings", SOURCE, f"no file in the {lookback_days} days up to {day}")
