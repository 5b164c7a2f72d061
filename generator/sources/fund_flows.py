"""Daily shares outstanding and closing prices of named ETFs, the inputs of :mod:`generator.flows`.

Upstreams:
- Yahoo Finance via yfinance: ``Ticker.get_shares_full(start, end)`` returns a Series of share counts
  indexed by tz-aware timestamps (exchange time zone), sorted, sometimes with two different values on
  one day, zeros, or sudden jumps; ``Ticker.history(..., auto_adjust=False, actions=True)`` returns
  daily bars whose ``Close`` is split-adjusted but not dividend-adjusted, with a ``Stock Splits`` column.
  When ``get_shares_full`` has nothing, ``info['sharesOutstanding']`` gives today's count only.
- The issuer, where a source can read it: the iShares holdings file states ``Shares Outstanding`` for
  its "as of" day. Issuer counts replace Yahoo's on the days they exist (``shares_source`` says which).

Validation (reported, never silent): non-positive counts are dropped; several counts on one day keep the
last and say so when they disagree; a day-over-day change above 20% is flagged as suspect (kept: a real
creation wave can do that to a young fund, so a human decides).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from generator.sources.base import FetchError
from generator.sources.ishares import PRODUCTS, ISharesClient, NoFileForDate
from generator.sources.net import one_line

SOURCE = "Yahoo Finance"
PUBLISHER = "Yahoo Finance via yfinance (shares outstanding, closes); BlackRock iShares where stated"
JUMP_LIMIT = 0.20
CONFLICT_LIMIT = 0.005

# The U.S. spot bitcoin ETFs trading since 2024-01-11 (BTC = Grayscale Bitcoin Mini Trust, from 2024-07-31).
BTC_SPOT_ETFS: tuple[str, ...] = (
    "IBIT", "FBTC", "GBTC", "ARKB", "BITB", "HODL", "BRRR", "EZBC", "BTCO", "BTCW", "DEFI", "BTC",
)
# U.S. small-cap equity ETFs: Russell 2000 (IWM, VTWO), S&P 600 (IJR, SPSM, SLY), CRSP small cap (VB),
# Dow Jones U.S. Small-Cap (SCHA), and their value/growth halves (IWN, IWO, VBR, VBK, IJS, IJT).
SMALLCAP_ETFS: tuple[str, ...] = (
    "IWM", "IJR", "VB", "VTWO", "SCHA", "IWN", "IWO", "VBR", "VBK", "IJS", "IJT", "SLY", "SPSM",
)

# Funds whose first shares were not bought with new money: their first count is a baseline, not an inflow.
NOT_NEW_MONEY: dict[str, str] = {
    "GBTC": "converted on 2024-01-11 from the Grayscale Bitcoin Trust, whose shares already existed",
    "BTC": "seeded on 2024-07-31 by a distribution of part of GBTC's bitcoin to GBTC holders "
           "(Grayscale Bitcoin Mini Trust prospectus)",
    "DEFI": "converted in 2024 from the Hashdex Bitcoin Futures ETF, whose shares already existed",
}

COLUMNS = ["date", "fund", "close", "shares_outstanding", "split", "shares_source", "flag"]


def _local_days(index: pd.Index) -> pd.DatetimeIndex:
    """Calendar days in the exchange's time zone (yfinance localises its timestamps to it)."""
    stamps = pd.DatetimeIndex(index)
    if stamps.tz is not None:
        stamps = stamps.tz_localize(None)
    return stamps.normalize()


def clean_shares(raw: pd.Series | None, fund: str) -> tuple[pd.Series, list[str]]:
    """Share counts by day: positive, one per day. Returns the counts and what was changed, in words."""
    if raw is None or len(raw) == 0:
        return pd.Series(dtype=float), []
    issues = []
    counts = pd.Series(pd.to_numeric(raw.to_numpy(), errors="coerce"), index=_local_days(raw.index)).sort_index()
    bad = ~(counts > 0)
    if bad.any():
        issues.append(f"{fund}: dropped {int(bad.sum())} missing or non-positive share counts")
        counts = counts.loc[~bad]
    by_day = counts.groupby(level=0)
    spread = (by_day.max() - by_day.min()) / by_day.max()
    conflicting = spread[spread > CONFLICT_LIMIT]
    if len(conflicting):
        days = ", ".join(d.strftime("%Y-%m-%d") for d in conflicting.index[:5])
        issues.append(f"{fund}: {len(conflicting)} days with disagreeing counts ({days}); kept the last of each")
    return by_day.last().astype(float), issues


