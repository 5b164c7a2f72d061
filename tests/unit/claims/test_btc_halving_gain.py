"""BTC-HALVING-GAIN: the gain since the April 2024 halving, recomputed from the snapshot's BTC closes."""

from datetime import date, timedelta

import pandas as pd
import pytest

from generator.bitcoin import protocol
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-HALVING-GAIN")


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def price_at_halving_block(close: pd.Series) -> float:
    """Block 840,000 came minutes after midnight UTC, so the last close before it is the previous day's."""
    block_time = protocol().halving_at(840_000).block_time
    assert block_time.hour == 0
    return close[pd.Timestamp(block_time.date() - timedelta(days=1))]


def test_primary_gain_runs_from_the_close_before_the_block_to_the_publication_close(market, result):
    close = market.close("btc-usd")
    start = price_at_halving_block(close)
    end = close[close.index <= "2026-01-23"].iloc[-1]
    comp = result.computation
    assert comp.primary == "at_halving_block"
    assert comp.figure("start", "at_halving_block").value == pytest.approx(start)
    assert comp.figure("gain", "at_halving_block").value == pytest.approx((end / start - 1) * 100)
    assert 63_000 <= start < 64_000 and 89_000 < end < 90_000  # the article's two prices hold


def test_halving_day_close_reading_starts_a_day_later(market, result):
    close = market.close("btc-usd")
    start = close[pd.Timestamp("2024-04-20")]
    end = close[pd.Timestamp("2026-01-23")]
    assert result.computation.figure("gain", "halving_day_close").value == pytest.approx((end / start - 1) * 100)


def test_no_reading_gives_about_fifty_percent_not_even_the_articles_own_prices(result):
    comp = result.computation
    assert all(r.matches_article is False for r in comp.readings)
    assert comp.figure("implied_gain", "article_start").value == pytest.approx((90_000 / 63_000 - 1) * 100)


def test_verdict_at_publication(result):
    # about 40% against 'about 50%': outside the 5-point band, inside the 10-point band
    assert result.verdict.label == "Mostly accurate"


def test_latest_check_uses_the_latest_close_as_current(market):
    close = market.close("btc-usd")
    latest = evaluate(CLAIM, market, "latest")
    expected = (close.iloc[-1] / price_at_halving_block(close) - 1) * 100
    assert latest.computation.figure("gain", "at_halving_block").value == pytest.approx(expected)
    assert latest.computation.figure("end").date == close.index[-1].strftime("%Y-%m-%d")


def _with_gain(gain: float) -> Computation:
    reading = Reading("at_halving_block", "test", (Figure("gain", "Gain", gain, "%"),), "gain")
    return Computation([reading], "at_halving_block")


@pytest.mark.parametrize(("gain", "label"), [
    (50.0, "Accurate"), (55.0, "Accurate"), (45.0, "Accurate"),
    (55.5, "Mostly accurate"), (60.0, "Mostly accurate"), (40.0, "Mostly accurate"),
    (60.5, "Inaccurate"), (39.9, "Inaccurate"),
])
def test_rule_boundaries_in_percentage_points(gain, label):
    assert CLAIM.rule.apply(_with_gain(gain)).label == label


@pytest.mark.parametrize(("gain", "expected"), [(55.0, True), (45.0, True), (55.01, False), (44.99, False)])
def test_matches_is_the_accurate_band(gain, expected):
    reading = Reading("r", "r", (Figure("gain", "Gain", gain, "%"),), "gain")
    assert CLAIM.rule.matches(reading) is expected


def test_finding_at_publication_and_latest(market):
    from generator.article import PUBLISHED_AT
    from generator.formatting import format_value

    pub = evaluate(CLAIM, market, "publication", PUBLISHED_AT)
    comp = pub.computation
    gain = comp.number("gain", comp.primary)
    assert format_value(gain, "%") in pub.finding
    assert "(the last close before the article)" in pub.finding
    assert ("short of the article's 50%" in pub.finding) == (pub.verdict.label == "Mostly accurate")
    latest = evaluate(CLAIM, market, "latest")
    assert "(the last close before the article)" not in latest.finding
    assert format_value(latest.computation.number("gain", "at_halving_block"), "%") in latest.finding


def test_the_chart_marks_fifty_percent_above_the_halving_price(result):
    evidence = result.computation.evidence
    start = result.computation.number("start", "at_halving_block")
    assert list(evidence["plus_50_level"].unique()) == pytest.approx([start * 1.5])
