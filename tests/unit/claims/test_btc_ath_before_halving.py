"""BTC-ATH-BEFORE-HALVING: when each previous record fell, relative to the halvings, from the snapshot's bars."""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-ATH-BEFORE-HALVING")


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def first_above_cycle_top(series: pd.Series, previous_halving: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The top in the two years after ``previous_halving``, and the first later day above it."""
    start = pd.Timestamp(previous_halving)
    top_window = series[(series.index >= start) & (series.index <= start + pd.Timedelta(days=730))]
    top_day = top_window.idxmax()
    later = series[(series.index > top_day) & (series > top_window.max())]
    return top_day, later.index[0]


def test_the_2021_record_close_fell_in_march_2024_before_the_halving(market, result):
    top_day, broken = first_above_cycle_top(market.close("btc-usd"), "2020-05-11")
    assert top_day == pd.Timestamp("2021-11-08")
    comp = result.computation
    assert comp.figure("first_above", "close").value == broken.strftime("%Y-%m-%d")
    assert broken.strftime("%Y-%m") == "2024-03" and broken < pd.Timestamp("2024-04-20")
    assert comp.reading("close").matches_article is True


def test_the_intraday_record_fell_in_march_2024_too(market, result):
    _, broken = first_above_cycle_top(market.frame("btc-usd")["high"], "2020-05-11")
    assert result.computation.figure("first_above", "intraday").value == broken.strftime("%Y-%m-%d")
    assert broken.strftime("%Y-%m") == "2024-03"


def test_the_2017_record_fell_only_after_the_2020_halving(market, result):
    top_day, broken = first_above_cycle_top(market.close("btc-usd"), "2016-07-09")
    assert top_day.year == 2017
    assert result.computation.figure("first_above", "halving_2020").value == broken.strftime("%Y-%m-%d")
    assert broken > pd.Timestamp("2020-05-11")
    assert result.computation.reading("halving_2020").matches_article is True


def test_2012_and_2016_are_not_checkable_because_the_data_start_in_2014(market, result):
    assert market.close("btc-usd").index[0] > pd.Timestamp("2012-11-28")
    for key in ("halving_2012", "halving_2016"):
        assert result.computation.reading(key).matches_article is None
        assert result.computation.figure("first_above", key).value is None


def test_verdict_at_publication(result):
    # March 2024 and before the halving: right; 'first time': checked for 2020 only
    assert result.verdict.label == "Mostly accurate"


def _comp(date_ok: bool, after: int, before: int, unchecked: int) -> Computation:
    reading = Reading("close", "test", (Figure("first_above", "f", "2024-03-04", "date"),), "first_above")
    return Computation([reading], "close", context={"date_ok": date_ok, "earlier_after": after,
                                                    "earlier_before": before, "earlier_unchecked": unchecked})


@pytest.mark.parametrize(("date_ok", "after", "before", "unchecked", "label"), [
    (True, 3, 0, 0, "Accurate"),
    (True, 1, 0, 2, "Mostly accurate"),
    (True, 2, 1, 0, "Inaccurate"),
    (False, 3, 0, 0, "Inaccurate"),
])
def test_rule_cases(date_ok, after, before, unchecked, label):
    assert CLAIM.rule.apply(_comp(date_ok, after, before, unchecked)).label == label