def closes_from_history(history: pd.DataFrame) -> pd.DataFrame:
    """date, close (as traded that day: yfinance's split adjustment undone), split (ratio, 1.0 if none)."""
    splits = history["Stock Splits"].fillna(0.0) if "Stock Splits" in history else pd.Series(0.0, history.index)
    ratio = splits.where(splits > 0, 1.0).astype(float).to_numpy()
    # a close before a split was divided by the split ratios that came after it; multiply them back
    later = np.append(np.cumprod(ratio[::-1])[::-1][1:], 1.0)
    return pd.DataFrame({"date": _local_days(history.index), "close": history["Close"].to_numpy(dtype=float) * later,
                         "split": ratio})


def flag_jumps(shares: pd.Series, limit: float = JUMP_LIMIT) -> pd.Series:
    """True where a count differs from the previous one by more than ``limit`` (relative)."""
    change = shares.dropna().pct_change().abs()
    return (change > limit).reindex(shares.index, fill_value=False)


def fund_frame(fund: str, closes: pd.DataFrame, shares: pd.Series,
               issuer: Mapping[pd.Timestamp, float] | None = None,
               source: str = "yahoo") -> tuple[pd.DataFrame, list[str]]:
    """One row per trading day: close, the share count seen that day (NaN if none), its source, flags.

    A count dated on a non-trading day is moved to the last trading day before it. Issuer counts replace
    Yahoo's on the days they exist; where both exist and differ by more than 0.5%, it is reported.
    """
    issues: list[str] = []
    frame = closes.sort_values("date").drop_duplicates("date", keep="last").reset_index(drop=True)
    frame = frame.loc[frame["close"] > 0].reset_index(drop=True)
    days = pd.DatetimeIndex(frame["date"])
    on_day = pd.Series(np.nan, index=days)
    src = pd.Series("", index=days, dtype=object)
    for day, count in shares.items():
        pos = days.searchsorted(day, side="right") - 1
        if pos >= 0:
            on_day.iloc[pos], src.iloc[pos] = count, source
    for day, count in sorted((issuer or {}).items()):
        pos = days.searchsorted(pd.Timestamp(day), side="right") - 1
        if pos < 0:
            continue
        theirs = on_day.iloc[pos]
        if src.iloc[pos] and abs(theirs - count) / count > CONFLICT_LIMIT:
            issues.append(f"{fund} {days[pos]:%Y-%m-%d}: issuer count {count:,.0f} vs Yahoo {theirs:,.0f} "
                          f"({theirs / count - 1:+.1%}); the issuer's is used")
        on_day.iloc[pos], src.iloc[pos] = count, "issuer"
    jumps = flag_jumps(on_day)
    if jumps.any():
        shown = ", ".join(d.strftime("%Y-%m-%d") for d in jumps[jumps].index[:5])
        issues.append(f"{fund}: {int(jumps.sum())} share-count jumps above {JUMP_LIMIT:.0%} flagged as suspect ({shown})")
    frame["fund"] = fund
    frame["shares_outstanding"] = on_day.to_numpy()
    frame["shares_source"] = src.to_numpy()
    frame["flag"] = np.where(jumps.to_numpy(), f"jump>{JUMP_LIMIT:.0%}", "")
    return frame.loc[:, COLUMNS], issues


