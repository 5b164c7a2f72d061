"""BTC-VOLATILITY: realised volatility before and after the spot ETFs, recomputed with plain pandas."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
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
    close = market.close("btc-usd")
    after = annualised_vol(close, "2024-01-11", "2026-01-23")
    assert result.computation.figure("vol_after", "to_evaluation_date").value == pytest.approx(after)


def test_volatility_was_already_falling_before_the_etfs(market, result):
    close = market.close("btc-usd")
    earlier = annualised_vol(close, "2020-01-11", "2022-01-10")
    before = annualised_vol(close, "2022-01-11", "2024-01-10")
    assert result.computation.figure("ratio", "previous_step").value == pytest.approx(before / earlier)
    assert before / earlier < result.computation.figure("ratio", "two_years").value  # fell more then
    assert result.computation.reading("previous_step").matches_article is None


def test_verdict_at_publication_and_causality_caveat(result):
    assert result.verdict.label == "Mostly accurate"
    assert "Causality is not shown" in result.verdict.reason
    assert "never Accurate" in CLAIM.rule.text


def test_chart_data_is_a_monthly_sample_labelled_by_period(result):
    evidence = result.computation.evidence
    assert len(evidence) < 200
    assert evidence["date"].is_monotonic_increasing
    assert evidence["date"].max() == pd.Timestamp(PUB)  # the last point is the publication day, not month-end
    first_after = evidence.loc[evidence["period"].str.startswith("after"), "date"].min()
    assert first_after >= pd.Timestamp("2024-01-11")


def _comp(ratio: float, previous: float = 0.7) -> Computation:
    def reading(key: str, value: float) -> Reading:
        return Reading(key, key, (Figure("ratio", "r", value, "ratio"),), "ratio")

    return Computation([reading("two_years", ratio), reading("previous_step", previous)], "two_years")


@pytest.mark.parametrize(("ratio", "label"), [
    (0.50, "Mostly accurate"), (0.90, "Mostly accurate"),
    (0.901, "Misleading"), (1.0, "Misleading"), (1.099, "Misleading"),
    (1.10, "Inaccurate"), (1.5, "Inaccurate"),
])
def test_rule_boundaries_never_accurate(ratio, label):
    assert CLAIM.rule.apply(_comp(ratio)).label == label
