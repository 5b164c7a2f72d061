"""RUT-2025-RETURN: the Russell 2000's 2025 gain under each reading, recomputed from the snapshot."""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-2025-RETURN"), market, "publication", PUB)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("RUT-2025-RETURN"), market, "latest")


def _last_on_or_before(series: pd.Series, day: str | pd.Timestamp) -> tuple[pd.Timestamp, float]:
    part = series[series.index <= pd.Timestamp(day)]
    return part.index[-1], part.iloc[-1]


def _calendar_2025(series: pd.Series) -> float:
    return (_last_on_or_before(series, "2025-12-31")[1] / _last_on_or_before(series, "2024-12-31")[1] - 1) * 100


def test_calendar_2025_price_return_is_year_end_close_to_year_end_close(market, result):
    expected = _calendar_2025(market.close("rut"))
    assert result.computation.figure("return", "calendar_price").value == pytest.approx(expected)
    assert result.computation.reading("calendar_price").matches_article is False
    assert 10 < expected < 13  # far from "over 40%"


def test_total_return_uses_iwm_adjusted_closes_over_the_same_dates(market, result):
    expected = _calendar_2025(market.close("iwm"))
    assert result.computation.figure("return", "calendar_total").value == pytest.approx(expected)
    assert result.computation.figure("start", "calendar_total").date == "2024-12-31"
    assert result.computation.reading("calendar_total").matches_article is False
    assert "one vintage" in result.computation.reading("calendar_total").explanation


def test_only_the_rise_from_the_2025_low_exceeds_40_percent(market, result):
    close = market.close("rut")
    year = close[(close.index >= "2025-01-01") & (close.index <= "2025-12-31")]
    expected = (year.iloc[-1] / year.min() - 1) * 100
    reading = result.computation.reading("trough_to_year_end")
    assert reading.headline_figure.value == pytest.approx(expected)
    assert reading.figures[1].date == year.idxmin().strftime("%Y-%m-%d")
    assert reading.matches_article is True
    assert expected > 40


def test_52_week_return_at_publication(market, result):
    close = market.close("rut")
    day, last = _last_on_or_before(close, "2026-01-23")
    base_day, base = _last_on_or_before(close, day - pd.Timedelta(weeks=52))
    reading = result.computation.reading("trailing_52w_publication")
    assert reading.headline_figure.value == pytest.approx((last / base - 1) * 100)
    assert reading.figures[1].date == base_day.strftime("%Y-%m-%d")
    assert reading.matches_article is False
    keys = [r.key for r in result.computation.readings]
    assert "trailing_52w_now" not in keys  # no later data at publication


def test_latest_adds_a_context_52_week_return_to_the_latest_close(market, latest):
    close = market.close("rut")
    day, last = close.index[-1], close.iloc[-1]
    _, base = _last_on_or_before(close, day - pd.Timedelta(weeks=52))
    reading = latest.computation.reading("trailing_52w_now")
    assert reading.headline_figure.value == pytest.approx((last / base - 1) * 100)
    assert reading.matches_article is None


def test_verdict_is_misleading_at_both_dates(result, latest):
    # about 11% in calendar 2025; over 40% only from the April low
    assert result.verdict.label == "Misleading"
    assert latest.verdict.label == "Misleading"


def _constructed(price: float, trough: float) -> Computation:
    reading = Reading("calendar_price", "constructed", (Figure("return", "price return", price, "%"),), "return")
    return Computation([reading], "calendar_price", context={"trough_to_year_end": trough})


@pytest.mark.parametrize(("price", "trough", "label"), [
    (40.0, 40.0, "Accurate"), (39.99, 60.0, "Mostly accurate"), (35.0, 50.0, "Mostly accurate"),
    (34.99, 40.0, "Misleading"), (34.99, 39.99, "Inaccurate"), (11.0, 10.0, "Inaccurate"),
])
def test_rule_boundaries(price, trough, label):
    assert get("RUT-2025-RETURN").rule.apply(_constructed(price, trough)).label == label


def test_evidence_is_both_series_rebased_to_100_with_the_low_marked(result):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "series", "value", "event"]
    first = evidence[evidence["date"] == pd.Timestamp("2024-12-31")]
    assert first["value"].tolist() == pytest.approx([100.0, 100.0])
    low_day = result.computation.figure("trough", "trough_to_year_end").date
    assert evidence.loc[evidence["event"].str.startswith("lowest"), "date"].dt.strftime("%Y-%m-%d").tolist() == [
        low_day]
    get("RUT-2025-RETURN").chart(evidence).to_dict()
