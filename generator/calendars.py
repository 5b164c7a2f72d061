"""Trading calendars: which days a series should have a bar, and when a day's bar is final."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pandas as pd

NEW_YORK = ZoneInfo("America/New_York")

# Unscheduled NYSE closures since 1990 (weather, national mourning, 9/11).
_SPECIAL_CLOSURES = {
    date(1994, 4, 27), date(2001, 9, 11), date(2001, 9, 12), date(2001, 9, 13), date(2001, 9, 14),
    date(2004, 6, 11), date(2007, 1, 2), date(2012, 10, 29), date(2012, 10, 30), date(2018, 12, 5),
    date(2025, 1, 9),
}


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def nyse_holidays(year: int) -> frozenset[date]:
    """Full-day NYSE holidays of ``year`` under the current rules (valid from 1990)."""
    days = {
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day (NYSE closed from 1998)
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _easter(year) - timedelta(days=2),  # Good Friday
        _last_weekday(year, 5, 0),  # Memorial Day
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
        _observed(date(year, 12, 25)),
    }
    if year < 1998:
        days.discard(_nth_weekday(year, 1, 0, 3))
    new_year = date(year, 1, 1)
    if new_year.weekday() != 5:  # NYSE does not observe New Year's Day on the Friday before
        days.add(_observed(new_year))
    if year >= 2022:
        days.add(_observed(date(year, 6, 19)))
    days |= {d for d in _SPECIAL_CLOSURES if d.year == year}
    return frozenset(days)


def expected_days(calendar: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Days between ``start`` and ``end`` (inclusive) on which a series of ``calendar`` should have a bar."""
    if calendar in ("crypto", "daily"):
        return pd.date_range(start, end, freq="D")
    days = pd.bdate_range(start, end)
    if calendar == "nyse":
        holidays = {h for y in range(start.year, end.year + 1) for h in nyse_holidays(y)}
        days = pd.DatetimeIndex([d for d in days if d.date() not in holidays])
    return days


def available_utc(calendar: str, day: date) -> datetime:
    """When the bar (or value) dated ``day`` could first be seen by a reader, in UTC.

    - US exchange series (``nyse``): at the close, 16:00 America/New_York on that day.
    - Bitcoin (``crypto``): Yahoo's BTC-USD day is the UTC calendar day, so its bar closes at 00:00 UTC the
      next day.
    - FRED daily series (``business``, ``daily``): a value dated D is published on the next weekday (the
      New York Fed posts the effective federal funds rate for D the next business morning; the Treasury's
      yields reach FRED the next day); we take 16:00 New York on the first weekday after D.
    """
    if calendar == "crypto":
        return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC)
    if calendar == "nyse":
        return datetime.combine(day, time(16, 0), tzinfo=NEW_YORK).astimezone(UTC)
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return datetime.combine(following, time(16, 0), tzinfo=NEW_YORK).astimezone(UTC)


def last_visible_day(calendar: str, instant: datetime) -> date:
    """The latest date whose bar had closed by ``instant`` (an aware datetime) under :func:`available_utc`."""
    if instant.tzinfo is None:
        raise ValueError(f"{instant.isoformat()}: a cut-off moment needs a time zone")
    day = instant.astimezone(UTC).date() + timedelta(days=1)
    while available_utc(calendar, day) > instant:
        day -= timedelta(days=1)
    return day


def bar_close_utc(calendar: str, day: date) -> datetime:
    """When the bar of ``day`` is final, in UTC."""
    if calendar == "crypto":
        return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC)
    if calendar == "nyse":
        return datetime.combine(day, time(16, 15), tzinfo=NEW_YORK).astimezone(UTC)
    # FRED daily series are published the next business day at the earliest.
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC)
