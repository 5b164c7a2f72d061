"""Sanity checks run on every series as it is loaded: problems are named with series and date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

import numpy as np
import pandas as pd

from generator.calendars import bar_close_utc, expected_days
from generator.catalog import SeriesSpec

Severity = Literal["error", "warning"]

# One-day moves larger than this are labelled for a human to look at (they can be real: 1987, 2020).
JUMP_LIMITS = {"crypto": 0.30, "nyse": 0.12, "business": 1.0, "daily": 1.0}


@dataclass(frozen=True)
class Issue:
    series: str
    date: str | None
    check: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.plain()}"

    def plain(self) -> str:
        """The issue without its severity prefix (the CLI adds its own "error:")."""
        where = f" on {self.date}" if self.date else ""
        return f"{self.series}{where}: {self.check}: {self.message}"


@dataclass
class ValidationReport:
    series: str
    rows: int
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class ValidationError(Exception):
    """A series failed a check that makes it unsafe to compute from."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        first = report.errors[0]
        more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
        super().__init__(f"{first.plain()}{more}")


SPLIT_FACTORS = (2, 3, 4, 5, 10)
SPLIT_TOLERANCE = 0.08
"""A move that is a split ratio times a day's move of at most 8% looks like an unadjusted split."""


def split_like_moves(close: pd.Series) -> list[tuple[pd.Timestamp, float]]:
    """Days whose close/previous close is near 1/k or k for a common split factor k: (day, factor).

    ``factor`` > 1 is a k-for-1 split (price divided by k); < 1 a reverse split.
    """
    ratio = (close / close.shift(1)).dropna()
    found = []
    for day, r in ratio.items():
        for k in SPLIT_FACTORS:
            if abs(r * k - 1) <= SPLIT_TOLERANCE:
                found.append((day, float(k)))
            elif abs(r / k - 1) <= SPLIT_TOLERANCE:
                found.append((day, 1.0 / k))
    return found


def provisional_rows(
    frame: pd.DataFrame, spec: SeriesSpec, written_at: datetime | None, zero_volume_is_provisional: bool = False
) -> pd.DatetimeIndex:
    """Rows whose bar had not closed when the data was written (intraday values, not closes)."""
    flagged: list[pd.Timestamp] = []
    if written_at is not None:
        for day in frame.index[-5:]:
            if bar_close_utc(spec.calendar, day.date()) > written_at:
                flagged.append(day)
    if zero_volume_is_provisional and "volume" in frame.columns:
        flagged.extend(frame.index[frame["volume"] == 0])
    return pd.DatetimeIndex(sorted(set(flagged)))


Confirm = Callable[[pd.Timestamp, float], "str | None"]


def future_rows(index: pd.DatetimeIndex, written_at: datetime | None, today: date | None
                ) -> list[tuple[pd.Timestamp, str]]:
    """Rows dated after the day the data was written, or after today (UTC): they cannot be real bars."""
    today = today or datetime.now(UTC).date()
    found = []
    limit_written = written_at.astimezone(UTC).date() if written_at is not None else None
    for day in index[index > pd.Timestamp(min(today, limit_written or today))][:5]:
        if limit_written is not None and day.date() > limit_written:
            found.append((day, f"dated after the data was retrieved ({limit_written.isoformat()})"))
        else:
            found.append((day, f"dated after today ({today.isoformat()})"))
    return found


def _fmt(day: pd.Timestamp) -> str:
    return day.strftime("%Y-%m-%d")


