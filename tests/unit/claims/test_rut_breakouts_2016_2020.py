"""RUT-BREAKOUTS-2016-2020: breakouts found by the written rule, and what BTC did after each.

Expected values are re-derived here with plain pandas: a record close is a close above the running maximum
of the earlier closes; a breakout is a record close at least N calendar months after the previous one.
"""

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_breakouts_2016_2020 import judge, judge_counts, matches

PUB = PUBLISHED_AT


def breakouts_by_pandas(close: pd.Series, months: int) -> list[str]:
    records = close[close > close.cummax().shift(1).fillna(-1.0)]
    previous = records.index.to_series().shift(1)
    found = [day for day, prev in previous.items() if pd.notna(prev) and day >= prev + pd.DateOffset(months=months)]
    return [d.strftime("%Y-%m-%d") for d in found]


@pytest.fixture(scope="module")
def publication(market):
    return evaluate(get("RUT-BREAKOUTS-2016-2020"), market, "publication", PUB)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("RUT-BREAKOUTS-2016-2020"), market, "latest")


def test_the_default_rule_finds_the_breakouts_plain_pandas_finds(market, publication):
    close = market.close("rut")
    expected = breakouts_by_pandas(close[close.index <= "2026-01-23"], 12)
    assert publication.computation.context["breakout_dates"] == ", ".join(expected)
    assert publication.computation.figure("breakouts_found", "n12").value == len(expected)
    # it finds 2016 and 2020, and nothing in 2023 or 2024
    years = {int(d[:4]) for d in expected}
    assert {2016, 2020} <= years and not {2023, 2024} & years


def test_btc_returns_after_the_2016_and_2020_breakouts(market, publication):
    btc = market.close("btc-usd")
    comp = publication.computation
    for year in (2016, 2020):
        day = pd.Timestamp(comp.figure(f"breakout_{year}", "n12").value)
        for months in (6, 12, 18):
            later = btc[btc.index <= day + pd.DateOffset(months=months)].iloc[-1]
            expected = (later / btc.loc[day] - 1) * 100
            assert comp.figure(f"btc_{months}m_{day:%Y-%m-%d}", "n12").value == pytest.approx(expected)
        window = btc[(btc.index > day) & (btc.index <= day + pd.DateOffset(months=12))]
        assert window.max() >= 2 * btc.loc[day]  # a doubling within 12 months: a rally by the default rule
        assert comp.figure(f"breakout_{day:%Y-%m-%d}", "n12").value == "rally"


def test_breakouts_before_btc_data_have_no_btc_outcome(market, publication):
    comp = publication.computation
    first_btc = market.close("btc-usd").index[0]
    early = [d for d in comp.context["breakout_dates"].split(", ") if pd.Timestamp(d) < first_btc]
    assert early  # most of the index's breakouts predate bitcoin's price series
    for day in early:
        assert comp.figure(f"breakout_{day}", "n12").value == "no data"
    assert comp.figure("breakouts_with_btc", "n12").value == comp.figure("breakouts_found", "n12").value - len(early)


def test_the_2025_breakout_is_still_open_at_publication(market, publication):
    close = market.close("rut")
    record_2021 = close[close.index <= "2021-12-31"].max()
    first_above = close[(close.index > "2021-12-31") & (close > record_2021)].index[0]
    assert publication.computation.figure(f"breakout_{first_above:%Y-%m-%d}", "n12").value == "pending"
    assert publication.computation.figure(f"btc_12m_{first_above:%Y-%m-%d}", "n12").value is None


def test_eighteen_months_is_longer_than_the_2015_16_spell(market, publication):
    close = market.close("rut")
    peak_2015 = close["2015"].idxmax()
    breakout_2016 = pd.Timestamp(publication.computation.figure("breakout_2016", "n12").value)
    assert peak_2015 + pd.DateOffset(months=12) <= breakout_2016 < peak_2015 + pd.DateOffset(months=18)
    assert publication.computation.context["n18_breakout_2016"] is None
    grid = {s.parameter: s.label for s in publication.computation.sensitivity}
    assert grid["18-month rule, 12-month horizon"] == "Mostly accurate"  # only 2020 is left


