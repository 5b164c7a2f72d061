"""BTC-NOV-2024: BTC near (body) or at (summary) $100,000 in November 2024, from the snapshot's BTC bars."""

from datetime import date

import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-NOV-2024")


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def test_november_peak_close_is_just_under_100k(market, result):
    nov = market.frame("btc-usd").loc["2024-11-01":"2024-11-30"]
    comp = result.computation
    assert comp.primary == "november_peak_close"
    assert comp.figure("price", "november_peak_close").value == pytest.approx(nov["close"].max())
    assert comp.figure("price", "november_peak_close").date == nov["close"].idxmax().strftime("%Y-%m-%d")
    assert comp.figure("distance", "november_peak_close").value == pytest.approx(
        (nov["close"].max() / 100_000 - 1) * 100)
    assert comp.figure("price", "november_peak_high").value == pytest.approx(nov["high"].max())
    assert nov["high"].max() < 100_000  # not even intraday in November


def test_first_days_at_or_above_100k_are_in_december(market, result):
    btc = market.frame("btc-usd")
    first_close = btc.index[btc["close"] >= 100_000][0]
    first_high = btc.index[btc["high"] >= 100_000][0]
    comp = result.computation
    assert comp.figure("first_close_100k").value == first_close.strftime("%Y-%m-%d")
    assert comp.figure("first_high_100k").value == first_high.strftime("%Y-%m-%d")
    assert first_high.month == 12 and first_high.year == 2024
    assert comp.reading("reached_100k").matches_article is False


def test_btc_on_the_day_the_russell_first_traded_above_its_2021_high(market, result):
    rut_high = market.frame("rut")["high"]
    record = rut_high.loc["2021"].max()
    day = rut_high[(rut_high.index > "2021-12-31") & (rut_high > record)].index[0]
    figure = result.computation.figure("price", "at_russell_break")
    assert figure.date == day.strftime("%Y-%m-%d")
    assert figure.value == pytest.approx(market.close("btc-usd")[day])


def test_verdict_body_accurate_summary_inaccurate_gives_mostly_accurate(result):
    assert result.verdict.label == "Mostly accurate"
    assert "summary" in result.verdict.reason and "Inaccurate" in result.verdict.reason


def test_a_fixed_past_moment_gives_the_same_figures_at_both_dates(market, result):
    latest = evaluate(CLAIM, market, "latest")
    assert latest.computation.readings == result.computation.readings


def _comp(peak_close: float, first_close: str | None, first_high: str | None) -> Computation:
    distance = (peak_close / 100_000 - 1) * 100
    reading = Reading("november_peak_close", "test", (Figure("distance", "d", distance, "%"),), "distance")
    return Computation([reading], "november_peak_close",
                       context={"first_close_100k": first_close, "first_high_100k": first_high})


@pytest.mark.parametrize(("peak", "first_close", "first_high", "label"), [
    # body Accurate (within 5%) and the summary true (a close >= 100k by 30 Nov)
    (95_000.0, "2024-11-30", "2024-11-29", "Accurate"),
    # body Accurate, summary only intraday by 30 Nov: Mostly accurate summary does not lower the verdict
    (95_000.0, "2024-12-01", "2024-11-30", "Accurate"),
    # body Accurate, summary Inaccurate (nothing by 30 Nov): lowered to Mostly accurate
    (99_999.0, "2024-12-08", "2024-12-05", "Mostly accurate"),
    (105_000.0, None, None, "Mostly accurate"),
    # body just outside 5%: Mostly accurate whatever the summary
    (94_999.0, "2024-11-10", "2024-11-10", "Mostly accurate"),
    (90_000.0, "2024-12-08", "2024-12-05", "Mostly accurate"),
    # body beyond 10%
    (89_999.0, "2024-12-08", "2024-12-05", "Inaccurate"),
])
def test_rule_boundaries(peak, first_close, first_high, label):
    assert CLAIM.rule.apply(_comp(peak, first_close, first_high)).label == label


@pytest.mark.parametrize(("figures", "expected"), [
    ((Figure("distance", "d", -5.0, "%"),), True), ((Figure("distance", "d", 5.0, "%"),), True),
    ((Figure("distance", "d", -5.01, "%"),), False),
    ((Figure("first_high_100k", "h", "2024-11-20", "date"), Figure("first_close_100k", "c", "2024-11-30", "date")),
     True),
    ((Figure("first_high_100k", "h", "2024-11-20", "date"), Figure("first_close_100k", "c", "2024-12-01", "date")),
     False),  # traded there in November but did not close there: the summary's 'reached' is not reproduced
])
def test_matches_at_its_edges(figures, expected):
    assert CLAIM.rule.matches(Reading("r", "r", figures, figures[0].key)) is expected


def test_finding_names_the_november_peak_and_the_first_day_at_100k(market):
    import pandas as pd

    from generator.article import PUBLISHED_AT
    from generator.formatting import format_value

    result = evaluate(CLAIM, market, "publication", PUBLISHED_AT)
    btc = market.frame("btc-usd")
    november = btc.loc["2024-11-01":"2024-11-30", "close"]
    first_high = btc.index[btc["high"] >= 100_000][0]
    assert format_value(float(november.max()), "USD") in result.finding
    assert f"{november.idxmax():%-d %b %Y}" in result.finding
    assert f"{first_high:%-d %b %Y}" in result.finding
    assert ("overstates" in result.finding) == (first_high > pd.Timestamp("2024-11-30"))
    assert CLAIM.fixed_in_time
