"""The series the claims need: one typed entry per series, with where to fetch it live."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Calendar = Literal["nyse", "crypto", "daily", "business"]
Kind = Literal["ohlcv", "close", "rate"]


@dataclass(frozen=True)
class SeriesSpec:
    """One series of the snapshot: its stable id, what it is, and where it comes from upstream."""

    id: str
    name: str
    kind: Kind
    unit: str
    calendar: Calendar
    source: Literal["yahoo", "fred"]
    upstream_id: str
    adjusted: bool = False
    in_snapshot: bool = True
    note: str = ""

    @property
    def upstream_url(self) -> str:
        if self.source == "fred":
            return f"https://fred.stlouisfed.org/series/{self.upstream_id}"
        from urllib.parse import quote

        return f"https://finance.yahoo.com/quote/{quote(self.upstream_id)}/history"

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind == "ohlcv":
            return ("open", "high", "low", "close", "volume")
        if self.kind == "close":
            return ("close",)
        return ("value",)

    @property
    def price_column(self) -> str:
        return "value" if self.kind == "rate" else "close"


CATALOG: tuple[SeriesSpec, ...] = (
    SeriesSpec("rut", "Russell 2000 index", "ohlcv", "index points", "nyse", "yahoo", "^RUT"),
    SeriesSpec("btc-usd", "Bitcoin in US dollars", "ohlcv", "USD", "crypto", "yahoo", "BTC-USD",
               note="Yahoo's BTC-USD day is the UTC calendar day."),
    SeriesSpec("gspc", "S&P 500 index", "close", "index points", "nyse", "yahoo", "^GSPC"),
    SeriesSpec("ixic", "Nasdaq Composite index", "ohlcv", "index points", "nyse", "yahoo", "^IXIC"),
    SeriesSpec("ndx", "Nasdaq-100 index", "ohlcv", "index points", "nyse", "yahoo", "^NDX"),
    SeriesSpec("iwm", "iShares Russell 2000 ETF (dividend-adjusted)", "ohlcv", "USD", "nyse", "yahoo", "IWM",
               adjusted=True, note="Dividend-adjusted prices: total-return proxy for the Russell 2000."),
    SeriesSpec("spy", "SPDR S&P 500 ETF (dividend-adjusted)", "ohlcv", "USD", "nyse", "yahoo", "SPY",
               adjusted=True),
    SeriesSpec("qqq", "Invesco QQQ, Nasdaq-100 ETF (dividend-adjusted)", "ohlcv", "USD", "nyse", "yahoo", "QQQ",
               adjusted=True),
    SeriesSpec("xlk", "Technology Select Sector SPDR ETF, large-cap tech (dividend-adjusted)", "ohlcv", "USD",
               "nyse", "yahoo", "XLK", adjusted=True),
    SeriesSpec("psct", "Invesco S&P SmallCap Information Technology ETF (dividend-adjusted)", "ohlcv", "USD",
               "nyse", "yahoo", "PSCT", adjusted=True,
               note="From 2022-09-29: the public copy found starts there."),
    SeriesSpec("dgs2", "2-year Treasury constant-maturity yield", "rate", "percent", "business", "fred", "DGS2"),
    SeriesSpec("dff", "Effective federal funds rate", "rate", "percent", "daily", "fred", "DFF"),
)

BY_ID: dict[str, SeriesSpec] = {spec.id: spec for spec in CATALOG}


def spec(series_id: str) -> SeriesSpec:
    """The catalogue entry for ``series_id``; a clear error if there is none."""
    try:
        return BY_ID[series_id]
    except KeyError:
        raise KeyError(f"unknown series {series_id!r}; known: {', '.join(sorted(BY_ID))}") from None
