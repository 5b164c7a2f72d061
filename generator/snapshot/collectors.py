"""The public collectors whose files seed the embedded snapshot, as typed data.

Each entry names the upstream repository, path and commit of one file, when the collector wrote it,
and how to read it. ``importer.py`` turns these into snapshot series; nothing here is copied verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

YAHOO = "Yahoo Finance (collected with yfinance)"
FRED = "Federal Reserve Bank of St. Louis, FRED"


@dataclass(frozen=True)
class Collector:
    """One public repository that republishes upstream data."""

    folder: str
    repo: str
    commit: str
    written_at: str
    """When the collector wrote its files (UTC). Bars that had not closed by then are provisional."""
    license: str | None = None
    last_row_provisional: bool = False
    """The collector rewrites its files during the session, so its newest row is never taken as final."""


@dataclass(frozen=True)
class RawFile:
    """One raw file and how to read it into (date, open, high, low, close, volume | value)."""

    collector: Collector
    filename: str
    repo_path: str
    publisher: str
    columns: dict[str, str]
    """Maps our column name -> the file's column name."""
    date_column: str
    header_rows: int = 0
    """Extra header lines to skip after the first (yfinance multi-index CSVs have two)."""
    zero_volume_is_provisional: bool = False
    """The collector refreshes during the trading day; a 0 volume marks a row written before the close."""
    file_commit: str | None = None
    adjust_by: str | None = None
    """A dividend-adjusted close column: open, high, low and close are scaled by it over the raw close, the
    way the upstream adjusts (for a file that keeps both)."""


ALITALBI = Collector(
    "alitalbi-storage_data_fy", "alitalbi/storage_data_fy",
    "941406838f8b8a613f95450e8df70f806c1de58a", "2026-02-23T21:37:00Z", last_row_provisional=True,
)
CULOLOM = Collector(
    "culolom-culolom-backtest", "culolom/culolom-backtest",
    "3cd7b8f7b969cd28a5c9c725772e44b798fe781c", "2026-08-22T22:18:00Z",
)
GUYDEKOWSKI = Collector(
    "guydekowski-market-lab", "guydekowski/market-lab",
    "6a10f1b94830e174ee943263e11a5819ee5aac7b", "2026-08-21T21:52:00Z",
)
HELIAR = Collector(
    "heliar-k-market-base", "heliar-k/market-base",
    "ea74518ee9fe9db8136ddcf28a3fe96894aab061", "2026-08-21T21:24:00Z",
)
HELIAR_2026_10 = Collector(
    "heliar-k-market-base-2026-10", "heliar-k/market-base",
    "70d8b809c49084a7ec2d69fc618237b5e1babcfd", "2026-10-10T12:00:00Z",
)
"""The same collector about seven weeks later: only the files' tails were kept (rebuilt from pages)."""
SEEDFLORA = Collector(
    "SeedFlora-idx-daily-data", "SeedFlora/idx-daily-data",
    "a2629461f163fa49a6827aae65284950332d9467", "2026-09-03T18:00:00Z", last_row_provisional=True,
)
ALM0421 = Collector(
    "alm0421-alm0421", "alm0421/alm0421", "bb0e96c0b6a45a9a7cf5c5fb2adef3ed58a5430c", "2026-10-05T20:15:00Z",
    last_row_provisional=True,
)
"""Its writing time is not known; the newest row is therefore never taken as final."""
HJYSSG = Collector(
    "hjyssg-tqqq_simulation", "hjyssg/tqqq_simulation",
    "850cf4ee9eb078643663396487bada01a027a70e", "2026-03-05T16:20:00Z",
)
HUSEYNLI = Collector(
    "HuseynliGulara-prediction-markets-fed-policy-forecasting",
    "HuseynliGulara/prediction-markets-fed-policy-forecasting",
    "720f4636c3a33bfec9347644560c258d4ba431e7", "2026-08-09T00:00:00Z",
)
CORRCHECK = Collector(
    "vincent-adam-frm-corrcheck-data", "vincent-adam-frm/corrcheck-data",
    "1037ecdc4205131417ad72178267a274a1df29e8", "2026-08-18T16:21:00Z",
)

_OHLCV_TITLE = {"open": "Open", "high": "High", "low": "Low", "close": "Close", "volume": "Volume"}
_OHLCV_LOWER = {"open": "open", "high": "high", "low": "low", "close": "close", "volume": "volume"}


def _alitalbi(filename: str) -> RawFile:
    return RawFile(ALITALBI, filename, filename, YAHOO, _OHLCV_TITLE, "Date", zero_volume_is_provisional=True)


def _guy(filename: str) -> RawFile:
    return RawFile(GUYDEKOWSKI, filename, f"data/{filename}", YAHOO, _OHLCV_LOWER, "date",
                   file_commit=GUYDEKOWSKI.commit)


def _heliar_index(filename: str) -> RawFile:
    return RawFile(HELIAR, filename, f"data/indices/{filename}", YAHOO, _OHLCV_LOWER, "date",
                   file_commit="7c01e04dfbf2b5633f05c2744d246f9288631ac4")


def _heliar_rate(series: str) -> RawFile:
    return RawFile(HELIAR, "rates.csv", "data/fred/rates/rates.csv", FRED, {"value": series}, "date",
                   file_commit="7c01e04dfbf2b5633f05c2744d246f9288631ac4")


def _heliar_oct_index(filename: str, columns: dict[str, str] = _OHLCV_LOWER) -> RawFile:
    return RawFile(HELIAR_2026_10, filename, f"data/indices/{filename}", YAHOO, columns, "date")


