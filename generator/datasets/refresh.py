"""Fetch the live-only datasets and store them: holdings -> fundamentals; ETF shares + prices -> flows.

Four sources, each reported in one line. Offline, or when a quick connection probe cannot reach the
upstream host, nothing is fetched and nothing on disk changes. A source that fails leaves its datasets
as they were (the store never replaces a good file with an empty or shorter one).

Dating (what :meth:`MarketData.cut` relies on):
- holdings rows carry the file's own "as of" day; besides the latest file, the file for the
  publication date is fetched too, so the constituents at publication are known;
- fundamentals rows carry the day of the run (market caps and reported earnings as known that day), so
  a run after 2026-01-23 is invisible to the publication-date check, which then needs live data;
- ETF rows carry their trading day: a history fetched later still describes the days before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from generator.article import PUBLICATION_DATE
from generator.datasets.store import (
    BTC_ETF_SHARES,
    IWM_HOLDINGS,
    R2K_FUNDAMENTALS,
    R2K_NET_INCOME,
    SMALLCAP_ETF_SHARES,
    DatasetError,
    DatasetManifest,
    DatasetStore,
    load_manifests,
)
from generator.sources import fund_flows, fundamentals, ishares
from generator.sources.base import FetchError
from generator.sources.net import PROBES, CappedTimeoutSession, iso_utc, probe_once

Log = Callable[[str], None]

ISHARES_HOST = "www.ishares.com"
YAHOO_HOST = "query2.finance.yahoo.com"
HOST_LABELS = {ISHARES_HOST: "iShares", YAHOO_HOST: "Yahoo Finance"}
PROBE_TIMEOUT = 3.0
MIN_CONSTITUENTS = 1_000
"""A Russell 2000 holdings file with fewer equity rows than this is treated as truncated."""

BTC_FETCH_START = date(2023, 12, 1)     # before the 2024-01-11 launch, so GBTC has a baseline count
SMALLCAP_FETCH_START = date(2024, 11, 1)  # before 2025, so every fund has a year-end 2024 count

HOLDINGS_COLUMNS = {"date": "date", "position": "int", "ticker": "str", "symbol": "str", "name": "str",
                    "sector": "str", "market_value": "float", "weight": "float", "quantity": "float",
                    "price": "float", "location": "str", "exchange": "str", "currency": "str"}
FUNDAMENTALS_COLUMNS = {"date": "date", "symbol": "str", "market_cap": "float", "shares_outstanding": "float",
                        "currency": "str", "financial_currency": "str", "status": "str"}
NET_INCOME_COLUMNS = {"date": "date", "symbol": "str", "period_end": "date", "net_income": "float"}
ETF_COLUMNS = {"date": "date", "fund": "str", "close": "float", "shares_outstanding": "float", "split": "float",
               "shares_source": "str", "flag": "str"}


def unreachable(host: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    """None if ``host`` answers HTTPS within ``timeout`` seconds, else why not (never hangs an offline run)."""
    return probe_once(CappedTimeoutSession(max_timeout=timeout), f"https://{host}/", timeout)


@dataclass
class Upstreams:
    """The live clients; tests pass canned ones."""

    ishares: ishares.ISharesClient
    funds: fund_flows.YahooFunds
    fundamentals_fetch: fundamentals.FetchFn
    fundamentals_cache: fundamentals.FundamentalsCache

    @classmethod
    def live(cls) -> Upstreams:
        return cls(ishares.ISharesClient(), fund_flows.YahooFunds(), fundamentals.yahoo_fetcher(),
                   fundamentals.FundamentalsCache())


def holdings_dataset(files: list[ishares.HoldingsFile]) -> pd.DataFrame:
    """Equity positions of each file, dated by the file's "as of" day, in file order."""
    parts = [f.holdings.assign(date=pd.Timestamp(f.as_of), position=range(1, len(f.holdings) + 1))
             for f in files]
    unique = pd.concat(parts, ignore_index=True).drop_duplicates(subset=["date", "position"], keep="last")
    return unique.loc[:, list(HOLDINGS_COLUMNS)]