def test_shorter_spells_add_breakouts_that_btc_did_not_follow(market, publication):
    comp = publication.computation
    close = market.close("rut")
    assert comp.context["n6_breakouts"] == len(breakouts_by_pandas(close[:"2026-01-23"], 6))
    assert comp.context["n6_other_misses"] >= 1
    misses = comp.context["n6_other_miss_dates"].split(", ")
    assert any(f"did not after {', '.join(misses)}" in note for note in comp.notes)
    # both article years still rallied under the 6-month rule; the misses elsewhere make it Misleading
    assert comp.context["n6_rally_2016"] == comp.context["n6_rally_2020"] == "rally"
    grid = {s.parameter: s.label for s in comp.sensitivity}
    assert grid["6-month rule, 12-month horizon"] == "Misleading"
    assert "Misleading under 6 of the 12 settings tried" in publication.verdict.reason


def test_verdict_at_both_dates(publication, latest):
    # both hits are real, but they do not beat BTC's base rate and BTC was already rising: Mostly accurate
    assert publication.verdict.label == "Mostly accurate"
    assert latest.verdict.label == "Mostly accurate"
    assert publication.computation.reading("n12").matches_article is True
    assert "The main reading reproduces the article's figure" in publication.verdict.reason


def test_the_comparison_is_the_base_rate_and_the_run_before(market, publication):
    """The base rate and the head start are recomputed here from the cut data with plain pandas."""
    btc = market.cut(PUBLISHED_AT).close("btc-usd")
    comp = publication.computation
    flags = []
    for day, close in btc.items():
        end = day + pd.DateOffset(months=12)
        if end > btc.index[-1]:
            break
        ahead = btc[(btc.index > day) & (btc.index <= end)]
        flags.append(ahead.max() >= 2 * close)
    base = sum(flags) / len(flags) * 100
    figures = {f.key: f.value for f in comp.comparison.figures}
    assert figures["base_rate"] == pytest.approx(base)
    assert figures["chance"] == pytest.approx((base / 100) ** 2 * 100)  # two decided breakouts, both hits
    for year in (2016, 2020):
        day = pd.Timestamp(comp.figure(f"breakout_{year}", "n12").value)
        before = btc[btc.index <= day - pd.DateOffset(months=6)].iloc[-1]
        assert figures[f"head_start_{year}"] == pytest.approx((btc.loc[day] / before - 1) * 100)
        assert figures[f"head_start_{year}"] >= 50  # the run had begun before the index broke out
    assert f"chance gives 2 of 2 decided breakouts {figures['chance']:,.2f}%" in comp.comparison.answer


def test_the_grid_is_four_rules_by_three_horizons_with_one_primary(publication):
    grid = publication.computation.sensitivity
    assert len(grid) == 12
    assert [s.primary for s in grid].count(True) == 1
    primary = next(s for s in grid if s.primary)
    assert primary.label == publication.verdict.label
    assert primary.parameter == "12-month rule, 12-month horizon"
    # shorter spells add breakouts BTC did not follow: Misleading under every horizon
    assert {s.label for s in grid if s.parameter.startswith("3-month rule")} == {"Misleading"}
    assert not any(s.label == "Accurate" for s in grid)


def test_the_finding_states_the_dates_the_hits_and_the_base_rate(publication, latest):
    for result in (publication, latest):
        comp = result.computation
        sentence = result.finding
        base = next(f.value for f in comp.comparison.figures if f.key == "base_rate")
        assert "14 Nov 2016" in sentence and "13 Nov 2020" in sentence
        assert "were both followed by BTC doubling within 12 months" in sentence
        assert f"{base:,.2f}%" in sentence
        assert sentence.count(".") >= 1 and "_" not in sentence


