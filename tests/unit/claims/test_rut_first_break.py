"""RUT-FIRST-BREAK: when the index first rose above its 2021 record, on the close and intraday.

The article gives two months for the same event ("last November" = November 2025, and "November 2024");
each is checked as its own reading, on the close and on the intraday high.
"""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-FIRST-BREAK"), market, "publication", PUB)


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


def test_verdict_is_misleading_at_both_dates(market, result):
    # only the intraday break falls in a month the article gives; the first record close came in September 2025
    assert result.verdict.label == "Misleading"
    assert evaluate(get("RUT-FIRST-BREAK"), market, "latest").verdict.label == "Misleading"


def _constructed(close_month: str | None, intraday_month: str | None, stated: str) -> Computation:
    return Computation([], "", context={"first_close_month": close_month, "first_intraday_month": intraday_month,
                                        "stated_months": stated, "article_dates_agree": "," not in stated})


@pytest.mark.parametrize(("close_month", "intraday_month", "stated", "label"), [
    ("2024-11", "2024-11", "2024-11", "Accurate"),
    ("2024-11", "2024-11", "2024-11, 2025-11", "Mostly accurate"),
    ("2025-09", "2024-11", "2024-11", "Misleading"),
    ("2025-09", "2024-11", "2024-11, 2025-11", "Misleading"),
    ("2024-12", "2024-12", "2024-11, 2025-11", "Inaccurate"),  # one month late is not the stated month
    ("2025-09", "2024-10", "2024-11, 2025-11", "Inaccurate"),
    (None, None, "2024-11", "Inaccurate"),  # not broken by the evaluation date
])
def test_rule_cases(close_month, intraday_month, stated, label):
    assert get("RUT-FIRST-BREAK").rule.apply(_constructed(close_month, intraday_month, stated)).label == label


def test_evidence_marks_both_first_breaks(result):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "close", "high", "record_close", "record_high", "event"]
    marked = evidence.loc[evidence["event"] != "", "date"].dt.strftime("%Y-%m-%d").tolist()
    assert marked == [result.computation.figure("first_break", "intraday_nov_2024").value,
                      result.computation.figure("first_break", "close_nov_2024").value]
    get("RUT-FIRST-BREAK").chart(evidence).to_dict()