def _heliar_oct_rate(series: str) -> RawFile:
    return RawFile(HELIAR_2026_10, "rates.csv", "data/fred/rates/rates.csv", FRED, {"value": series}, "date")


_TAILS = ("heliar-k's October 2026 files are tails (the header plus the last rows, rebuilt page by page from "
          "the upstream file); they extend the series after the older files end and are compared with them "
          "on every day both have.")


CheckMode = Literal["level", "returns"]


@dataclass(frozen=True)
class SeriesPlan:
    """How one snapshot series is assembled: files that give rows (in priority order) and cross-checks."""

    series: str
    contributors: tuple[RawFile, ...]
    cross_checks: tuple[RawFile, ...] = ()
    check_mode: CheckMode = "level"
    tolerance: float = 0.0005
    """Relative difference above which two collectors are said to disagree."""
    notes: tuple[str, ...] = field(default_factory=tuple)


PLANS: tuple[SeriesPlan, ...] = (
    SeriesPlan(
        "rut",
        (_alitalbi("^RUT.csv"), _heliar_index("RUT.csv"), _heliar_oct_index("RUT.csv")),
        notes=("Rows from alitalbi to 2026-02-20; its provisional (volume 0) rows are replaced by heliar-k's "
               "final rows where heliar-k has the day, and heliar-k extends the series after February 2026.",
               _TAILS,
               "2026-10-09 has volume 0 in heliar-k's file, written the next day after the close: the prices "
               "are the day's final ones (they equal the collector's other table), the volume was not yet "
               "reported."),
    ),
    SeriesPlan(
        "btc-usd",
        (_guy("BTC_USD.csv"),
         RawFile(SEEDFLORA, "BTC-USD.csv", "data/BTC-USD.csv", YAHOO, _OHLCV_TITLE, "Date")),
        notes=("Rows from guydekowski to 2026-08-20; SeedFlora's daily file (rebuilt from pages; 2026-08-01.."
               "08-13 missing there) extends them to the last final day before it was written on 2026-09-03. "
               "heliar-k's wide table (asset_prices.csv) is not used: from 2026-08-22 its bitcoin column holds "
               "the price when the collector ran, not the close of the UTC day.",
               "SeedFlora's 2026-07-31 row differs from guydekowski's final close (it is that collector's last "
               "row before its 13-day gap); guydekowski's row is used."),
        cross_checks=(
            RawFile(CULOLOM, "BTC-USD.csv", "data/BTC-USD.csv", YAHOO, {"close": "Close", "volume": "Volume"},
                    "Date", file_commit="eb1e85b212f62c2c95f9fb8f7d06f1006a4919a0"),
            RawFile(CORRCHECK, "BTC-USD.csv", "prices/BTC-USD.csv", YAHOO, {"close": "Close"}, "Date"),
        ),
        tolerance=0.0001,
    ),
    SeriesPlan(
        "gspc",
        (RawFile(CULOLOM, "^GSPC.csv", "data/^GSPC.csv", YAHOO, {"close": "Close"}, "Date",
                 file_commit="eb1e85b212f62c2c95f9fb8f7d06f1006a4919a0"),
         _heliar_oct_index("SPX.csv", {"close": "close"})),
        cross_checks=(_heliar_index("SPX.csv"),),
        notes=(_TAILS,),
    ),
    SeriesPlan("ixic", (_guy("IXIC.csv"), _heliar_oct_index("IXIC.csv")), cross_checks=(_heliar_index("IXIC.csv"),),
               notes=(_TAILS,)),
    SeriesPlan(
        "ndx",
        (RawFile(HJYSSG, "^NDX.csv", "data/^NDX.csv", YAHOO, _OHLCV_TITLE, "Price", header_rows=2,
                 file_commit="83b9dc0fa7c3c863cc79938f4469e3d8d13c8890"),),
    ),
    SeriesPlan(
        "iwm",
        (_guy("IWM.csv"),),
        cross_checks=(
            _alitalbi("IWM.csv"),
            RawFile(CORRCHECK, "IWM.csv", "prices/IWM.csv", YAHOO, {"close": "Close"}, "Date"),
        ),
        check_mode="returns",
        tolerance=0.0005,
        notes=("Dividend-adjusted as of 2026-08-21 (one adjustment vintage); other collectors' vintages are "
               "compared by daily returns, which adjustment does not change.",),
    ),
    SeriesPlan("qqq", (_guy("QQQ.csv"),), cross_checks=(_alitalbi("QQQ.csv"),), check_mode="returns"),
    SeriesPlan("spy", (_alitalbi("SPY.csv"),)),
    SeriesPlan("xlk", (_alitalbi("XLK.csv"),)),
    SeriesPlan(
        "psct",
        (RawFile(ALM0421, "PSCT.csv", "data/prices/PSCT.csv", YAHOO, _OHLCV_LOWER, "date", adjust_by="adj_close"),),
        notes=("Rebuilt from pages: the upstream file's header plus an exact tail, 2022-09-29 on. Prices are "
               "split-adjusted upstream (3-for-1 on 2023-07-17); open, high, low and close are scaled by the "
               "file's dividend-adjusted close over its close, so the series is dividend-adjusted like the "
               "other ETFs.",),
    ),
    SeriesPlan("dgs2", (_heliar_rate("DGS2"), _heliar_oct_rate("DGS2")), notes=(_TAILS,)),
    SeriesPlan(
        "dff",
        (_heliar_rate("DFF"), _heliar_oct_rate("DFF")),
        notes=(_TAILS,),
        cross_checks=(RawFile(HUSEYNLI, "DFF.csv", "data/DFF.csv", FRED, {"value": "DFF"}, "observation_date"),),
        tolerance=0.0,
    ),
)
