"""RUT-NEGATIVE-EARNINGS: share of constituents with a loss, per reading, from the fixture datasets.

tests/fixtures/datasets is what the refresh writes from a small IWM holdings file (as of 2026-01-22) and
canned Yahoo quarterly income statements fetched on 2026-02-20 (see tests/fixtures/yahoo/fundamentals):
AAA and FFF profitable, BBB losing money every quarter, CCC-A profitable in its latest quarter but not over
the year, DDD with a fiscal year ending in January (no September quarter), EEE with only three reported
quarters, GGG unknown to Yahoo.
"""

from datetime import date

import pandas as pd
import pytest
from _live_datasets import DATASETS, with_datasets

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("RUT-NEGATIVE-EARNINGS")
CONSTITUENTS = 7



@pytest.fixture(scope="module")
def latest(market):
    return evaluate(CLAIM, with_datasets(market), "latest")


def quarters():
    income = DATASETS["r2k-net-income"].dropna(subset=["net_income"])
    return income.sort_values(["symbol", "period_end"]).groupby("symbol")


def test_without_the_constituents_earnings_the_published_estimates_are_reported(market):
    # no live fundamentals by the publication date: the claim reports published estimates instead
    for data in (market, with_datasets(market)):
        result = evaluate(CLAIM, data, "publication", PUB)
        assert result.status == "computed" and result.computation.context["source"] == "reported"


def test_september_2025_quarter(latest):
    income = DATASETS["r2k-net-income"].dropna(subset=["net_income"])
    september = income.loc[income["period_end"] == pd.Timestamp("2025-09-30")]
    expected = (september["net_income"] < 0).mean() * 100
    assert sorted(september["symbol"]) == ["AAA", "BBB", "CCC-A", "EEE", "FFF"]   # DDD's quarters end in Oct
    assert expected == pytest.approx(3 / 5 * 100)
    reading = latest.computation.reading("sep_2025_quarter")
    assert reading.headline_figure.value == pytest.approx(expected)
    assert latest.computation.figure("coverage", "sep_2025_quarter").value == pytest.approx(5 / CONSTITUENTS * 100)
    assert reading.matches_article is False


def test_latest_quarter_of_each_company(latest):
    newest = quarters().tail(1)
    expected = (newest["net_income"] < 0).mean() * 100
    assert expected == pytest.approx(2 / 6 * 100)      # BBB and DDD (DDD's quarter ending 2025-10-31)
    assert latest.computation.figure("share_negative", "latest_quarter").value == pytest.approx(expected)


def test_trailing_twelve_months_needs_four_consecutive_quarters(latest):
    last_four = quarters().tail(4)
    sums = last_four.groupby("symbol")["net_income"].agg(["sum", "count"])
    complete = sums.loc[sums["count"] == 4, "sum"]
    assert "EEE" not in complete.index                   # three reported quarters only
    expected = (complete < 0).mean() * 100
    assert expected == pytest.approx(2 / 5 * 100)        # BBB, and CCC-A whose year is a loss
    assert latest.computation.figure("share_negative", "trailing_12_months").value == pytest.approx(expected)
    assert latest.computation.reading("trailing_12_months").matches_article is True


def test_the_2007_comparison_is_stated_as_not_computable(latest):
    reading = latest.computation.reading("since_2007")
    assert reading.headline_figure.value is None and reading.matches_article is None
    assert "back to 2007" in reading.explanation
    assert "Unverifiable (no 2007 data)" in latest.verdict.reason


def test_verdict_uses_the_september_quarter(latest):
    # 60% is 20 points from "about 40%"
    assert latest.verdict.label == "Inaccurate"


def test_evidence_is_one_row_per_computed_reading(latest):
    evidence = latest.computation.evidence
    assert evidence["companies_with_data"].tolist() == [5, 6, 5]
    assert evidence["article_pct"].unique().tolist() == [40.0]


def judged(share, coverage=1.0):
    reading = Reading("sep_2025_quarter", "", (Figure("share_negative", "", share, "%"),), "share_negative")
    return CLAIM.rule.apply(Computation([reading], "sep_2025_quarter", context={"coverage": coverage}))


@pytest.mark.parametrize("share, label", [
    (35.0, "Accurate"), (45.0, "Accurate"), (34.9, "Mostly accurate"), (50.0, "Mostly accurate"),
    (29.9, "Inaccurate"), (50.1, "Inaccurate"),
])
def test_rule_boundaries(share, label):
    assert judged(share).label == label


def test_too_little_coverage_or_no_september_quarter_is_unverifiable():
    assert judged(40.0, coverage=0.59).label == "Unverifiable"
    assert judged(None, coverage=0.0).label == "Unverifiable"
    assert judged(40.0, coverage=0.60).label == "Accurate"


def test_a_run_dated_before_publication_is_used_and_a_later_run_does_not_leak(market):
    runs = {}
    for name in ("r2k-fundamentals", "r2k-net-income"):
        early = DATASETS[name].assign(date=pd.Timestamp("2026-01-20"))
        later = DATASETS[name].assign(date=pd.Timestamp("2026-06-30"))
        if name == "r2k-net-income":
            later["net_income"] = -1.0                    # every company losing money in a later run
        runs[name] = pd.concat([early, later])
    result = evaluate(CLAIM, with_datasets(market, **runs), "publication", PUB)
    assert result.status == "computed"
    assert result.computation.figure("share_negative").value == pytest.approx(60.0)
