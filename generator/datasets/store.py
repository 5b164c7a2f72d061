"""Datasets (typed tables with a ``date`` column) live in the project's one checksummed store
(:mod:`generator.store`); this module names them and where they are kept.

A dataset is one table with a ``date`` column (what day its rows describe: a holdings file's "as of" day,
a retrieval day, a trading day), so :meth:`generator.market.MarketData.cut` can hide rows dated after an
evaluation date. ``data/datasets/<name>.csv`` holds the rows, ``<name>.manifest.json`` says where they came
from, under which terms, and what their checksum is.
"""

from __future__ import annotations

from generator.paths import DATA_DIR
from generator.store import (
    ColumnType,
    DatasetError,
    DatasetManifest,
    DatasetStore,
    from_csv_bytes,
    load_datasets,
    load_manifests,
    merge_rows,
    to_csv_bytes,
)

DATASETS_DIR = DATA_DIR / "datasets"

# The datasets the claims read (names are also the file stems under data/datasets/).
IWM_HOLDINGS = "iwm-holdings"
R2K_FUNDAMENTALS = "r2k-fundamentals"
R2K_NET_INCOME = "r2k-net-income"
BTC_ETF_SHARES = "btc-etf-shares"
SMALLCAP_ETF_SHARES = "smallcap-etf-shares"

__all__ = ["DATASETS_DIR", "BTC_ETF_SHARES", "IWM_HOLDINGS", "R2K_FUNDAMENTALS", "R2K_NET_INCOME",
           "SMALLCAP_ETF_SHARES", "ColumnType", "DatasetError", "DatasetManifest", "DatasetStore",
           "from_csv_bytes", "load_datasets", "load_manifests", "merge_rows", "to_csv_bytes"]
