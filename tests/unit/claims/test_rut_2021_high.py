"""RUT-2021-HIGH: the 2021 record, how long it stood and the 2022-2024 range, recomputed from the snapshot."""

import json

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_2021_high import matches


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-2021-HIGH"), market, "publication", PUBLISHED_AT)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("RUT-2021-HIGH"), market, "latest")


def _record(series: pd.Series) -> tuple[pd.Timestamp, float]:
    in_2021 = series[(series.index >= "2021-01-01") & (series.index <= "2021-12-31")]
    return in_2021.idxmax(), in_2021.max()


def test_the_2021_record_close_is_the_november_2021_peak_and_an_all_time_high(market, result):
    close = market.close("rut")
    day, level = _record(close)
    record = result.computation.figure("record", "close")
    assert record.value == pytest.approx(level)
    assert record.date == day.strftime("%Y-%m-%d")
    assert (day.year, day.month) == (2021, 11)  # "the end of 2021": the fourth quarter
    assert close[close.index < day].max() < level
    assert result.computation.context["record_in_q4"] is True


def test_the_closing_record_stood_until_the_first_close_above_it(market, result):
    close = market.close("rut")
    day, level = _record(close)
    broken = close[(close.index > day) & (close > level)].index[0]
    reading = result.computation.reading("close")
    assert reading.headline_figure.value == pytest.approx((broken - day).days / 365.25)
    assert result.computation.figure("first_above", "close").value == broken.strftime("%Y-%m-%d")
    assert result.computation.figure("stood_days", "close").value == (broken - day).days
    sessions = ((close.index > day) & (close.index < broken)).sum()
    assert result.computation.figure("stood_trading_days", "close").value == sessions
    assert reading.matches_article is False  # closer to four years than three


def test_the_intraday_record_stood_about_three_years(market, result):
    high = market.frame("rut")["high"]
    day, level = _record(high)
    broken = high[(high.index > day) & (high > level)].index[0]
    reading = result.computation.reading("intraday")
    assert reading.headline_figure.value == pytest.approx((broken - day).days / 365.25)
    assert (broken.year, broken.month) == (2024, 11)
    assert reading.matches_article is True


def test_the_2022_2024_range_is_measured_against_the_record_close(market, result):
    close = market.close("rut")
    _, level = _record(close)
    span = close[(close.index >= "2022-01-01") & (close.index <= "2024-12-31")]
    comp = result.computation
    assert comp.figure("lowest_close_vs_record").value == pytest.approx((span.min() / level - 1) * 100)
    assert comp.figure("highest_close_vs_record").value == pytest.approx((span.max() / level - 1) * 100)
    assert comp.figure("share_more_than_20pct_below").value == pytest.approx(
        (span < level * 0.8).mean() * 100)
    assert span.max() <= level  # no close above the record in 2022-2024
    assert comp.reading("range_2022_2024").matches_article is True


def test_verdict_is_the_same_at_publication_and_latest(result, latest):
    # the closing record stood about 3.9 years: outside 2.5-3.5, inside 2-4
    assert result.verdict.label == "Mostly accurate"
    assert latest.verdict.label == "Mostly accurate"
    assert latest.computation.readings[:2] == result.computation.readings[:2]


def _constructed(years: float, quarter: str = "2021 Q4", broken: bool = True) -> Computation:
    figures = (Figure("record", "2021 record close", 2442.74, "points", "2021-11-08"),
               Figure("record_quarter", "Quarter of the record", quarter, "quarter"),
               Figure("first_above", "First close above", "2025-01-01" if broken else None, "date"),
               Figure("stood_years", "How long the record stood", years, "years"))
    return Computation([Reading("close", "constructed", figures, "stood_years", False)], "close")


@pytest.mark.parametrize(("years", "label"), [
    (1.99, "Inaccurate"), (2.0, "Mostly accurate"), (2.49, "Mostly accurate"), (2.5, "Accurate"),
    (3.0, "Accurate"), (3.5, "Accurate"), (3.51, "Mostly accurate"), (4.0, "Mostly accurate"),
    (4.01, "Inaccurate"),
])
def test_rule_boundaries_on_years(years, label):
    assert get("RUT-2021-HIGH").rule.apply(_constructed(years)).label == label


def test_rule_caps_a_record_outside_q4_at_mostly_accurate():
    assert get("RUT-2021-HIGH").rule.apply(_constructed(3.0, quarter="2021 Q2")).label == "Mostly accurate"


def test_rule_an_unbroken_record_is_inaccurate():
    assert get("RUT-2021-HIGH").rule.apply(_constructed(3.0, broken=False)).label == "Inaccurate"


@pytest.mark.parametrize(("years", "quarter", "broken", "reproduces"), [
    (2.5, "2021 Q4", True, True), (3.5, "2021 Q4", True, True), (2.49, "2021 Q4", True, False),
    (3.51, "2021 Q4", True, False), (3.0, "2021 Q3", True, False), (3.0, "2021 Q4", False, False),
])
def test_a_record_reading_reproduces_three_years_only_under_the_accurate_conditions(years, quarter, broken,
                                                                                    reproduces):
    assert matches(_constructed(years, quarter, broken).primary_reading) is reproduces


@pytest.mark.parametrize(("highest", "reproduces"), [(0.0, True), (-0.03, True), (0.01, False)])
def test_the_range_reading_reproduces_it_when_no_2022_2024_close_topped_the_record(highest, reproduces):
    reading = Reading("range_2022_2024", "range", (Figure("highest_close_vs_record", "highest", highest, "%"),),
                      "highest_close_vs_record", False)
    assert matches(reading) is reproduces


def test_readings_reason_and_finding_agree(result):
    comp = result.computation
    close, intraday = comp.reading("close"), comp.reading("intraday")
    assert close.matches_article is (2.5 <= close.headline_figure.value <= 3.5)
    assert intraday.matches_article is (2.5 <= intraday.headline_figure.value <= 3.5)
    if not close.matches_article:
        assert "Only another reading reproduces the article's figure" in result.verdict.reason
    for reading in (close, intraday):
        assert f"{reading.headline_figure.value:.1f} years" in result.finding
    low = abs(comp.figure("lowest_close_vs_record", "range_2022_2024").value)
    assert f"{low:.0f}% below" in result.finding
    assert get("RUT-2021-HIGH").fixed_in_time


def test_evidence_is_weekly_and_dated_on_real_sessions(market, result):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "close", "high", "record_close", "record_high", "article_says"]
    marked = evidence.loc[evidence["article_says"] != "", "date"]
    record_day = pd.Timestamp(result.computation.figure("record", "close").date)
    assert len(marked) == 1 and marked.iloc[0] >= record_day + pd.DateOffset(years=3)  # the article's 3 years
    assert (marked.iloc[0] - (record_day + pd.DateOffset(years=3))).days < 7
    assert len(evidence) < 2000
    assert evidence["date"].max() <= market.cut(PUBLISHED_AT).close("rut").index[-1]
    assert evidence["date"].isin(market.close("rut").index).all()
    assert "last close before the article" in json.dumps(get("RUT-2021-HIGH").chart(evidence).to_dict())
