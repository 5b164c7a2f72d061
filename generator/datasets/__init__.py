"""Live-only datasets (fund holdings, constituents' fundamentals, ETF shares outstanding).

No public offline copy of these exists, so they are fetched live (:mod:`generator.datasets.refresh`)
and stored as ``data/datasets/<name>.csv`` + ``<name>.manifest.json`` (:mod:`generator.datasets.store`).
The build passes :func:`load_datasets` into :attr:`generator.market.MarketData.datasets`; a claim whose
dataset is absent raises :class:`generator.market.MissingData` and is shown as "needs live data".
"""

from generator.datasets.store import (
    DATASETS_DIR,
    DatasetError,
    DatasetManifest,
    DatasetStore,
    load_datasets,
    load_manifests,
)

__all__ = ["DATASETS_DIR", "DatasetError", "DatasetManifest", "DatasetStore", "load_datasets", "load_manifests"]
