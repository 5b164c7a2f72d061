"""RUT-YTD-2026: the figures come from the snapshot's closes, recomputed here independently."""

import json

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_ytd_2026 import matches


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-YTD-2026"), market, "publication", PUBLISHED_AT)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("RUT-YTD-2026"), market, "latest")


def _base_and_seen(market) -> tuple[float, pd.Timestamp, float]:
    close = market.close("rut")
    base = close[close.index <= "2025-12-31"].iloc[-1]
    seen = market.cut(PUBLISHED_AT).close("rut")  # what the article could have seen
    return base, seen.index[-1], seen.iloc[-1]


def test_ytd_return_at_publication_is_the_last_visible_close_over_2025_year_end(market, result):
    base, day, last = _base_and_seen(market)
    expected = (last / base - 1) * 100
    figure = result.computation.figure("ytd_return", "close_at_publication")
    assert figure.value == pytest.approx(expected) and figure.date == day.strftime("%Y-%m-%d")
    assert result.computation.reading("close_at_publication").matches_article is bool(abs(expected - 9) <= 1)


def test_the_latest_evaluation_uses_the_same_close_and_adds_the_next_one_as_context(market, result, latest):
    base, day, _ = _base_and_seen(market)
    assert latest.computation.figure("ytd_return", "close_at_publication") == \
        result.computation.figure("ytd_return", "close_at_publication")
    close = market.close("rut")
    after = close[close.index > day]
    following = latest.computation.reading("next_close")
    assert following.matches_article is None
    assert following.headline_figure.value == pytest.approx((after.iloc[0] / base - 1) * 100)
    assert latest.verdict.label == result.verdict.label and get("RUT-YTD-2026").fixed_in_time


def test_first_close_above_2700_is_within_the_article_window(market, result):
    _, day, _ = _base_and_seen(market)
    close = market.close("rut")
    hits = close[(close.index >= "2026-01-01") & (close.index <= day) & (close > 2700)]
    expected = hits.index[0].strftime("%Y-%m-%d") if len(hits) else None
    assert result.computation.figure("first_close_above_2700").value == expected


def test_verdict_reason_readings_and_finding_agree(market, result):
    base, day, last = _base_and_seen(market)
    expected = (last / base - 1) * 100
    accurate = bool(abs(expected - 9) <= 1 and last > 2700)
    assert (result.verdict.label == "Accurate") is accurate
    matching = [r for r in result.computation.readings if r.matches_article]
    if result.computation.primary_reading.matches_article:
        assert result.verdict.reason.count("The main reading reproduces the article's figure") == 1
    for reading in matching:
        assert abs(reading.headline_figure.value - 9) <= 1
    assert f"{expected:.2f}%" in result.finding and f"{last:,.2f}" in result.finding
    assert "22 Jan 2026" in result.finding or day.strftime("%-d %b %Y") in result.finding


def _comp(ytd: float, closed: bool, traded: bool) -> Computation:
    reading = Reading("close_at_publication", "constructed", (Figure("ytd_return", "ytd", ytd, "%"),),
                      "ytd_return", False)
    return Computation([reading], "close_at_publication",
                       context={"closed_above_2700": closed, "high_above_2700": traded})


@pytest.mark.parametrize(("ytd", "closed", "traded", "label"), [
    (10.0, True, True, "Accurate"), (8.0, True, True, "Accurate"),            # 1 point either side: inside
    (10.01, True, True, "Mostly accurate"), (7.99, True, True, "Mostly accurate"),
    (11.5, True, True, "Mostly accurate"), (6.5, True, True, "Mostly accurate"),  # 2.5 points: inside
    (11.51, True, True, "Inaccurate"), (6.49, True, True, "Inaccurate"),
    (9.0, False, True, "Mostly accurate"),    # right return, but no close above 2,700
    (9.0, False, False, "Inaccurate"),        # never traded above 2,700
])
def test_rule_edges(ytd, closed, traded, label):
    assert get("RUT-YTD-2026").rule.apply(_comp(ytd, closed, traded)).label == label


@pytest.mark.parametrize(("ytd", "reproduces"), [(9.0, True), (10.0, True), (10.01, False), (7.99, False)])
def test_a_reading_reproduces_9_percent_within_one_point(ytd, reproduces):
    reading = Reading("any", "any", (Figure("ytd_return", "ytd", ytd, "%"),), "ytd_return", False)
    assert matches(reading) is reproduces


def test_chart_marks_2700_the_9_percent_level_and_the_last_close_before_the_article(market, result):
    evidence = result.computation.evidence
    base, _, _ = _base_and_seen(market)
    assert evidence["level_up_9pct"].tolist() == pytest.approx([base * 1.09] * len(evidence))
    spec = json.dumps(get("RUT-YTD-2026").chart(evidence).to_dict())
    assert "2,700" in spec and "the article's figure" in spec and "last close before the article" in spec
