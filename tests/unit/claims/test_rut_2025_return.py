"""RUT-2025-RETURN: the Russell 2000's 2025 gain under each reading, recomputed from the snapshot."""

import json

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_2025_return import matches


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-2025-RETURN"), market, "publication", PUBLISHED_AT)


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
    seen = market.cut(PUBLISHED_AT).close("rut").index[-1]  # the last close the article could have seen
    day, last = _last_on_or_before(close, seen)
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


def test_verdict_is_inaccurate_at_both_dates_and_the_claim_is_fixed_in_time(result, latest):
    # about 11% in calendar 2025; over 40% only from the April low, which does not rescue "in 2025"
    assert result.verdict.label == "Inaccurate"
    assert latest.verdict.label == "Inaccurate"
    assert get("RUT-2025-RETURN").fixed_in_time


def _reading(key: str, value: float) -> Reading:
    return Reading(key, key, (Figure("return", "return", value, "%"),), "return", False)


def _constructed(price: float, trough: float) -> Computation:
    return Computation([_reading("calendar_price", price), _reading("trough_to_year_end", trough)],
                       "calendar_price")


@pytest.mark.parametrize(("price", "trough", "label"), [
    (40.0, 40.0, "Accurate"), (39.99, 60.0, "Mostly accurate"), (35.0, 50.0, "Mostly accurate"),
    (34.99, 40.0, "Inaccurate"), (34.99, 39.99, "Inaccurate"), (11.0, 41.0, "Inaccurate"),
])
def test_rule_boundaries(price, trough, label):
    # the rise from the year's low no longer changes the label: only the calendar-year return counts
    assert get("RUT-2025-RETURN").rule.apply(_constructed(price, trough)).label == label


@pytest.mark.parametrize(("value", "reproduces"), [(40.0, True), (39.999, False), (41.0, True), (11.3, False)])
def test_a_reading_reproduces_over_40_percent_from_40_up(value, reproduces):
    assert matches(_reading("any", value)) is reproduces


def test_readings_match_the_reason_and_the_finding_states_the_figures(result):
    comp = result.computation
    matching = [r.label for r in comp.readings if r.matches_article]
    assert matching == [comp.reading("trough_to_year_end").label]
    assert f"Only another reading reproduces the article's figure: {matching[0]}." in result.verdict.reason
    price, low = comp.figure("return", "calendar_price").value, comp.figure("return", "trough_to_year_end").value
    assert f"{price:.2f}%" in result.finding and f"{low:.2f}%" in result.finding
    assert "not over 40%" in result.finding


def test_evidence_is_both_series_rebased_to_100_with_the_low_marked(result):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "series", "value", "event", "claimed_level"]
    assert set(evidence["claimed_level"]) == {140.0}  # the article's +40% on the rebased scale
    assert evidence["date"].max() == market_seen(result)
    first = evidence[evidence["date"] == pd.Timestamp("2024-12-31")]
    assert first["value"].tolist() == pytest.approx([100.0, 100.0])
    low_day = result.computation.figure("trough", "trough_to_year_end").date
    assert evidence.loc[evidence["event"].str.startswith("lowest"), "date"].dt.strftime("%Y-%m-%d").tolist() == [
        low_day]
    spec = json.dumps(get("RUT-2025-RETURN").chart(evidence).to_dict())
    assert "last close before the article" in spec and "over 40%" in spec


def market_seen(result) -> pd.Timestamp:
    """The evidence runs through the last close the article could have seen (the chart marks that day)."""
    return pd.Timestamp(result.computation.figure("end", "trailing_52w_publication").date)