def _manifest(name: str, description: str, source: str, urls: list[str], columns: dict, keys: list[str],
              now: datetime, notes: list[str]) -> DatasetManifest:
    return DatasetManifest(name=name, description=description, source=source, upstream_urls=urls,
                           retrieved_at=iso_utc(now), columns=columns, keys=keys, notes=notes)


class Refresh:
    """One refresh run: the store, the clients, the clock and the log."""

    def __init__(self, root: Path, upstreams: Upstreams, log: Log, now: datetime, issuer_reachable: bool,
                 min_constituents: int = MIN_CONSTITUENTS, batch_size: int = 50, max_workers: int = 4) -> None:
        self.store = DatasetStore(root)
        self.up = upstreams
        self.issuer_reachable = issuer_reachable
        self.log = log
        self.now = now
        self.min_constituents = min_constituents
        self.batch_size = batch_size
        self.max_workers = max_workers

    def holdings(self) -> str:
        latest = self.up.ishares.holdings("IWM")
        if len(latest.holdings) < self.min_constituents:
            raise FetchError("IWM holdings", ishares.SOURCE,
                             f"only {len(latest.holdings)} equity rows: the file looks truncated")
        files, problems = [latest], []
        if latest.as_of > PUBLICATION_DATE:
            try:
                files.append(self.up.ishares.holdings_on_or_before("IWM", PUBLICATION_DATE))
            except FetchError as exc:
                problems.append(f"no file for the publication date: {exc}")
        notes = [f"{f.as_of}: {len(f.holdings)} equity rows; left out: {f.other_rows}" for f in files] + problems
        self.store.update(holdings_dataset(files), _manifest(
            IWM_HOLDINGS, "Equity positions of the iShares Russell 2000 ETF (IWM), the public proxy for the "
            "Russell 2000 constituent list; dated by each file's 'Fund Holdings as of' day.",
            ishares.PUBLISHER, [f.url for f in files], HOLDINGS_COLUMNS, ["date", "position"], self.now, notes))
        return f"{IWM_HOLDINGS}: " + "; ".join(notes)

    def fundamentals(self) -> str:
        if not self.store.has(IWM_HOLDINGS):
            return f"{R2K_FUNDAMENTALS}: skipped: no constituent list (the holdings fetch failed)"
        holdings, _ = self.store.read(IWM_HOLDINGS)
        latest = holdings.loc[holdings["date"] == holdings["date"].max()]
        symbols = sorted(s for s in latest["symbol"].unique() if s)
        from generator.sources.yahoo import yfinance_raises

        with yfinance_raises():  # entered once for all worker threads: the switch is global
            run = fundamentals.fetch_fundamentals(symbols, self.up.fundamentals_fetch,
                                                  self.up.fundamentals_cache, self.log, self.batch_size,
                                                  self.max_workers)
        per_ticker, quarters = fundamentals.fundamentals_frames(run, self.now.date())
        statement = run.error_statement()
        urls = ["https://finance.yahoo.com/quote/<symbol>/ (quoteSummary: marketCap, sharesOutstanding)",
                "https://finance.yahoo.com/quote/<symbol>/financials (quarterly income statement: Net Income)"]
        as_of = latest["date"].max().strftime("%Y-%m-%d")
        self.store.update(per_ticker, _manifest(
            R2K_FUNDAMENTALS, f"Market cap and shares outstanding of each IWM equity holding of {as_of}, as "
            "Yahoo Finance reported them when fetched (a run reuses answers cached in the three days before "
            "it; rows carry the day the run finished); 'status' says whether the ticker could be fetched.",
            fundamentals.PUBLISHER, urls, FUNDAMENTALS_COLUMNS, ["date", "symbol"], self.now, [statement]))
        if not quarters.empty:
            self.store.update(quarters, _manifest(
                R2K_NET_INCOME, "Quarterly net income of each IWM equity holding (the quarters Yahoo Finance "
                "showed when fetched; rows carry the day the run finished), in the company's reporting currency.",
                fundamentals.PUBLISHER, urls[1:], NET_INCOME_COLUMNS, ["date", "symbol", "period_end"],
                self.now, [statement]))
        return f"{R2K_FUNDAMENTALS}: {statement}"

    def funds(self, name: str, funds: tuple[str, ...], start: date, label: str) -> str:
        anchors = [date(2024, 12, 31), date(2025, 12, 31), PUBLICATION_DATE]
        issuer = self.up.ishares if self.issuer_reachable else None
        result = fund_flows.fetch_funds(funds, start, self.up.funds, issuer, anchors, self.log)
        if result.frame.empty:
            raise FetchError(label, fund_flows.SOURCE, f"no fund could be fetched: {result.failures}")
        failed = [f"{fund}: {why}" for fund, why in sorted(result.failures.items())]
        urls = ["https://finance.yahoo.com/quote/<fund>/history (daily closes, splits)",
                "https://query2.finance.yahoo.com/ws/fundamentals-timeseries/v1/finance/timeseries/<fund>"
                " (shares_out)"] + [ishares.holdings_url(f) for f in funds if f in ishares.PRODUCTS]
        self.store.update(result.frame, _manifest(
            name, f"Daily close and shares outstanding of the {label} (named list: {', '.join(funds)}).",
            fund_flows.PUBLISHER, urls, ETF_COLUMNS, ["date", "fund"], self.now, result.issues + failed),
            replace_on=["date", "fund"])
        got = result.frame["fund"].nunique()
        return f"{name}: {got} of {len(funds)} funds" + (f"; failed: {'; '.join(failed)}" if failed else "")


