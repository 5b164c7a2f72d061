"""BTC-VOLATILITY: realised volatility before and after the spot ETFs, recomputed with plain pandas."""


import numpy as np
import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = PUBLISHED_AT
CLAIM = get("BTC-VOLATILITY")


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def annualised_vol(close: pd.Series, start: str, end: str) -> float:
    returns = np.log(close / close.shift(1)).loc[start:end]
    return returns.std() * np.sqrt(365) * 100


def test_two_years_either_side_of_the_first_etf_trading_day(market, result):
    close = market.close("btc-usd")
    before = annualised_vol(close, "2022-01-11", "2024-01-10")
    after = annualised_vol(close, "2024-01-11", "2026-01-10")
    comp = result.computation
    assert comp.primary == "two_years"
    assert comp.figure("vol_before", "two_years").value == pytest.approx(before)
    assert comp.figure("vol_after", "two_years").value == pytest.approx(after)
    assert comp.figure("ratio", "two_years").value == pytest.approx(after / before)
    assert after < before


def test_to_the_evaluation_date(market, result):
    close = market.cut(PUBLISHED_AT).close("btc-usd")
    after = annualised_vol(close, "2024-01-11", close.index[-1])
    assert result.computation.figure("vol_after", "to_evaluation_date").value == pytest.approx(after)


def test_volatility_was_already_falling_before_the_etfs(market, result):
    close = market.close("btc-usd")
    earlier = annualised_vol(close, "2020-01-11", "2022-01-10")
    before = annualised_vol(close, "2022-01-11", "2024-01-10")
    assert result.computation.figure("ratio", "previous_step").value == pytest.approx(before / earlier)
    assert before / earlier < result.computation.figure("ratio", "two_years").value  # fell more then
    assert result.computation.reading("previous_step").matches_article is None


def test_verdict_at_publication_and_causality_caveat(result):
    # lower after the ETFs, but it had fallen more in the equally long span before: the older trend
    assert result.verdict.label == "Misleading"
    assert "predates the ETFs" in result.verdict.reason and "cannot prove a cause" in CLAIM.rule.text
    assert "never Accurate" in CLAIM.rule.text and "0.90" in CLAIM.rule.text and "1.10" in CLAIM.rule.text
    assert CLAIM.kind == "signal"


def test_readings_match_is_the_ten_percent_fall_and_agrees_with_the_reason(result):
    comp = result.computation
    for key in ("two_years", "to_evaluation_date"):
        assert comp.reading(key).matches_article is (comp.number("ratio", key) <= 0.90)
    assert comp.reading("two_years").matches_article is True
    assert "The main reading reproduces the article's figure" in result.verdict.reason


def test_the_comparison_is_the_span_before_the_etfs(result):
    comp = result.computation
    figures = {f.key: f.value for f in comp.comparison.figures}
    assert figures["change_after"] == pytest.approx((comp.number("ratio", "two_years") - 1) * 100)
    assert figures["change_before"] == pytest.approx((comp.number("ratio", "previous_step") - 1) * 100)
    assert "spans before the ETFs" in comp.comparison.question + comp.comparison.answer


def test_the_grid_recomputes_each_window_length(market, result):
    close = market.close("btc-usd")
    grid = {s.parameter: s for s in result.computation.sensitivity}
    assert [s.primary for s in grid.values()] == [False, False, True]
    etf = pd.Timestamp("2024-01-11")
    one = pd.DateOffset(months=12)
    before = annualised_vol(close, etf - one, etf - pd.Timedelta(days=1))
    after = annualised_vol(close, etf, etf + one - pd.Timedelta(days=1))
    earlier = annualised_vol(close, etf - 2 * one, etf - one - pd.Timedelta(days=1))
    from generator.claims.btc_volatility import label_for
    assert grid["12 months either side of the launch"].label == label_for(after / before, before / earlier)
    assert "It would be" in result.verdict.reason  # at least one window length gives another verdict


def test_the_finding_agrees_with_the_figures(result):
    comp = result.computation
    sentence = result.finding
    before, after = comp.number("vol_before", "two_years"), comp.number("vol_after", "two_years")
    earlier = comp.number("vol_before", "previous_step")
    assert f"fell from {before:.0f}%" in sentence and f"to {after:.0f}% in the 2 years after" in sentence
    assert f"had already fallen more steeply before them, from {earlier:.0f}%" in sentence


def test_chart_data_is_a_monthly_sample_labelled_by_period(market, result):
    evidence = result.computation.evidence
    assert len(evidence) < 200
    assert evidence["date"].is_monotonic_increasing
    assert evidence["date"].max() == pd.Timestamp(market.cut(PUBLISHED_AT).last_date("btc-usd"))  # the last point is the publication day, not month-end
    first_after = evidence.loc[evidence["period"].str.startswith("after"), "date"].min()
    assert first_after >= pd.Timestamp("2024-01-11")


def _comp(ratio: float, previous: float = 0.7) -> Computation:
    def reading(key: str, value: float) -> Reading:
        return Reading(key, key, (Figure("ratio", "r", value, "ratio"),), "ratio")

    return Computation([reading("two_years", ratio), reading("previous_step", previous)], "two_years")


@pytest.mark.parametrize(("ratio", "previous", "label"), [
    (0.50, 0.7, "Mostly accurate"), (0.90, 0.95, "Mostly accurate"),  # fell more than in the span before
    (0.80, 0.80, "Misleading"), (0.80, 0.70, "Misleading"),  # fell as much or more before: the older trend
    (0.80, 0.800001, "Mostly accurate"),
    (0.901, 0.95, "Misleading"), (1.0, 1.0, "Misleading"), (1.099, 1.2, "Misleading"),
    (1.10, 1.0, "Inaccurate"), (1.5, 0.5, "Inaccurate"),
])
def test_rule_boundaries_never_accurate(ratio, previous, label):
    assert CLAIM.rule.apply(_comp(ratio, previous)).label == label
