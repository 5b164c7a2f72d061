"""RUT-MEDIAN-CAP: median market cap of the constituents, from the holdings file and their fundamentals.

No public offline copy of IWM's holdings or of 2,000 market caps exists, so the committed snapshot leaves
this claim as "needs live data". The figures are checked on tests/fixtures/datasets: what the refresh
writes from a small holdings file in iShares' real format (seven equities as of 2026-01-22, plus cash and
futures rows) and canned Yahoo answers fetched on 2026-02-20 (one ticker, GGG, unknown to Yahoo).
"""

from datetime import date

import pandas as pd
import pytest
from _live_datasets import DATASETS, with_datasets

from generator.claimkit.base import Computation
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("RUT-MEDIAN-CAP")



@pytest.fixture(scope="module")
def latest(market):
    return evaluate(CLAIM, with_datasets(market), "latest")


def test_the_offline_snapshot_needs_live_data(market):
    result = evaluate(CLAIM, market, "publication", PUB)
    assert result.status == "needs-live-data" and result.verdict_label == "Needs live data"
    assert "iwm-holdings: needs live data" in result.missing


def test_fundamentals_fetched_after_publication_are_not_used_for_the_publication_check(market):
    result = evaluate(CLAIM, with_datasets(market), "publication", PUB)
    assert result.status == "needs-live-data"
    assert result.missing == ("r2k-fundamentals: no rows dated on or before 2026-01-23; needs data retrieved "
                              "by then")


def test_median_is_over_the_constituents_with_a_market_cap(latest):
    caps = DATASETS["r2k-fundamentals"]["market_cap"].dropna().sort_values()
    # six caps (GGG failed): 0.35, 0.80, 1.05, 1.20, 2.20, 6.10 bn -> the mean of the middle two
    assert caps.median() == pytest.approx((1.05e9 + 1.20e9) / 2)
    assert latest.computation.figure("median_cap").value == pytest.approx(caps.median())
    assert latest.computation.figure("coverage").value == pytest.approx(6 / 7 * 100)
    assert latest.computation.figure("below_1bn").value == 2
    assert latest.computation.reading("median").matches_article is True


def test_weighted_average_uses_the_fund_weights(latest):
    holdings = DATASETS["iwm-holdings"].set_index("symbol")["weight"]
    caps = DATASETS["r2k-fundamentals"].set_index("symbol")["market_cap"].dropna()
    expected = (caps * holdings[caps.index]).sum() / holdings[caps.index].sum()
    assert latest.computation.figure("weighted_cap").value == pytest.approx(expected)
    assert latest.computation.reading("weighted_average").matches_article is False  # AAA's 6.1 bn dominates


def test_verdict_is_capped_because_the_index_is_not_the_smallest_companies(latest):
    assert latest.verdict.label == "Mostly accurate"
    assert "ranks 1,001-3,000 by size, not the smallest companies" in latest.verdict.reason
    assert any("ranked 1001 to 3000" in note for note in latest.computation.notes)


def test_evidence_counts_every_constituent_with_a_cap_once(latest):
    evidence = latest.computation.evidence
    assert evidence["companies"].sum() == 6
    assert evidence.loc[evidence["holds_median"], "bracket"].tolist() == ["$1.00 bn to $1.50 bn"]


def test_a_run_dated_before_publication_is_used_and_later_rows_do_not_leak(market):
    early = DATASETS["r2k-fundamentals"].assign(date=pd.Timestamp("2026-01-20"))
    later = DATASETS["r2k-fundamentals"].assign(date=pd.Timestamp("2026-06-30"), market_cap=1.0)
    result = evaluate(CLAIM, with_datasets(market, **{"r2k-fundamentals": pd.concat([early, later])}),
                      "publication", PUB)
    assert result.status == "computed"
    assert result.computation.figure("median_cap").value == pytest.approx(1.125e9)
    assert result.computation.figure("median_cap").date == "2026-01-20"


def judged(median, coverage=1.0):
    return CLAIM.rule.apply(Computation([], "median", context={"median_cap": median, "coverage": coverage}))


@pytest.mark.parametrize("median, label", [
    (1.00e9, "Mostly accurate"), (1.25e9, "Mostly accurate"),     # 'just over $1 bn', capped
    (0.85e9, "Mostly accurate"), (1.50e9, "Mostly accurate"),     # near
    (0.84e9, "Inaccurate"), (1.51e9, "Inaccurate"),
])
def test_rule_boundaries(median, label):
    assert judged(median).label == label


def test_too_few_market_caps_is_unverifiable():
    assert judged(1.1e9, coverage=0.79).label == "Unverifiable"
    assert judged(1.1e9, coverage=0.80).label == "Mostly accurate"
