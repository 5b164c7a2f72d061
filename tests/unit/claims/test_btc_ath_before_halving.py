"""BTC-ATH-BEFORE-HALVING: when each previous record fell, relative to the halvings, and the comparison behind
the article's explanation, from the snapshot's bars."""

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.calendars import last_visible_day
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.market import MarketData

CLAIM = get("BTC-ATH-BEFORE-HALVING")
HALVINGS = {2012: "2012-11-28", 2016: "2016-07-09", 2020: "2020-05-11", 2024: "2024-04-20"}
LAST = pd.Timestamp(last_visible_day("crypto", PUBLISHED_AT))


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUBLISHED_AT)


def record_and_break(series: pd.Series, halving: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The record standing a year before ``halving``, and the first later day above it."""
    before = series[series.index <= pd.Timestamp(halving) - pd.Timedelta(days=365)]
    record_day = before.idxmax()
    later = series[(series.index > record_day) & (series > before.max())]
    return record_day, later.index[0]


def test_the_2021_record_close_fell_in_march_2024_before_the_halving(market, result):
    record_day, broken = record_and_break(market.close("btc-usd"), HALVINGS[2024])
    assert record_day == pd.Timestamp("2021-11-08")
    comp = result.computation
    assert comp.figure("first_above", "close").value == broken.strftime("%Y-%m-%d")
    assert broken.strftime("%Y-%m") == "2024-03" and broken < pd.Timestamp(HALVINGS[2024])
    assert comp.reading("close").matches_article is True


def test_the_intraday_record_fell_in_march_2024_too(market, result):
    _, broken = record_and_break(market.frame("btc-usd")["high"], HALVINGS[2024])
    assert result.computation.figure("first_above", "intraday").value == broken.strftime("%Y-%m-%d")
    assert result.computation.reading("intraday").matches_article is True


def test_the_2017_record_fell_only_after_the_2020_halving(market, result):
    record_day, broken = record_and_break(market.close("btc-usd"), HALVINGS[2020])
    assert record_day.year == 2017
    comp = result.computation
    assert comp.context["record_beaten_2020"] == broken.strftime("%Y-%m-%d")
    days_after = (broken - pd.Timestamp(HALVINGS[2020])).days
    assert days_after > 0
    assert any(f"first beaten on {broken:%Y-%m-%d}, {days_after} days after the halving" in n for n in comp.notes)


def test_a_record_at_the_first_day_of_the_data_is_not_taken_for_the_real_one(market, result):
    """Before the 2016 halving the highest close in Yahoo's series is on its first day: the real record (Dec
    2013) may lie before the data, so that halving is not checked."""
    close = market.close("btc-usd")
    if close.index[0] > pd.Timestamp("2013-01-01"):
        assert result.computation.context["record_beaten_2016"] is None
        assert result.computation.context["record_beaten_2012"] is None
        assert result.computation.context["earlier_unchecked"] == 2


def test_verdict_and_finding_at_publication(result):
    comp = result.computation
    assert result.verdict.label == ("Mostly accurate" if comp.context["earlier_unchecked"] or
                                    not comp.context["consistent"] else "Accurate")
    first = pd.Timestamp(comp.text("first_above", "close"))
    assert f"{first:%-d %b %Y}" in result.finding
    assert f"{(pd.Timestamp(HALVINGS[2024]) - first).days} days before the 2024 halving" in result.finding


def test_a_claim_of_cause_shows_its_comparison_and_grid(market, result):
    comp = result.computation
    assert CLAIM.kind == "signal" and comp.comparison is not None
    import json

    from generator.paths import REFERENCE_DIR

    filing = json.loads((REFERENCE_DIR / "bitcoin_etf_expectations.json").read_text())["blackrock_spot_etf_filing"]
    assert filing["url"].startswith("https://") and filing["source"] and filing["retrieved"]
    close = market.close("btc-usd")
    span = (pd.Timestamp(HALVINGS[2024]) - pd.Timestamp(filing["date"])).days
    base = close[pd.Timestamp("2024-04-19")]  # block 840,000 came minutes after that bar closed
    expected_before = (base / close[pd.Timestamp(filing["date"])] - 1) * 100
    figures = {f.key: f.value for f in comp.comparison.figures}
    assert figures["before_2024"] == pytest.approx(expected_before)
    assert figures["after_2024"] == pytest.approx(close[LAST] / base)
    assert len(comp.sensitivity) == 3 and sum(s.primary for s in comp.sensitivity) == 1
    assert f"{span} days" in comp.sensitivity[0].parameter and comp.sensitivity[0].primary


def test_the_comparison_window_is_fixed_so_the_latest_data_cannot_move_it(market, result):
    latest = evaluate(CLAIM, market, "latest")
    assert latest.computation.comparison == result.computation.comparison
    assert CLAIM.fixed_in_time


def test_older_prices_make_2012_and_2016_checkable(market):
    """A made-up early path: a peak a year and a half before each earlier halving, broken after it."""
    btc = market.frame("btc-usd").loc["2014-09-17":]  # Yahoo's part, whether or not older prices exist
    days = pd.date_range("2010-07-01", btc.index[0] - pd.Timedelta(days=1), freq="D")
    price = pd.Series(1.0, index=days)
    price[(days >= "2011-05-01") & (days <= "2011-06-30")] = 30.0   # the 2011 record
    price[days >= "2012-06-01"] = 10.0
    price[days >= "2013-02-20"] = 31.0                                # broken after the 2012 halving
    price[(days >= "2013-11-01") & (days <= "2013-12-31")] = 1_200.0  # the 2013 record
    price[days >= "2014-01-01"] = 450.0
    early = pd.DataFrame({c: price for c in btc.columns}, index=days.rename(btc.index.name))
    frames = dict(market.frames)
    frames["btc-usd"] = pd.concat([early, btc])
    comp = evaluate(CLAIM, MarketData(frames, market.manifests, market.datasets), "publication",
                    PUBLISHED_AT).computation
    assert comp.context["record_beaten_2012"] == "2013-02-20"
    assert comp.context["earlier_unchecked"] == 0
    assert comp.context["earlier_before"] == 0


def _comp(date_ok: bool, after: int, before: int, unchecked: int, consistent: bool = False) -> Computation:
    reading = Reading("close", "test", (Figure("first_above", "f", "2024-03-04", "date"),
                                         Figure("days_from_halving", "d", -47, "days")), "first_above")
    return Computation([reading], "close", context={"date_ok": date_ok, "earlier_after": after,
                                                    "earlier_before": before, "earlier_unchecked": unchecked,
                                                    "consistent": consistent})


@pytest.mark.parametrize(("date_ok", "after", "before", "unchecked", "consistent", "label"), [
    (True, 3, 0, 0, True, "Accurate"),          # fact fully checked, 2024 stands out on both counts
    (True, 3, 0, 0, False, "Mostly accurate"),  # fact fully checked, cause not singled out
    (True, 1, 0, 2, True, "Mostly accurate"),   # two earlier halvings before the data
    (True, 2, 1, 0, True, "Inaccurate"),        # an earlier record also fell before its halving
    (False, 3, 0, 0, True, "Inaccurate"),       # not March 2024 or not before the halving
])
def test_rule_cases(date_ok, after, before, unchecked, consistent, label):
    assert CLAIM.rule.apply(_comp(date_ok, after, before, unchecked, consistent)).label == label


@pytest.mark.parametrize(("day", "offset", "expected"), [
    ("2024-03-04", -47, True), ("2024-03-31", -20, True), ("2024-04-01", -19, False),
    ("2024-02-29", -51, False), ("2024-03-04", 0, False),
])
def test_matches_needs_march_2024_and_before_the_halving(day, offset, expected):
    reading = Reading("close", "t", (Figure("first_above", "f", day, "date"),
                                     Figure("days_from_halving", "d", offset, "days")), "first_above")
    assert CLAIM.rule.matches(reading) is expected


def test_singles_out_needs_both_the_largest_rise_before_and_the_smallest_gain_after():
    from generator.claims.btc_ath_before_halving import CycleRun, singles_out

    earlier = [CycleRun(2016, 50.0, 12.0), CycleRun(2020, -8.0, 4.9)]
    assert singles_out([*earlier, CycleRun(2024, 51.0, 1.4)])
    assert not singles_out([*earlier, CycleRun(2024, 50.0, 1.4)])  # a tie is not standing out
    assert not singles_out([*earlier, CycleRun(2024, 60.0, 4.9)])
    assert not singles_out([CycleRun(2024, 60.0, 1.4)])            # nothing to compare with


@pytest.mark.parametrize(("low", "checkable"), [(50.0, True), (50.01, False)])
def test_a_record_counts_only_if_the_data_show_the_climb_to_it(low, checkable):
    """The record must be preceded in the data by a price at most half of it (edge inclusive)."""
    from generator.bitcoin import protocol
    from generator.claims.btc_ath_before_halving import first_break

    halving = protocol().halvings[1]  # 2016-07-09
    days = pd.date_range("2014-01-01", "2017-12-31", freq="D")
    price = pd.Series(60.0, index=days)
    price[days[0]] = low
    price[days == pd.Timestamp("2014-06-01")] = 100.0  # the record, a year and more before the halving
    price[days >= pd.Timestamp("2017-01-05")] = 101.0  # broken after the halving
    found = first_break(price, halving)
    assert (found is not None) is checkable
    if found is not None:
        assert found.record_day == pd.Timestamp("2014-06-01") and found.day == pd.Timestamp("2017-01-05")
        assert found.days_from_halving == (pd.Timestamp("2017-01-05") - pd.Timestamp("2016-07-09")).days


def test_a_record_on_the_first_day_of_the_data_is_not_checkable():
    from generator.bitcoin import protocol
    from generator.claims.btc_ath_before_halving import first_break

    days = pd.date_range("2014-09-17", "2017-12-31", freq="D")
    price = pd.Series(300.0, index=days)
    price[days[0]] = 457.0
    assert first_break(price, protocol().halvings[1]) is None
