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


@pytest.mark.parametrize(("start", "top", "expected"), [
    (10_000.0, 69_000.0, True), (12_499.0, 72_450.0, True), (11_000.0, 65_550.0, True),
    (12_500.0, 69_000.0, False),  # 'over $10,000' understated: not a reproduction
    (9_999.0, 69_000.0, False), (11_000.0, 72_451.0, False),
])
def test_matches_is_the_rules_accurate_case(start, top, expected):
    reading = Reading("r", "r", (Figure("start", "s", start, "USD"), Figure("top_high", "t", top, "USD")), "start")
    assert CLAIM.rule.matches(reading) is expected


def test_finding_at_the_publication_moment_states_the_start_and_top(market):
    from generator.article import PUBLISHED_AT
    from generator.formatting import format_value

    result = evaluate(CLAIM, market, "publication", PUBLISHED_AT)
    comp = result.computation
    start, top = comp.number("start", comp.primary), comp.number("top_high", comp.primary)
    assert format_value(start, "USD") in result.finding and format_value(top, "USD") in result.finding
    assert ("well above" in result.finding) == (start >= 12_500) == (result.verdict.label == "Mostly accurate")
    assert CLAIM.fixed_in_time


def test_the_institutions_reading_starts_on_microstrategys_first_purchase(market, result):
    """The day comes from the reference file; the start is BTC's close that day."""
    import json

    from generator.paths import REFERENCE_DIR

    fact = json.loads((REFERENCE_DIR / "bitcoin_institutional_buying.json").read_text())["microstrategy_first_purchase"]
    assert fact["url"].startswith("https://") and fact["source"] and fact["retrieved"]
    day = pd.Timestamp(fact["date"])
    comp = result.computation
    start = comp.number("start", "at_institutions_entry")
    assert start == pytest.approx(market.close("btc-usd")[day])
    assert comp.figure("start", "at_institutions_entry").date == fact["date"]
    # the reading's match and the verdict reason come from the same rule
    expected = 10_000 <= start < 12_500 and abs(comp.number("top_high", "at_institutions_entry") / 69_000 - 1) <= 0.05
    assert comp.reading("at_institutions_entry").matches_article is expected
    assert ("MicroStrategy" in result.verdict.reason) == expected


def test_the_grid_applies_the_rule_at_each_breakout_setting(market, result):
    from dataclasses import replace

    from generator.breakouts import DEFAULT_BREAKOUT, find_breakouts
    from generator.claims.btc_2020_run import run_label

    btc = market.frame("btc-usd")
    grid = result.computation.sensitivity
    assert [s.primary for s in grid] == [m == 12 for m in (3, 6, 12, 18)]
    for setting, months in zip(grid, (3, 6, 12, 18), strict=True):
        rule = replace(DEFAULT_BREAKOUT, min_months_below=months)
        day = next(b.date for b in find_breakouts(market.close("rut"), rule) if b.date.year == 2020)
        top = btc["high"].loc[day:day + pd.Timedelta(days=730)].max()
        assert setting.label == run_label(btc["close"][day], top)
        assert day.strftime("%Y-%m-%d") in setting.detail
