"""Typed provenance for one snapshot series (the sidecar written next to its CSV) and its upstreams."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Origin(BaseModel):
    """One upstream that contributed rows to (or cross-checked) a series."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(description="'rows' if it contributed rows, 'cross-check' if only compared")
    publisher: str = Field(description="who published the data, e.g. 'Yahoo Finance via yfinance'")
    location: str = Field(description="upstream URL, or repository:path for a collector's file")
    commit: str | None = None
    written_at: str | None = Field(None, description="when the upstream file was written (ISO 8601, UTC)")
    retrieved_at: str = Field(description="when this project read it (ISO 8601, UTC)")
    license: str | None = None
    raw_sha256: str | None = Field(None, description="sha256 of the upstream file as read")
    rows_used: int = 0
    first_date: str | None = None
    last_date: str | None = None


class Manifest(BaseModel):
    """Everything a reader needs to trust one series of the snapshot."""

    model_config = ConfigDict(extra="forbid")

    series: str
    name: str
    upstream_id: str
    source: str
    upstream_url: str
    unit: str
    columns: list[str]
    adjusted: bool = False
    retrieved_at: str
    first_date: str
    last_date: str
    rows: int
    sha256: str
    method: str = Field(description="how the file was produced: 'import' from collectors or 'fetch' live")
    origins: list[Origin]
    excluded: list[dict[str, str]] = Field(default_factory=list, description="rows left out, with the reason")
    cross_checks: list[dict[str, str | int | float]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
