"""BTC-INFLATION: the fourth halving's effect on supply growth, recomputed from the schedule by hand."""

from datetime import date

import pytest

from generator.bitcoin import protocol
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-INFLATION")
SUPPLY_AT_840000 = 210_000 * (50 + 25 + 12.5 + 6.25)  # four full epochs of subsidies


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def test_target_rate_reading_is_a_year_of_144_blocks_over_the_supply(result):
    comp = result.computation
    assert comp.primary == "target_rate"
    assert comp.figure("supply_btc", "target_rate").value == SUPPLY_AT_840000
    assert comp.figure("before_pct", "target_rate").value == pytest.approx(6.25 * 144 * 365 / SUPPLY_AT_840000 * 100)
    assert comp.figure("after_pct", "target_rate").value == pytest.approx(3.125 * 144 * 365 / SUPPLY_AT_840000 * 100)


def test_observed_rate_reading_uses_the_2020_to_2024_block_rate(result):
    p = protocol()
    spent = p.halving_at(840_000).block_time - p.halving_at(630_000).block_time
    per_day = 210_000 / (spent.total_seconds() / 86_400)
    after = result.computation.figure("after_pct", "observed_rate").value
    assert after == pytest.approx(3.125 * per_day * 365 / SUPPLY_AT_840000 * 100)
    assert after == pytest.approx(0.85, abs=0.005)  # the faster block rate is what rounds to 0.85%


def test_both_readings_match_the_article_and_the_verdict_is_accurate(result):
    comp = result.computation
    assert comp.reading("target_rate").matches_article is True
    assert comp.reading("observed_rate").matches_article is True
    assert result.verdict.label == "Accurate"


def test_context_reading_at_the_evaluation_date_is_lower_still(result):
    now = result.computation.reading("at_evaluation_date")
    assert now.matches_article is None
    assert now.headline_figure.date == "2026-01-23"
    assert now.headline_figure.value < result.computation.figure("after_pct", "target_rate").value


def _comp(before: float, after: float) -> Computation:
    figures = (Figure("before_pct", "b", before, "percent"), Figure("after_pct", "a", after, "percent"))
    return Computation([Reading("target_rate", "test", figures, "after_pct")], "target_rate")


@pytest.mark.parametrize(("before", "after", "label"), [
    (1.7, 0.85, "Accurate"),
    (1.65, 0.80, "Accurate"),          # both exactly 0.05 points off
    (1.64, 0.85, "Mostly accurate"),   # the larger gap decides
    (1.7, 0.70, "Mostly accurate"),    # exactly 0.15 points off
    (1.7, 0.69, "Inaccurate"),
    (1.9, 0.85, "Inaccurate"),
])
def test_rule_boundaries_on_the_larger_gap(before, after, label):
    assert CLAIM.rule.apply(_comp(before, after)).label == label


def test_publication_result_uses_no_later_dates(result):
    assert result.data_date == "2026-01-23"
    assert result.computation.evidence["date"].max().strftime("%Y-%m-%d") == "2026-01-23"


@pytest.mark.parametrize(("before", "after", "expected"), [
    (1.75, 0.85, True), (1.65, 0.80, True), (1.7501, 0.85, False), (1.7, 0.9001, False),
])
def test_matches_needs_both_rates_in_the_accurate_band(before, after, expected):
    reading = Reading("r", "r", (Figure("after_pct", "a", after, "percent"),
                                 Figure("before_pct", "b", before, "percent")), "after_pct")
    assert CLAIM.rule.matches(reading) is expected


def test_finding_states_both_rates_and_agrees_with_the_verdict(result):
    from generator.formatting import format_value

    comp = result.computation
    before, after = comp.number("before_pct", "target_rate"), comp.number("after_pct", "target_rate")
    assert format_value(before, "percent") in result.finding and format_value(after, "percent") in result.finding
    assert ("as the article says" in result.finding) == (result.verdict.label == "Accurate")
    assert CLAIM.fixed_in_time
