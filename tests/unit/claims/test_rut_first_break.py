"""RUT-FIRST-BREAK: when the index first rose above its 2021 record, on the close and intraday.

The article gives two months for the same event ("last November" = November 2025, and "November 2024");
each is checked as its own reading, on the close and on the intraday high.
"""

import json

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_first_break import matches, months_apart


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-FIRST-BREAK"), market, "publication", PUBLISHED_AT)


def _first_break(series: pd.Series) -> tuple[float, pd.Timestamp]:
    in_2021 = series[(series.index >= "2021-01-01") & (series.index <= "2021-12-31")]
    record_day, record = in_2021.idxmax(), in_2021.max()
    return record, series[(series.index > record_day) & (series > record)].index[0]


def test_first_close_above_the_2021_record_close(market, result):
    record, broken = _first_break(market.close("rut"))
    assert result.computation.figure("record", "close_nov_2025").value == pytest.approx(record)
    assert result.computation.figure("first_break", "close_nov_2025").value == broken.strftime("%Y-%m-%d")
    assert (broken.year, broken.month) == (2025, 9)  # September 2025: neither month the article gives


def test_first_intraday_high_above_the_2021_intraday_record(market, result):
    record, broken = _first_break(market.frame("rut")["high"])
    assert result.computation.figure("record", "intraday_nov_2024").value == pytest.approx(record)
    assert result.computation.figure("first_break", "intraday_nov_2024").value == broken.strftime("%Y-%m-%d")
    assert (broken.year, broken.month) == (2024, 11)


def test_only_the_intraday_november_2024_reading_matches_the_article(result):
    matches = {r.key: r.matches_article for r in result.computation.readings}
    assert matches == {"close_nov_2025": False, "intraday_nov_2025": False,
                       "close_nov_2024": False, "intraday_nov_2024": True}


def test_the_best_november_2024_close_fell_just_short_of_the_record(market, result):
    close = market.close("rut")
    record, _ = _first_break(close)
    nov = close[(close.index >= "2024-11-01") & (close.index <= "2024-11-30")]
    shortfall = result.computation.figure("best_in_month_vs_record", "close_nov_2024")
    assert shortfall.value == pytest.approx((nov.max() / record - 1) * 100)
    assert -0.1 < shortfall.value < 0  # missed the record close by a few hundredths of a percent


def test_the_article_dates_disagree(result):
    assert result.computation.context["article_dates_agree"] is False
    assert result.computation.context["stated_months"] == "2024-11, 2025-11"


def test_verdict_is_inaccurate_at_both_dates(market, result):
    # the first record close came on 18 September 2025, two months before the opening's "last November"; only
    # the intraday break (November 2024) falls in a month the article gives, and not the opening's month
    assert result.verdict.label == "Inaccurate"
    assert evaluate(get("RUT-FIRST-BREAK"), market, "latest").verdict.label == "Inaccurate"
    assert get("RUT-FIRST-BREAK").fixed_in_time


def _reading(key: str, day: str | None, stated: str) -> Reading:
    return Reading(key, key, (Figure("first_break", "first break", day, "date"),
                              Figure("stated_month", "stated", stated, "month")), "first_break", False)


def _constructed(close_day: str | None, intraday_day: str | None, agree: bool = False) -> Computation:
    readings = [_reading("close_nov_2025", close_day, "2025-11"), _reading("intraday_nov_2025", intraday_day,
                                                                         "2025-11")]
    return Computation(readings, "close_nov_2025", context={
        "article_dates_agree": agree, "stated_months": "2025-11" if agree else "2024-11, 2025-11"})


@pytest.mark.parametrize(("close_day", "intraday_day", "agree", "label"), [
    ("2025-11-03", "2025-11-03", True, "Accurate"),
    ("2025-11-28", "2025-11-03", False, "Mostly accurate"),   # right month, but the article also says 2024-11
    ("2025-10-31", "2025-10-01", True, "Mostly accurate"),    # one month early: inside the tolerance
    ("2025-12-01", "2025-12-01", True, "Mostly accurate"),    # one month late: inside
    ("2025-09-30", "2025-11-05", True, "Misleading"),         # two months early; only the intraday break in Nov
    ("2025-09-18", "2024-11-25", False, "Inaccurate"),        # the real pattern
    ("2026-01-02", "2024-11-25", False, "Inaccurate"),        # two months late
    (None, None, False, "Inaccurate"),                        # not broken by the evaluation date
])
def test_rule_edges(close_day, intraday_day, agree, label):
    assert get("RUT-FIRST-BREAK").rule.apply(_constructed(close_day, intraday_day, agree)).label == label


def test_months_apart_counts_calendar_months():
    assert months_apart("2025-09", "2025-11") == -2 and months_apart("2026-01", "2025-11") == 2
    assert months_apart(None, "2025-11") is None


@pytest.mark.parametrize(("day", "stated", "reproduces"), [
    ("2024-11-25", "2024-11", True), ("2024-11-01", "2024-11", True), ("2024-10-31", "2024-11", False),
    ("2025-09-18", "2025-11", False), (None, "2025-11", False),
])
def test_a_reading_reproduces_the_article_when_its_first_break_is_in_the_stated_month(day, stated, reproduces):
    assert matches(_reading("any", day, stated)) is reproduces


def test_readings_reason_and_finding_agree(result):
    comp = result.computation
    matching = [r.label for r in comp.readings if r.matches_article]
    assert matching == [comp.reading("intraday_nov_2024").label]
    assert f"Only another reading reproduces the article's figure: {matching[0]}." in result.verdict.reason
    close_day = pd.Timestamp(comp.figure("first_break", "close_nov_2025").value)
    high_day = pd.Timestamp(comp.figure("first_break", "intraday_nov_2025").value)
    assert close_day.strftime("%-d %b %Y") in result.finding and high_day.strftime("%-d %b %Y") in result.finding
    assert close_day.strftime("%-d %b %Y") in result.verdict.reason


def test_evidence_marks_both_first_breaks(result):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "close", "high", "record_close", "record_high", "event",
                                      "article_says"]
    marked = evidence.loc[evidence["event"] != "", "date"].dt.strftime("%Y-%m-%d").tolist()
    assert marked == [result.computation.figure("first_break", "intraday_nov_2024").value,
                      result.computation.figure("first_break", "close_nov_2024").value]
    said = evidence.loc[evidence["article_says"] != "", "date"].dt.strftime("%Y-%m").tolist()
    assert said == ["2024-11", "2025-11"]  # the two months the article gives, marked on the chart
    spec = json.dumps(get("RUT-FIRST-BREAK").chart(evidence).to_dict())
    assert "last close before the article" in spec and "the article:" in spec
