"""Bitcoin's protocol facts and what follows from them: the issuance schedule, supply at a height, and an
estimated block height at a date.

The facts live as data with their sources in ``data/reference/bitcoin_protocol.json``; this module loads
and validates them. Supply is exact integer satoshi arithmetic, as the protocol does it (the subsidy is
``50 BTC >> epoch``). A block height at a date is an *estimate*: the file records only the halving blocks'
timestamps, so heights in between are interpolated and heights after the last halving are extrapolated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.paths import REFERENCE_DIR

if TYPE_CHECKING:
    from generator.market import MarketData as MarketDataLike

PROTOCOL_FILE = REFERENCE_DIR / "bitcoin_protocol.json"
DAYS_PER_YEAR = 365
"""'Annual' issuance means 365 days of blocks (144 x 365 = 52,560 blocks at the target rate)."""
MAX_HALVINGS = 64
"""GetBlockSubsidy returns 0 from the 64th halving on (a right shift by 64 is undefined in C++)."""

RateMethod = Literal["observed", "nominal"]


class Sourced(BaseModel):
    """Where a fact was checked: a public URL and the day the project checked it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(pattern=r"^https://")
    retrieved: date
    note: str = ""
    see_also: tuple[str, ...] = ()


class Count(Sourced):
    value: int = Field(gt=0)
    unit: str


class Moment(Sourced):
    value: datetime

    @field_validator("value")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.utcoffset() != timedelta(0):
            raise ValueError("times must be UTC")
        return value


class Day(Sourced):
    value: date


class Halving(Sourced):
    """A halving block: the first block paying the halved subsidy."""

    height: int = Field(gt=0)
    date: date
    block_time: datetime
    block_hash: str = Field(pattern=r"^0{8}[0-9a-f]{56}$")

    @model_validator(mode="after")
    def _date_is_block_day(self) -> Halving:
        if self.block_time.utcoffset() != timedelta(0):
            raise ValueError(f"block {self.height}: block_time must be UTC")
        if self.block_time.date() != self.date:
            raise ValueError(f"block {self.height}: date {self.date} is not the UTC day of {self.block_time}")
        return self


class Protocol(BaseModel):
    """Everything in the reference file, typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    about: str
    satoshi_per_btc: Count
    initial_subsidy_sat: Count
    halving_interval_blocks: Count
    target_block_spacing_seconds: Count
    max_money_btc: Count
    genesis_block_time: Moment
    halvings: tuple[Halving, ...] = Field(min_length=1)
    spot_etf_approval: Day
    spot_etf_first_trading: Day

    @model_validator(mode="after")
    def _halvings_follow_the_schedule(self) -> Protocol:
        interval = self.halving_interval_blocks.value
        previous = self.genesis_block_time.value
        for n, halving in enumerate(self.halvings, start=1):
            if halving.height != n * interval:
                raise ValueError(f"halving {n} is at height {halving.height}, expected {n * interval}")
            if halving.block_time <= previous:
                raise ValueError(f"halving {n}: block time {halving.block_time} is not after {previous}")
            previous = halving.block_time
        return self

    @property
    def nominal_blocks_per_day(self) -> float:
        """The target rate: one block every 10 minutes, 144 a day."""
        return 86_400 / self.target_block_spacing_seconds.value

    def halving_at(self, height: int) -> Halving:
        for halving in self.halvings:
            if halving.height == height:
                return halving
        raise KeyError(f"no halving at height {height} in {PROTOCOL_FILE.name}")

    def anchors(self) -> list[tuple[datetime, int]]:
        """Blocks whose time is known: the genesis block and every halving block."""
        return [(self.genesis_block_time.value, 0)] + [(h.block_time, h.height) for h in self.halvings]


def load_protocol(path: Path = PROTOCOL_FILE) -> Protocol:
    """Read and validate the reference file; a clear error names what is wrong."""
    return Protocol.model_validate(json.loads(path.read_text(encoding="utf-8")))


@cache
def protocol() -> Protocol:
    """The project's protocol facts (loaded once)."""
    return load_protocol()


# --- The issuance schedule (exact, in satoshis) ------------------------------------------------------


def subsidy_sat(height: int, p: Protocol | None = None) -> int:
    """The new coins block ``height`` may create: 50 BTC shifted right once per completed epoch."""
    p = p or protocol()
    epoch = height // p.halving_interval_blocks.value
    return 0 if epoch >= MAX_HALVINGS else p.initial_subsidy_sat.value >> epoch