def test_evidence_is_weekly_closes_with_the_breakout_days_marked(market, latest):
    ev = latest.computation.evidence
    assert list(ev.columns) == ["date", "close", "breakout", "btc_outcome", "label"]
    marked = ev[ev["breakout"]]
    assert ", ".join(marked["date"].dt.strftime("%Y-%m-%d")) == latest.computation.context["breakout_dates"]
    assert len(ev) < 2100 and ev["date"].is_monotonic_increasing


def _comp(**context) -> Computation:
    reading = Reading("n12", "default", (), "x")
    defaults = {"n12_breakout_2016": "2016-11-14", "n12_breakout_2020": "2020-11-13",
                "n12_rally_2016": "rally", "n12_rally_2020": "rally", "n12_other_misses": 0,
                "n12_chance": 4.0, "n12_head_start_2016": 10.0, "n12_head_start_2020": 10.0}
    defaults.update({f"n12_{k}": v for k, v in context.items()})
    return Computation([reading], "n12", context=defaults)


def test_rule_two_hits_beating_chance_with_no_run_before_is_accurate():
    assert judge(_comp()).label == "Accurate"
    assert judge(_comp(chance=4.999999)).label == "Accurate"
    assert judge(_comp(head_start_2016=49.99)).label == "Accurate"


def test_rule_two_hits_no_better_than_chance_are_mostly_accurate():
    assert judge(_comp(chance=5.0)).label == "Mostly accurate"  # the limit itself is not beating chance
    assert judge(_comp(chance=None)).label == "Mostly accurate"  # no base rate: nothing shows it beats chance


def test_rule_a_run_already_under_way_makes_two_hits_mostly_accurate():
    assert judge(_comp(head_start_2020=50.0)).label == "Mostly accurate"
    assert judge(_comp(head_start_2016=None)).label == "Accurate"  # no data before: no evidence of a run


def test_rule_one_miss_elsewhere_makes_the_two_hits_misleading():
    assert judge(_comp(other_misses=1)).label == "Misleading"
    assert judge(_comp(other_misses=1, chance=0.1)).label == "Misleading"


def test_rule_one_hit_is_mostly_accurate():
    assert judge(_comp(rally_2020="no rally")).label == "Mostly accurate"
    assert judge(_comp(breakout_2016=None, rally_2016=None)).label == "Mostly accurate"
    assert judge(_comp(rally_2016="pending")).label == "Mostly accurate"


def test_rule_no_hit_is_inaccurate():
    assert judge(_comp(rally_2016="no rally", rally_2020="no rally")).label == "Inaccurate"
    assert judge_counts({2016: None, 2020: None}, 0) == "Inaccurate"


def test_matches_is_two_hits_in_the_article_years():
    def reading(hits):
        return Reading("n12", "x", (Figure("hits_2016_2020", "hits", hits, "count"),), "hits_2016_2020")
    assert matches(reading(2)) is True
    assert matches(reading(1)) is False
    assert matches(Reading("n12", "x", (Figure("other", "o", 1, "count"),), "other")) is None


def test_finding_on_hand_made_figures_follows_the_verdicts_inputs():
    from generator.claims.rut_breakouts_2016_2020 import finding
    both = finding(_comp(base_rate=50.0))
    assert both.startswith("The Russell 2000 breakouts of 14 Nov 2016 and 13 Nov 2020 were both followed")
    assert "50.00% of all days" in both and "already up 10.00% and 10.00%" in both
    one = finding(_comp(breakout_2016=None, rally_2016=None, base_rate=50.0, head_start_2016=None,
                        head_start_2020=None))
    assert "breakout in 2020" in one and "after 2020" in one and "already up" not in one
    reason = judge(_comp(breakout_2016=None, rally_2016=None)).reason
    assert "the rule finds no breakout in 2016" in reason
