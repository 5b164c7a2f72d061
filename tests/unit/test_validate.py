"""Validation names the series and the date of each problem; errors stop the build."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from generator.calendars import nyse_holidays
from generator.catalog import spec
from generator.validate import ValidationError, check, validate_series

RUT, BTC = spec("rut"), spec("btc-usd")


def bars(days, closes, volume=1e9) -> pd.DataFrame:
    idx = pd.DatetimeIndex(pd.to_datetime(days), name="date")
    c = np.asarray(closes, dtype=float)
    return pd.DataFrame({"open": c, "high": c * 1.01, "low": c * 0.99, "close": c, "volume": volume}, index=idx)


def test_a_clean_week_passes():
    report = validate_series(RUT, bars(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"],
                                       [2500, 2510, 2505, 2520, 2530]))
    assert report.ok and report.warnings == []


def test_duplicate_and_out_of_order_dates_are_errors_naming_series_and_date():
    report = validate_series(RUT, bars(["2026-01-05", "2026-01-07", "2026-01-06", "2026-01-06"], [1, 2, 3, 4]))
    messages = [str(i) for i in report.errors]
    assert any("rut on 2026-01-06: duplicate date" in m for m in messages)
    assert any("rut on 2026-01-06: dates increasing" in m for m in messages)


def test_non_positive_or_missing_prices_are_errors():
    report = validate_series(RUT, bars(["2026-01-05", "2026-01-06", "2026-01-07"], [2500, 0, np.nan]))
    checks = {(i.date, i.check) for i in report.errors}
    assert ("2026-01-06", "positive prices") in checks
    assert ("2026-01-07", "finite values") in checks
    with pytest.raises(ValidationError, match="rut"):
        check(RUT, bars(["2026-01-05", "2026-01-06"], [2500, -1]))


def test_a_missing_trading_day_is_a_calendar_warning_but_a_holiday_is_not():
    # 2026-01-19 is Martin Luther King Jr. Day (closed); 2026-01-21 is a normal session left out here
    assert pd.Timestamp("2026-01-19").date() in nyse_holidays(2026)
    days = ["2026-01-16", "2026-01-20", "2026-01-22", "2026-01-23"]
    report = validate_series(RUT, bars(days, [2600, 2610, 2620, 2630]))
    gaps = [i for i in report.warnings if i.check == "calendar gaps"]
    assert len(gaps) == 1 and gaps[0].date == "2026-01-21" and "2026-01-19" not in gaps[0].message


def test_a_one_day_jump_is_labelled():
    report = validate_series(BTC, bars(pd.date_range("2026-01-01", periods=3).strftime("%Y-%m-%d"), [100, 100, 150]))
    assert [(i.date, i.check) for i in report.warnings] == [("2026-01-03", "one-day jump")]


def test_a_bar_written_before_the_close_is_a_provisional_error():
    # a BTC bar is the UTC day: data written at 22:00 UTC on 2026-01-03 cannot hold that day's close
    days = ["2026-01-01", "2026-01-02", "2026-01-03"]
    written = datetime(2026, 1, 3, 22, 0, tzinfo=UTC)
    report = validate_series(BTC, bars(days, [100, 101, 102]), written_at=written)
    assert [(i.date, i.check) for i in report.errors] == [("2026-01-03", "provisional row")]
    # an hour after midnight UTC the bar is final
    later = datetime(2026, 1, 4, 1, 0, tzinfo=UTC)
    assert validate_series(BTC, bars(days, [100, 101, 102]), written_at=later).ok


def test_nyse_calendar_knows_the_2025_closures():
    holidays = nyse_holidays(2025)
    assert pd.Timestamp("2025-01-09").date() in holidays  # national day of mourning (President Carter)
    assert pd.Timestamp("2025-04-18").date() in holidays  # Good Friday
    assert pd.Timestamp("2025-06-19").date() in holidays  # Juneteenth


def test_a_split_left_unadjusted_in_adjusted_prices_is_an_error():
    xlk = spec("xlk")
    days = ["2025-11-12", "2025-11-13", "2025-11-14", "2025-11-17"]
    report = validate_series(xlk, bars(days, [293.9, 286.6, 288.2, 141.6]))
    assert [(i.date, i.check) for i in report.errors] == [("2025-11-17", "unadjusted split")]


def test_the_importer_back_adjusts_such_a_split_and_says_so():
    from generator.snapshot.importer import adjust_splits

    days = ["2025-11-13", "2025-11-14", "2025-11-17"]
    adjusted, notes = adjust_splits(spec("xlk"), bars(days, [286.6, 288.2, 141.6], volume=1e7))
    assert list(adjusted["close"]) == pytest.approx([143.3, 144.1, 141.6])
    assert list(adjusted["volume"]) == [2e7, 2e7, 1e7]
    assert len(notes) == 1 and "2025-11-17, factor 2" in notes[0]