def mined_sat(height: int, p: Protocol | None = None) -> int:
    """Coins created by the blocks below ``height`` (heights 0 .. height-1): the supply just before block
    ``height``. Counts the genesis block's 50 BTC (unspendable) and assumes every miner claimed the full
    subsidy (a few blocks claimed less; together a few BTC, immaterial here)."""
    p = p or protocol()
    if height < 0:
        raise ValueError("height must be >= 0")
    interval = p.halving_interval_blocks.value
    total, start = 0, 0
    while start < height:
        blocks = min(interval, height - start)
        total += blocks * subsidy_sat(start, p)
        start += interval
    return total


def to_btc(sat: int, p: Protocol | None = None) -> float:
    return sat / (p or protocol()).satoshi_per_btc.value


def schedule_total_sat(p: Protocol | None = None) -> int:
    """Every coin the schedule will ever create (just under 21 million BTC)."""
    p = p or protocol()
    return mined_sat(MAX_HALVINGS * p.halving_interval_blocks.value, p)


def annual_issuance_btc(height: int, blocks_per_day: float, p: Protocol | None = None) -> float:
    """New BTC in a year at the subsidy of block ``height``, if blocks come at ``blocks_per_day``."""
    return to_btc(subsidy_sat(height, p), p) * blocks_per_day * DAYS_PER_YEAR


def inflation_pct(issuance_btc: float, supply_btc: float) -> float:
    """Annual issuance as a percentage of the existing supply."""
    return issuance_btc / supply_btc * 100.0


# --- Block height at a date (an estimate) ------------------------------------------------------------


def end_of_day(day: date | pd.Timestamp) -> datetime:
    """The moment a UTC day ends: what 'on date D' means here, matching a daily close."""
    d = pd.Timestamp(day).date()
    return datetime(d.year, d.month, d.day, tzinfo=UTC) + timedelta(days=1)


def epoch_blocks_per_day(p: Protocol | None = None) -> list[tuple[int, int, float]]:
    """Observed mean rate of each completed span between known blocks: (from height, to height, blocks/day)."""
    anchors = (p or protocol()).anchors()
    return [(h0, h1, (h1 - h0) / ((t1 - t0).total_seconds() / 86_400))
            for (t0, h0), (t1, h1) in zip(anchors, anchors[1:], strict=False)]


def estimate_height(moment: datetime, method: RateMethod = "observed", p: Protocol | None = None) -> float:
    """An ESTIMATED block height at ``moment`` (UTC).

    ``observed``: linear between the known blocks (genesis and the halvings); after the last halving,
    extrapolated at the mean rate observed over the previous epoch (blocks came faster than the target
    while hash rate grew). ``nominal``: the target 144 blocks a day from the last known block before
    ``moment``. Either way an estimate, not a chain reading.
    """
    p = p or protocol()
    anchors = p.anchors()
    if moment < anchors[0][0]:
        raise ValueError(f"{moment} is before the genesis block")
    past = [(t, h) for t, h in anchors if t <= moment]
    t0, h0 = past[-1]
    days = (moment - t0).total_seconds() / 86_400
    if method == "nominal":
        return h0 + days * p.nominal_blocks_per_day
    if len(past) < len(anchors):
        t1, h1 = anchors[len(past)]
        return h0 + (h1 - h0) * (moment - t0) / (t1 - t0)
    return h0 + days * epoch_blocks_per_day(p)[-1][2]


def supply_by_date(days: Iterable[date | pd.Timestamp], method: RateMethod = "observed",
                   p: Protocol | None = None) -> pd.DataFrame:
    """For each day (at its end, UTC): estimated height, supply, share of 21M and annual inflation at
    the target 144 blocks a day. A table for charts; heights are estimates."""
    p = p or protocol()
    rows = []
    for day in days:
        height = int(estimate_height(end_of_day(day), method, p))
        supply = to_btc(mined_sat(height, p), p)
        issuance = annual_issuance_btc(height, p.nominal_blocks_per_day, p)
        rows.append({"date": pd.Timestamp(day).normalize(), "height_estimate": height, "supply_btc": supply,
                     "share_of_21m_pct": supply / p.max_money_btc.value * 100.0,
                     "inflation_pct": inflation_pct(issuance, supply)})
    return pd.DataFrame(rows)


