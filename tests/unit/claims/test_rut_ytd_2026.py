"""RUT-YTD-2026: the figures come from the snapshot's closes, recomputed here independently."""

from datetime import date

import pytest

from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-YTD-2026"), market, "publication", PUB)


def test_ytd_return_at_publication_is_close_over_2025_year_end(market, result):
    close = market.close("rut")
    base = close[close.index <= "2025-12-31"].iloc[-1]
    at_pub = close[close.index <= "2026-01-23"].iloc[-1]
    expected = (at_pub / base - 1) * 100
    assert result.computation.figure("ytd_return", "close_at_publication").value == pytest.approx(expected)
    assert 7 < expected < 8  # the article's 9% is not the close-to-close figure


def test_peak_close_reading_is_the_one_that_gives_nine_percent(market, result):
    close = market.close("rut")
    base = close[close.index <= "2025-12-31"].iloc[-1]
    jan = close["2026-01-01":"2026-01-23"]
    assert result.computation.figure("ytd_return", "peak_close").value == pytest.approx((jan.max() / base - 1) * 100)
    assert result.computation.reading("peak_close").matches_article is True
    assert result.computation.reading("close_at_publication").matches_article is False


def test_first_close_above_2700(market, result):
    close = market.close("rut")
    first = close[(close.index >= "2026-01-01") & (close > 2700)].index[0]
    assert result.computation.figure("first_close_above_2700").value == first.strftime("%Y-%m-%d")


def test_verdict_at_publication(result):
    # 7.5% is 1.5 points from 9%: outside the 1-point band, inside the 2.5-point band
    assert result.verdict.label == "Mostly accurate"