def validate_series(
    spec: SeriesSpec,
    frame: pd.DataFrame,
    written_at: datetime | None = None,
    calendar_check_from: str = "1990-01-01",
    today: date | None = None,
    confirm: Confirm | None = None,
) -> ValidationReport:
    """Check one series; errors make it unusable, warnings are shown to readers next to the data.

    ``today`` (default: the current UTC day) and ``written_at`` bound the dates: a row dated after either is
    an error. ``confirm(day, move)`` names a second source that confirms a one-day move beyond the limit, or
    returns None; an unconfirmed jump is an error (without ``confirm`` it is a warning: the load stage,
    which sees every series, passes one).
    """
    report = ValidationReport(spec.id, len(frame))

    def add(day: pd.Timestamp | None, check: str, severity: Severity, message: str) -> None:
        report.issues.append(Issue(spec.id, _fmt(day) if day is not None else None, check, severity, message))

    if frame.empty:
        add(None, "non-empty", "error", "no rows")
        return report
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        add(None, "columns", "error", f"missing columns {missing}")
        return report
    index = pd.DatetimeIndex(frame.index)
    dup = index[index.duplicated()]
    for day in dup[:5]:
        add(day, "duplicate date", "error", "date appears more than once")
    for day, why in future_rows(index, written_at, today):
        add(day, "future date", "error", why)
    steps = np.diff(index.asi8)
    for pos in np.flatnonzero(steps < 0)[:5]:
        add(index[pos + 1], "dates increasing", "error", f"comes after {_fmt(index[pos])}")

    value_cols = [c for c in spec.columns if c != "volume"]
    values = frame[value_cols]
    bad = ~np.isfinite(values.to_numpy(dtype="float64"))
    for row in np.flatnonzero(bad.any(axis=1))[:5]:
        add(index[row], "finite values", "error", f"missing or non-finite value in {value_cols}")
    if spec.kind != "rate":
        nonpos = (values <= 0).any(axis=1)
        for day in index[nonpos.to_numpy()][:5]:
            add(day, "positive prices", "error", "price is zero or negative")
    if spec.kind == "ohlcv":
        tol = 1e-6
        hi_bad = frame["high"] < frame[["open", "close", "low"]].max(axis=1) * (1 - tol)
        lo_bad = frame["low"] > frame[["open", "close", "high"]].min(axis=1) * (1 + tol)
        n_bad = int((hi_bad | lo_bad).sum())
        if n_bad:
            first = index[(hi_bad | lo_bad).to_numpy()][0]
            add(first, "OHLC consistency", "error",
                f"{n_bad} rows where the high is below the low, open or close, or the low above them "
                "(first shown)")

    if report.errors:
        return report

    price = frame[spec.price_column]
    if spec.adjusted:
        for day, factor in split_like_moves(price):
            add(day, "unadjusted split", "error",
                f"close changed by a factor of {1 / factor:.3g} in one day in split-adjusted data")
    if spec.kind != "rate":
        moves = price.pct_change()
        limit = JUMP_LIMITS[spec.calendar]
        for day, move in moves[moves.abs() > limit].items():
            if confirm is None:  # fetch and import: the load stage, which sees every series, decides
                add(day, "one-day jump", "warning",
                    f"close moved {move:+.1%} in one day (limit {limit:.0%}); a second source must confirm it")
                continue
            source = confirm(day, float(move))
            if source:
                add(day, "one-day jump", "warning",
                    f"close moved {move:+.1%} in one day (limit {limit:.0%}); confirmed by {source}")
            else:
                add(day, "one-day jump", "error",
                    f"close moved {move:+.1%} in one day (limit {limit:.0%}) and no second source confirms it")

    start = max(index[0], pd.Timestamp(calendar_check_from))
    if start <= index[-1] and spec.calendar != "business":
        expected = expected_days(spec.calendar, start, index[-1])
        window = index[index >= start]
        missing_days = expected.difference(window)
        extra_days = window.difference(expected)
        if len(missing_days):
            shown = ", ".join(_fmt(d) for d in missing_days[:6])
            add(missing_days[0], "calendar gaps", "warning",
                f"{len(missing_days)} expected {spec.calendar} days have no row: {shown}"
                + (" ..." if len(missing_days) > 6 else ""))
        if len(extra_days):
            shown = ", ".join(_fmt(d) for d in extra_days[:6])
            # an exchange series has no session on a closed day: such a row is a mislabelled bar
            add(extra_days[0], "calendar extras", "error" if spec.calendar == "nyse" else "warning",
                f"{len(extra_days)} rows dated on days the {spec.calendar} calendar marks closed: {shown}")
    elif spec.calendar == "business":
        gaps = pd.Series(index[1:] - index[:-1], index=index[1:])
        for day, gap in gaps[gaps > pd.Timedelta(days=5)].items():
            add(day, "calendar gaps", "warning", f"{gap.days} days since the previous observation")

    flagged = provisional_rows(frame, spec, written_at)
    for day in flagged:
        add(day, "provisional row", "error", "bar had not closed when the data was written")
    return report


def check(spec: SeriesSpec, frame: pd.DataFrame, written_at: datetime | None = None,
          confirm: Confirm | None = None) -> ValidationReport:
    """Validate and raise :class:`ValidationError` on any error."""
    report = validate_series(spec, frame, written_at, confirm=confirm)
    if not report.ok:
        raise ValidationError(report)
    return report
