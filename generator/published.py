"""Figures published by others (``data/reference/published_figures.json``): reported, never computed.

Each entry names its publisher, the date it was published, the page it was read on and the figure as
stated. A claim that uses them says so in its rule; a cut at an evaluation date keeps only what had been
published by then (an entry without a day-precise date counts from the end of the month or year it gives).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from generator.paths import REFERENCE_DIR

FILE = REFERENCE_DIR / "published_figures.json"


class PublishedError(Exception):
    """The reference file is missing an entry or an entry lacks a field."""


@dataclass(frozen=True)
class Published:
    key: str
    value: float | str
    unit: str
    date: str
    publisher: str
    published: str
    source: str
    retrieved: str
    note: str

    @property
    def available_from(self) -> pd.Timestamp:
        """The first day a reader could have seen it (the end of the stated month/year when not day-precise; a standing rule on an undated page
        is always available)."""
        text = self.published
        if text.startswith("undated"):
            return pd.Timestamp.min  # a standing rule (index methodology), not a dated estimate
        day = re.search(r"\d{4}-\d{2}-\d{2}", text)
        if day:
            return pd.Timestamp(day.group(0))
        month = re.search(r"(January|February|March|April|May|June|July|August|September|October|November|"
                          r"December) (\d{4})", text)
        if month:
            return pd.Timestamp(f"{month.group(1)} 1 {month.group(2)}") + pd.offsets.MonthEnd(0)
        year = re.search(r"\d{4}", text)
        if year:
            return pd.Timestamp(f"{year.group(0)}-12-31")
        raise PublishedError(f"{self.key}: cannot date 'published: {text}'")

    def citation(self) -> str:
        return f"{self.publisher}, {self.published} ({self.source})"


@cache
def _document() -> dict:
    if not FILE.exists():
        raise PublishedError(f"{FILE} is missing")
    return json.loads(FILE.read_text(encoding="utf-8"))


def published(key: str, as_of: pd.Timestamp | None = None) -> list[Published]:
    """Every published figure under ``key`` (only those available by ``as_of`` when it is given)."""
    entry = _document().get(key)
    if entry is None:
        raise PublishedError(f"{FILE.name}: no entry {key!r}")
    items = entry if isinstance(entry, list) else [entry]
    fields = ("value", "unit", "publisher", "published", "source", "retrieved")
    out = []
    for item in items:
        absent = [f for f in fields if f not in item]
        if absent:
            raise PublishedError(f"{FILE.name}: {key} lacks {absent}")
        out.append(Published(key, item["value"], item["unit"], item.get("date", ""), item["publisher"],
                             item["published"], item["source"], item["retrieved"], item.get("note", "")))
    if as_of is not None:
        out = [p for p in out if p.available_from <= as_of]
    return out
