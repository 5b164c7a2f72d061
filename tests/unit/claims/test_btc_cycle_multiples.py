"""BTC-CYCLE-MULTIPLES: earlier halving cycles over the same number of days, from the snapshot's BTC bars."""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-CYCLE-MULTIPLES")
DAYS = (pd.Timestamp("2026-01-23") - pd.Timestamp("2024-04-20")).days
# The halving blocks came at 16:46 UTC (2016), 19:23 UTC (2020) and 00:09 UTC (2024): the nearest daily
# close is the halving day's own for 2016 and 2020, and the previous day's for 2024.
BASE_DAYS = {2016: "2016-07-09", 2020: "2020-05-11", 2024: "2024-04-19"}
HALVINGS = {2016: "2016-07-09", 2020: "2020-05-11", 2024: "2024-04-20"}


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def base(close: pd.Series, year: int) -> float:
    return close[pd.Timestamp(BASE_DAYS[year])]


def test_same_number_of_days_multiples(market, result):
    close = market.close("btc-usd")
    assert result.computation.context["days"] == DAYS
    for year in (2016, 2020, 2024):
        end = pd.Timestamp(HALVINGS[year]) + pd.Timedelta(days=DAYS)
        figure = result.computation.figure(f"multiple_{year}", "point")
        assert figure.value == pytest.approx(close[end] / base(close, year))
        assert figure.date == end.strftime("%Y-%m-%d")


def test_peak_within_the_window_by_close_and_by_intraday_high(market, result):
    btc = market.frame("btc-usd")
    for year in (2016, 2020):
        span = btc.loc[HALVINGS[year]:pd.Timestamp(HALVINGS[year]) + pd.Timedelta(days=DAYS)]
        assert result.computation.figure(f"multiple_{year}", "peak_close").value == pytest.approx(
            span["close"].max() / base(btc["close"], year))
        assert result.computation.figure(f"multiple_{year}", "peak_high").value == pytest.approx(
            span["high"].max() / base(btc["close"], year))


def test_five_x_is_the_2020_same_day_multiple_and_nothing_gives_27x(result):
    comp = result.computation
    assert round(comp.figure("multiple_2020", "point").value) == 5
    assert round(comp.figure("multiple_2016", "point").value) == 12
    assert comp.context["reproduced_5x"] is True
    assert comp.context["reproduced_27x"] is False
    assert all(r.matches_article is False for r in comp.readings)
    assert round(comp.figure("multiple_2016", "peak_close").value) == 30  # the cycle top, not 27x


def test_verdict_at_publication(result):
    # the comparison holds (12x and 5x vs 1.4x now), but no reading reproduces 27x
    assert result.verdict.label == "Misleading"


def test_the_2012_halving_is_stated_as_outside_the_data(market, result):
    first = market.close("btc-usd").index[0].strftime("%Y-%m-%d")
    assert any("2012" in note and first in note for note in result.computation.notes)


def _comp(point: tuple[float, float], other: tuple[float, float], current: float = 1.4) -> Computation:
    def reading(key: str, pair: tuple[float, float]) -> Reading:
        figures = (Figure("multiple_2016", "a", pair[0], "x"), Figure("multiple_2020", "b", pair[1], "x"))
        return Reading(key, key, figures, "multiple_2016", sorted(round(v) for v in pair) == [5, 27])

    found = {claimed: any(claimed in (round(a), round(b)) for a, b in (point, other)) for claimed in (5, 27)}
    return Computation([reading("point", point), reading("peak_close", other)], "point",
                       context={"current_multiple": current, "reproduced_5x": found[5],
                                "reproduced_27x": found[27]})


@pytest.mark.parametrize(("point", "other", "label"), [
    ((26.6, 5.4), (30.0, 8.0), "Accurate"),         # rounds to 27 and 5 on the same-day reading
    ((12.0, 4.9), (27.4, 4.5), "Mostly accurate"),  # another single reading gives both
    ((12.0, 4.9), (27.0, 8.0), "Mostly accurate"),  # each figure somewhere
    ((12.0, 4.9), (30.0, 8.0), "Misleading"),       # 27x nowhere, comparison holds
    ((12.0, 1.4), (27.0, 5.0), "Inaccurate"),       # 2020 no better than now on the same-day reading
])
def test_rule_cases(point, other, label):
    assert CLAIM.rule.apply(_comp(point, other)).label == label


def test_multiples_round_half_up_and_in_either_order():
    from generator.claims.btc_cycle_multiples import rounded_pair

    assert rounded_pair(26.5, 4.5) == [5, 27]
    assert rounded_pair(4.49, 27.49) == [4, 27]
