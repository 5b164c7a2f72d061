"""BTC-MINED-SHARE: share of the 21 million mined, from the schedule and an estimated block height."""

from datetime import UTC, date, datetime

import pytest

from generator.bitcoin import protocol
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
CLAIM = get("BTC-MINED-SHARE")
SUPPLY_AT_840000 = 210_000 * (50 + 25 + 12.5 + 6.25)


@pytest.fixture(scope="module")
def result(market):
    return evaluate(CLAIM, market, "publication", PUB)


def test_at_the_halving_the_share_is_exact_and_rounds_to_94(result):
    share = result.computation.figure("share_pct", "at_halving").value
    assert share == pytest.approx(SUPPLY_AT_840000 / 21_000_000 * 100)
    assert round(share) == 94
    assert result.computation.reading("at_halving").matches_article is True


def test_at_publication_the_estimated_height_adds_3_125_btc_a_block(result):
    p = protocol()
    last, before = p.halving_at(840_000), p.halving_at(630_000)
    per_day = 210_000 / ((last.block_time - before.block_time).total_seconds() / 86_400)
    end_of_pub_day = datetime(2026, 1, 24, tzinfo=UTC)
    blocks = int(840_000 + (end_of_pub_day - last.block_time).total_seconds() / 86_400 * per_day) - 840_000
    comp = result.computation
    assert comp.primary == "now_observed"
    assert comp.figure("height", "now_observed").value == 840_000 + blocks
    assert comp.figure("share_pct", "now_observed").value == pytest.approx(
        (SUPPLY_AT_840000 + blocks * 3.125) / 21_000_000 * 100)


def test_both_height_estimates_agree_to_a_few_hundredths_of_a_point(result):
    comp = result.computation
    observed = comp.figure("share_pct", "now_observed").value
    nominal = comp.figure("share_pct", "now_nominal").value
    assert abs(observed - nominal) < 0.05
    assert 95 < nominal < observed < 96  # past 94% by publication


def test_verdict_at_publication(result):
    # about 95.1%: more than half a point from 94%, within two points
    assert result.verdict.label == "Mostly accurate"


def _comp(share: float) -> Computation:
    reading = Reading("now_observed", "test", (Figure("share_pct", "s", share, "%"),), "share_pct")
    return Computation([reading], "now_observed")


@pytest.mark.parametrize(("share", "label"), [
    (94.0, "Accurate"), (94.5, "Accurate"), (93.5, "Accurate"),
    (94.6, "Mostly accurate"), (96.0, "Mostly accurate"), (92.0, "Mostly accurate"),
    (96.1, "Inaccurate"), (91.9, "Inaccurate"),
])
def test_rule_boundaries_in_percentage_points(share, label):
    assert CLAIM.rule.apply(_comp(share)).label == label


def test_publication_result_uses_no_later_dates(market, result):
    assert result.data_date == "2026-01-23"
    assert result.computation.evidence["date"].max().strftime("%Y-%m-%d") == "2026-01-23"
    latest = evaluate(CLAIM, market, "latest")
    assert latest.computation.figure("share_pct", "now_observed").value > result.computation.figure(
        "share_pct", "now_observed").value


@pytest.mark.parametrize(("share", "expected"), [(94.5, True), (93.5, True), (94.51, False), (93.49, False)])
def test_matches_is_the_half_point_band(share, expected):
    reading = Reading("r", "r", (Figure("share_pct", "s", share, "%"),), "share_pct")
    assert CLAIM.rule.matches(reading) is expected


def test_finding_at_the_publication_moment(market):
    from generator.article import PUBLISHED_AT
    from generator.formatting import format_value

    result = evaluate(CLAIM, market, "publication", PUBLISHED_AT)
    comp = result.computation
    share = comp.number("share_pct", comp.primary)
    assert comp.figure("share_pct", comp.primary).date == "2026-01-22"  # the last UTC day before noon Beijing
    assert format_value(share, "%") in result.finding and "22 Jan 2026" in result.finding
    assert f"{share - 94:.2f} points above the article's 94%" in result.finding
    assert format_value(comp.number("share_pct", "at_halving"), "%") in result.finding
    assert result.verdict.label == "Mostly accurate" and "Accurate under the reading" in result.verdict.reason
