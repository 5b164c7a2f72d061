"""BTC-2020-RUN: BTC at the Russell 2000's 2020 breakout and at the top of that cycle, from the snapshot."""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-2020-RUN")


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def russell_breakout_after_the_2020_crash(rut: pd.Series) -> pd.Timestamp:
    """First close above the pre-crash all-time closing high, after the 2020 low."""
    trough = rut.loc["2020"].idxmin()
    record = rut[rut.index < trough].max()
    return rut[(rut.index > trough) & (rut > record)].index[0]


def test_start_is_btc_on_the_russell_breakout_day(market, result):
    day = russell_breakout_after_the_2020_crash(market.close("rut"))
    start = result.computation.figure("start", "at_russell_breakout")
    assert start.date == day.strftime("%Y-%m-%d")
    assert start.value == pytest.approx(market.close("btc-usd")[day])
    assert start.value > 12_500  # well over $10,000 by then


def test_cycle_top_close_and_intraday(market, result):
    day = russell_breakout_after_the_2020_crash(market.close("rut"))
    run = market.frame("btc-usd").loc[day:day + pd.Timedelta(days=730)]
    comp = result.computation
    assert comp.figure("top_close", "at_russell_breakout").value == pytest.approx(run["close"].max())
    assert comp.figure("top_close", "at_russell_breakout").date == run["close"].idxmax().strftime("%Y-%m-%d")
    assert comp.figure("top_high", "at_russell_breakout").value == pytest.approx(run["high"].max())
    assert run["high"].idxmax().strftime("%Y-%m") == "2021-11"
    assert abs(run["high"].max() / 69_000 - 1) < 0.05


def test_halving_reading_starts_below_10k(market, result):
    assert result.computation.figure("start", "at_2020_halving").value == pytest.approx(
        market.close("btc-usd")[pd.Timestamp("2020-05-11")])
    assert result.computation.figure("start", "at_2020_halving").value < 10_000


def test_verdict_at_publication(result):
    # top within 5% of $69,000; the start is over $10,000 but above $12,500, so understated
    assert result.verdict.label == "Mostly accurate"


def _comp(start: float, top: float) -> Computation:
    figures = (Figure("start", "s", start, "USD"), Figure("top_high", "t", top, "USD"))
    return Computation([Reading("at_russell_breakout", "test", figures, "start")], "at_russell_breakout")


@pytest.mark.parametrize(("start", "top", "label"), [
    (10_000.0, 69_000.0, "Accurate"),
    (12_499.0, 65_550.0, "Accurate"),          # top exactly 5% below
    (12_500.0, 69_000.0, "Mostly accurate"),   # start no longer 'a little over' 10k
    (11_000.0, 65_000.0, "Mostly accurate"),   # top 5.8% away
    (11_000.0, 62_100.0, "Mostly accurate"),   # top exactly 10% below
    (11_000.0, 62_000.0, "Inaccurate"),
    (9_999.0, 69_000.0, "Inaccurate"),         # not over $10,000
])
def test_rule_boundaries(start, top, label):
    assert CLAIM.rule.apply(_comp(start, top)).label == label
