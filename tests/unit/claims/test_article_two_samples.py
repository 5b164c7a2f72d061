"""ARTICLE-TWO-SAMPLES (opinion): the context figures, re-derived with plain pandas.

A BTC rally from a day = some close within the next 12 calendar months at least double that day's close.
"""


import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.article_two_samples import chance_at_least, month_ends

PUB = PUBLISHED_AT


def rallied_by_pandas(btc: pd.Series) -> pd.Series:
    """For each day whose 12-month window ends by the last date: did BTC double within it?"""
    out = {}
    for day, start in btc.items():
        end = day + pd.DateOffset(months=12)
        if end > btc.index[-1]:
            break
        out[day] = btc[(btc.index > day) & (btc.index <= end)].max() >= 2 * start
    return pd.Series(out)


@pytest.fixture(scope="module")
def publication(market):
    return evaluate(get("ARTICLE-TWO-SAMPLES"), market, "publication", PUB)


@pytest.fixture(scope="module")
def btc_at_publication(market):
    return market.cut(PUBLISHED_AT).close("btc-usd")


@pytest.fixture(scope="module")
def rallied(btc_at_publication):
    """``rallied_by_pandas`` at publication, derived once for the module (a day-by-day loop, about a second)."""
    return rallied_by_pandas(btc_at_publication)


def test_the_base_rate_is_the_share_of_days_btc_doubled_within_a_year(publication, rallied):
    expected = rallied
    comp = publication.computation
    assert comp.figure("days", "base_rate").value == len(expected)
    assert comp.figure("base_rate_days", "base_rate").value == pytest.approx(expected.mean() * 100)
    ends = expected.groupby(expected.index.to_period("M")).tail(1)
    assert comp.figure("base_rate_months", "base_rate").value == pytest.approx(ends.mean() * 100)
    assert 40 < expected.mean() * 100 < 70  # BTC doubled within a year from about half of all days


def test_sample_size_is_the_breakouts_inside_btc_history(market, publication, btc_at_publication, rallied):
    close = market.close("rut")
    close = close[close.index <= "2026-01-23"]
    records = close[close > close.cummax().shift(1).fillna(-1.0)]
    gaps = records.index.to_series().shift(1)
    breakouts = [d for d, prev in gaps.items()
                 if pd.notna(prev) and d >= prev + pd.DateOffset(months=12) and d >= btc_at_publication.index[0]]
    decided = [d for d in breakouts if d in rallied.index]  # complete windows (none still open has rallied yet)
    comp = publication.computation
    assert comp.figure("breakouts_with_btc", "n12").value == len(breakouts)
    assert [d.year for d in breakouts][:2] == [2016, 2020]
    assert comp.figure("decided", "n12").value == len(decided)
    assert comp.figure("rallies", "n12").value == int(rallied[decided].sum())
    assert comp.figure("share_after_breakouts", "n12").value == pytest.approx(rallied[decided].mean() * 100)


def test_a_looser_rule_adds_breakouts_without_a_rally(publication):
    comp = publication.computation
    decided = comp.figure("decided", "n6").value
    rallies = comp.figure("rallies", "n6").value
    assert decided > rallies
    assert comp.figure("share_after_breakouts", "n6").value == pytest.approx(rallies / decided * 100)


def test_the_chance_of_two_hits_at_the_base_rate(publication):
    comp = publication.computation
    p = comp.figure("base_rate_days", "base_rate").value / 100
    assert comp.figure("chance_at_base_rate", "n12").value == pytest.approx(p**2 * 100)


def test_chance_at_least_boundaries():
    assert chance_at_least(0, 3, 0.4) == pytest.approx(100.0)
    assert chance_at_least(3, 3, 0.5) == pytest.approx(12.5)
    assert chance_at_least(1, 2, 0.5) == pytest.approx(75.0)
    assert chance_at_least(2, 2, 1.0) == pytest.approx(100.0)


def test_month_ends_keep_the_last_day_of_each_month():
    days = pd.Series([True, False, True], index=pd.DatetimeIndex(["2020-01-30", "2020-01-31", "2020-02-03"]))
    assert list(month_ends(days).index.strftime("%Y-%m-%d")) == ["2020-01-31", "2020-02-03"]


def test_the_bar_chart_has_one_bar_per_group_and_kind(publication):
    ev = publication.computation.evidence
    assert list(ev.columns) == ["group", "kind", "share_pct", "n", "label"]
    assert len(ev) == 4


def test_the_finding_is_the_hit_rate_against_the_base_rate(publication):
    comp = publication.computation
    sentence = publication.finding
    decided, rallies = comp.context["n12_decided"], comp.context["n12_rallies"]
    assert f"after {rallies} of {decided} Russell 2000 breakouts" in sentence
    assert f"{comp.context['base_rate_base_rate_days']:,.2f}%" in sentence
    assert f"{comp.context['n12_chance_at_base_rate']:,.2f}%" in sentence
    assert publication.verdict.label == "Opinion" and "_" not in sentence