class YahooFunds:
    """Closes and share counts of one ETF from yfinance; ``ticker_factory`` is injectable for tests."""

    def __init__(self, ticker_factory: Callable[[str], Any] | None = None, session: Any = None) -> None:
        if ticker_factory is None:
            import yfinance as yf

            from generator.sources.net import CappedTimeoutSession

            shared = session if session is not None else CappedTimeoutSession(max_timeout=20.0)

            def ticker_factory(symbol: str) -> Any:
                return yf.Ticker(symbol, session=shared)

        self.ticker_factory = ticker_factory

    def fetch(self, fund: str, start: date, issuer: Mapping[pd.Timestamp, float] | None = None
              ) -> tuple[pd.DataFrame, list[str]]:
        """One fund's rows from ``start`` on (yfinance made to raise instead of answering empty)."""
        from generator.sources.yahoo import yfinance_raises

        with yfinance_raises():
            return self._fetch(fund, start, issuer)

    def _fetch(self, fund: str, start: date, issuer: Mapping[pd.Timestamp, float] | None
               ) -> tuple[pd.DataFrame, list[str]]:
        ticker = self.ticker_factory(fund)
        try:
            history = ticker.history(start=start.isoformat(), auto_adjust=False, actions=True)
        except Exception as exc:
            raise FetchError(fund, SOURCE, f"price history failed: {one_line(exc)}") from exc
        if history is None or history.empty or "Close" not in history:
            raise FetchError(fund, SOURCE, "no price history (unknown, delisted or merged fund)")
        closes = closes_from_history(history)
        try:
            raw = ticker.get_shares_full(start=start.isoformat())
        except Exception as exc:
            raise FetchError(fund, SOURCE, f"shares outstanding failed: {one_line(exc)}") from exc
        shares, issues = clean_shares(raw, fund)
        source = "yahoo"
        if shares.empty:
            current = (ticker.info or {}).get("sharesOutstanding")
            if not current:
                raise FetchError(fund, SOURCE, "no shares-outstanding history and no current count")
            shares = pd.Series([float(current)], index=[closes["date"].iloc[-1]])
            source = "yahoo-current"
            issues.append(f"{fund}: no share-count history; only today's count (no flows can be estimated)")
        frame, frame_issues = fund_frame(fund, closes, shares, issuer, source)
        return frame, issues + frame_issues


def issuer_counts(client: ISharesClient, fund: str, days: Iterable[date]) -> tuple[dict[pd.Timestamp, float], list[str]]:
    """Shares outstanding from the issuer's files on or before each day (iShares funds only)."""
    counts: dict[pd.Timestamp, float] = {}
    issues: list[str] = []
    if fund not in PRODUCTS:
        return counts, issues
    for day in days:
        try:
            found = client.holdings_on_or_before(fund, day)
        except (NoFileForDate, FetchError) as exc:
            issues.append(f"{fund} issuer count for {day}: {exc}")
            continue
        if found.shares_outstanding:
            counts[pd.Timestamp(found.as_of)] = found.shares_outstanding
    return counts, issues


@dataclass
class FundsFetch:
    """Rows for every fund that worked, and why the others did not."""

    frame: pd.DataFrame
    failures: dict[str, str] = field(default_factory=dict)
    issues: list[str] = field(default_factory=list)


def fetch_funds(funds: Iterable[str], start: date, yahoo: YahooFunds, issuer: ISharesClient | None = None,
                issuer_days: Iterable[date] = (), log: Callable[[str], None] = print) -> FundsFetch:
    """Fetch each fund in turn; a fund that fails is recorded, the others go on."""
    parts, failures, issues = [], {}, []
    days = list(issuer_days)
    for fund in funds:
        counts: dict[pd.Timestamp, float] = {}
        if issuer is not None and days:
            counts, found_issues = issuer_counts(issuer, fund, days)
            issues += found_issues
        try:
            frame, fund_issues = yahoo.fetch(fund, start, counts)
        except FetchError as exc:
            failures[fund] = exc.problem
            log(f"  {fund}: failed: {exc.problem}")
            continue
        parts.append(frame)
        issues += fund_issues
        seen = int(frame["shares_outstanding"].notna().sum())
        log(f"  {fund}: {len(frame)} trading days, {seen} share counts ({len(counts)} from the issuer)")
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return FundsFetch(frame, failures, issues)