def schedule_timeline(start: date | str, until: date | pd.Timestamp, p: Protocol | None = None) -> pd.DataFrame:
    """:func:`supply_by_date` on every month-end from ``start`` to ``until``, plus the day before and the
    day of each halving in that span (so the step shows), with an ``event`` column naming the halvings."""
    p = p or protocol()
    start_ts, until_ts = pd.Timestamp(start), pd.Timestamp(until).normalize()
    days = set(pd.date_range(start_ts, until_ts, freq="ME")) | {until_ts}
    events: dict[pd.Timestamp, str] = {}
    for n, halving in enumerate(p.halvings, start=1):
        day = pd.Timestamp(halving.date)
        if start_ts <= day <= until_ts:
            days |= {day - pd.Timedelta(days=1), day}
            events[day] = f"halving {n} (block {halving.height:,})"
    table = supply_by_date(sorted(days), p=p)
    table["event"] = table["date"].map(events).fillna("")
    return table


# --- Prices at protocol events -----------------------------------------------------------------------

CYCLE_TOP_DAYS = 730
"""A cycle's top, as every BTC claim defines it: the highest price in the two years after the cycle's start
(a halving, or a breakout)."""


def cycle_top(series: pd.Series, start: date | pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The highest value of ``series`` from ``start`` through ``CYCLE_TOP_DAYS`` days later (what the data
    hold of that span), with its date."""
    first = pd.Timestamp(start)
    part = series[(series.index >= first) & (series.index <= first + pd.Timedelta(days=CYCLE_TOP_DAYS))]
    if part.empty:
        raise ValueError(f"{series.name}: no data in the {CYCLE_TOP_DAYS} days from {first:%Y-%m-%d}")
    return part.idxmax(), float(part.max())



def close_nearest(close: pd.Series, moment: datetime) -> tuple[pd.Timestamp, float]:
    """The daily close nearest in time to ``moment``, for UTC-day bars (the bar of day D closes at
    D+1 00:00 UTC). For the 2024 halving (block at 00:09 UTC) this is the close of the day before."""
    day = pd.Timestamp(moment.date())
    candidates = [d for d in (day - pd.Timedelta(days=1), day) if d in close.index]
    if not candidates:
        raise ValueError(f"{close.name}: no daily close within a day of {moment:%Y-%m-%d %H:%M} UTC")
    best = min(candidates, key=lambda d: abs(end_of_day(d) - moment))
    return best, float(close[best])


def sources_note(*facts: Sourced, what: str) -> str:
    """One line for a claim page: which reference facts were used and where they were checked (by site; the
    full addresses are listed with each fact on the data page)."""
    from urllib.parse import urlparse

    sites = list(dict.fromkeys(urlparse(f.source).netloc.removeprefix("www.") for f in facts))
    return (f"{what}: a reference fact from the public record, checked against {', '.join(sites)}; "
            "each fact and its source are listed on the data page.")


def readable_day(day: str | date | pd.Timestamp | None) -> str:
    """A day as a reader writes it in a sentence: '22 Jan 2026' ('an unknown day' for None)."""
    return "an unknown day" if day is None else f"{pd.Timestamp(day):%-d %b %Y}"


def reference_fact(file_name: str, key: str) -> dict[str, str]:
    """One dated, sourced fact from a reference file in the publication format (``source`` names the
    publisher, ``url`` links the page, ``date`` is the day of the event); a clear error names what is missing."""
    path = REFERENCE_DIR / file_name
    fact = json.loads(path.read_text(encoding="utf-8")).get(key)
    missing = [k for k in ("date", "source", "url") if not isinstance(fact, dict) or not fact.get(k)]
    if missing:
        raise ValueError(f"{path.name}: {key} needs {', '.join(missing)}")
    return {k: str(v) for k, v in fact.items() if isinstance(v, str | int | float)}


# --- Bitcoin before Yahoo's first day --------------------------------------------------------------------

BTC_EARLY = "btc-usd-early"
"""The dataset of CryptoQuant closes before Yahoo Finance's first BTC-USD day (see the data page)."""


def spliced_close(data: MarketDataLike) -> tuple[pd.Series, pd.Timestamp | None]:
    """BTC-USD daily closes: CryptoQuant's strictly before Yahoo's first day, Yahoo's from it on.

    Returns the series and the splice day (Yahoo's first day), or None when the build has no early closes.
    Only closes are spliced: intraday highs exist from Yahoo's first day on.
    """
    yahoo = data.close("btc-usd")
    early = data.datasets.get(BTC_EARLY)
    if early is None or len(early) == 0:
        return yahoo, None
    before = pd.Series(early["close"].to_numpy(dtype=float), index=pd.DatetimeIndex(pd.to_datetime(early["date"])),
                       name=yahoo.name)
    before = before.loc[before.index < yahoo.index[0]]
    if before.empty:
        return yahoo, None
    return pd.concat([before, yahoo]).rename(yahoo.name), yahoo.index[0]