SOURCES = (
    ("iShares IWM holdings", ISHARES_HOST, "holdings"),
    ("Yahoo Finance fundamentals", YAHOO_HOST, "fundamentals"),
    ("Yahoo Finance bitcoin ETF shares", YAHOO_HOST, "btc_funds"),
    ("Yahoo Finance small-cap ETF shares", YAHOO_HOST, "smallcap_funds"),
)


def _stored_note(root: Path) -> str:
    """What an unreachable run falls back to: the stored datasets' retrieval date, or that there are none."""
    try:
        dates = sorted(m.retrieved_at[:10] for m in load_manifests(root).values())
    except (DatasetError, OSError, ValueError):
        dates = []
    if not dates:
        return "no stored copy of its live-only data; the claims that need it say so"
    return f"using the snapshot of {dates[-1]}"


def refresh_datasets(
    root: Path, offline: bool, log: Log = print, *, upstreams: Upstreams | None = None,
    probe: Callable[[str], str | None] = unreachable, now: datetime | None = None,
    min_constituents: int = MIN_CONSTITUENTS, batch_size: int = 50, max_workers: int = 4,
) -> list[str]:
    """Fetch every live dataset into ``root``; returns (and logs) one line per source.

    Offline or unreachable: one line per source saying so, and nothing on disk changes. ``probe`` maps a
    host to None when it answers, else to the reason it does not (each host is probed once).
    """
    if offline:
        lines = [f"{label}: offline, not fetched; datasets unchanged" for label, _h, _s in SOURCES]
        for line in lines:
            log(line)
        return lines
    down = {host: probe(host) for host in (ISHARES_HOST, YAHOO_HOST)}
    run = Refresh(root, upstreams or Upstreams.live(), log, now or datetime.now(UTC), down[ISHARES_HOST] is None,
                  min_constituents, batch_size, max_workers)
    steps: dict[str, Callable[[], str]] = {
        "holdings": run.holdings,
        "fundamentals": run.fundamentals,
        "btc_funds": lambda: run.funds(BTC_ETF_SHARES, fund_flows.BTC_SPOT_ETFS, BTC_FETCH_START,
                                       "U.S. spot bitcoin ETFs"),
        "smallcap_funds": lambda: run.funds(SMALLCAP_ETF_SHARES, fund_flows.SMALLCAP_ETFS, SMALLCAP_FETCH_START,
                                            "U.S. small-cap equity ETFs"),
    }
    lines = []
    for host, reason in down.items():
        if reason is not None and PROBES.first_report(host):
            log(f"{HOST_LABELS.get(host, host)} unreachable; {_stored_note(root)} ({reason})")
    for label, host, step in SOURCES:
        if down[host] is not None:
            lines.append(f"{label}: {host} unreachable ({down[host]}); not fetched, datasets unchanged")
            continue
        try:
            line = f"{label}: {steps[step]()}"
        except (FetchError, DatasetError) as exc:
            line = f"{label}: failed: {exc}; datasets unchanged"
        log(line)
        lines.append(line)
    return lines
