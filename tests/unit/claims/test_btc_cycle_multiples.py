"""BTC-CYCLE-MULTIPLES: earlier halving cycles over the same number of days, from the snapshot's BTC bars."""

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.calendars import last_visible_day
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = PUBLISHED_AT
CLAIM = get("BTC-CYCLE-MULTIPLES")
LAST = pd.Timestamp(last_visible_day("crypto", PUBLISHED_AT))  # the last UTC-day bar closed before the article
DAYS = (LAST - pd.Timestamp("2024-04-20")).days
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
    for year in (2016, 2020):
        end = pd.Timestamp(HALVINGS[year]) + pd.Timedelta(days=DAYS)
        figure = result.computation.figure(f"multiple_{year}", "point")
        assert figure.value == pytest.approx(close[end] / base(close, year))
        assert figure.date == end.strftime("%Y-%m-%d")
    assert result.computation.context["current_multiple"] == pytest.approx(close[LAST] / base(close, 2024))


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
    assert all(r.matches_article is False for r in comp.readings)
    assert round(comp.figure("multiple_2016", "peak_close").value) == 30  # the cycle top, not 27x


def test_verdict_at_publication_is_inaccurate_and_the_finding_says_why(result):
    # the contrast holds (12x and 5x vs 1.4x now), but 27x is more than twice the 2016 cycle's 12x
    comp = result.computation
    m2016, m2020 = comp.number("multiple_2016", "point"), comp.number("multiple_2020", "point")
    assert result.verdict.label == "Inaccurate"
    assert f"{m2016:.1f}x" in result.verdict.reason and "No reading reproduces" in result.verdict.reason
    assert result.finding.startswith(f"Over the same {DAYS} days")
    assert "5x matches the 2020 cycle" in result.finding
    assert f"the 2016 cycle gained {m2016:.1f}x, not 27x" in result.finding
    assert f"{m2020:.1f}x in the 2020 cycle" in result.finding


def test_the_2012_halving_is_stated_as_outside_the_data(market, result):
    first = market.close("btc-usd").index[0].strftime("%Y-%m-%d")
    if first > "2012-11-28":
        assert any("2012" in note and first in note for note in result.computation.notes)
        assert "point_2012_2016" not in [r.key for r in result.computation.readings]


def yahoo_part(market) -> pd.DataFrame:
    """The BTC bars from Yahoo's first day on (so the test works whether or not older prices are spliced in)."""
    return market.frame("btc-usd").loc["2014-09-17":]


def _spliced(market, early: pd.DataFrame):
    from generator.market import MarketData

    frames = dict(market.frames)
    frames["btc-usd"] = pd.concat([early, yahoo_part(market)]).sort_index()
    return MarketData(frames, market.manifests, market.datasets)


def test_older_prices_add_the_2012_cycle_when_present(market):
    """With prices back to 2012 (a made-up flat-then-rising path), the 2012 cycle is shown and read."""
    btc = yahoo_part(market)
    days = pd.date_range("2012-01-01", btc.index[0] - pd.Timedelta(days=1), freq="D")
    price = pd.Series(range(1, len(days) + 1), index=days, dtype=float) / 10
    early = pd.DataFrame({c: price for c in btc.columns if c != "volume"}, index=days)
    early["volume"] = 0.0
    comp = evaluate(CLAIM, _spliced(market, early[btc.columns]), "publication", PUB).computation
    reading = comp.reading("point_2012_2016")
    base_day = pd.Timestamp("2012-11-28")  # block 210,000 at 15:24 UTC: the day's own close is nearest
    expected = price[base_day + pd.Timedelta(days=DAYS)] / price[base_day]
    assert comp.number("multiple_2012", "point_2012_2016") == pytest.approx(expected)
    assert reading.matches_article is False
    assert set(comp.evidence["cycle"]) == {"2012 halving", "2016 halving", "2020 halving", "2024 halving"}


def _comp(point: tuple[float, float], other: tuple[float, float], current: float = 1.4) -> Computation:
    def reading(key: str, pair: tuple[float, float]) -> Reading:
        figures = (Figure("multiple_2016", "a", pair[0], "x"), Figure("multiple_2020", "b", pair[1], "x"))
        return Reading(key, key, figures, "multiple_2016", False)

    return Computation([reading("point", point), reading("peak_close", other)], "point",
                       context={"current_multiple": current, "days": 600})


@pytest.mark.parametrize(("point", "label"), [
    ((27.0, 5.0), "Accurate"),
    ((29.7, 4.5), "Accurate"),          # both exactly 10% off: the edge is inclusive
    ((5.5, 24.3), "Accurate"),          # either order
    ((29.8, 5.0), "Mostly accurate"),   # 27x just outside 10%
    ((27.0, 5.51), "Mostly accurate"),  # 5x just outside 10%
    ((33.75, 3.75), "Mostly accurate"),  # both 25% off
    ((33.8, 5.0), "Inaccurate"),        # 27x just outside 25%
    ((12.0, 4.9), "Inaccurate"),        # the publication case: 27x is 55% off
    ((27.0, 1.4), "Inaccurate"),        # figures right but 2020 did no better than now
])
def test_rule_at_its_edges(point, label):
    assert CLAIM.rule.apply(_comp(point, (1.0, 1.0))).label == label


@pytest.mark.parametrize(("pair", "expected"), [((27.0, 5.0), True), ((29.7, 4.5), True), ((29.8, 5.0), False)])
def test_matches_uses_the_accurate_band(pair, expected):
    reading = _comp(pair, pair).readings[0]
    assert CLAIM.rule.matches(reading) is expected
