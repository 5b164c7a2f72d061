"""RISK-CURVE (opinion): the easing-cycle rule at its boundaries, and the context figures re-derived."""


import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.risk_curve import (
    EasingRule,
    cross_check,
    cut_days,
    cuts,
    decisions,
    first_cuts,
    in_risk_order,
    note_return,
    out_of,
    par_note_duration,
)

PUB = PUBLISHED_AT
RULE = EasingRule()


def rate(*levels: tuple[str, float], end: str = "2021-12-31") -> pd.Series:
    """A daily rate series holding each (from-date, level) until the next one."""
    days = pd.date_range(levels[0][0], end, freq="D")
    steps = pd.Series([v for _, v in levels], index=pd.DatetimeIndex([d for d, _ in levels]))
    return steps.reindex(days).ffill()


def iso(days) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in days]


def test_a_lasting_drop_of_the_threshold_is_a_cut_and_a_smaller_one_is_not():
    assert iso(cuts(rate(("2020-01-01", 5.00), ("2020-06-01", 4.80)), RULE)) == ["2020-06-01"]
    assert cuts(rate(("2020-01-01", 5.00), ("2020-06-01", 4.81)), RULE) == []


def test_a_short_dip_is_not_a_cut():
    one_day = rate(("2020-01-01", 5.00), ("2020-06-01", 4.00), ("2020-06-02", 5.00))
    assert cut_days(one_day, RULE).empty
    # 13 days lower out of the next 28: the forward median stays at the old level
    two_weeks = rate(("2020-01-01", 5.00), ("2020-06-01", 4.00), ("2020-06-14", 5.00))
    assert cut_days(two_weeks, RULE).empty


def test_cut_days_come_in_runs_and_a_cut_is_the_first_day_of_a_run():
    series = rate(("2020-01-01", 5.00), ("2020-06-01", 4.75))
    days = cut_days(series, RULE)
    assert len(days) > 1 and days[0] == pd.Timestamp("2020-06-01")
    assert iso(cuts(series, RULE)) == ["2020-06-01"]


def test_a_cut_within_the_last_weeks_of_data_cannot_be_confirmed():
    late = rate(("2020-01-01", 5.00), ("2020-06-01", 4.75), end="2020-06-20")
    assert cuts(late, RULE) == []


def test_the_quiet_period_is_inclusive():
    # cuts on 2020-03-02 and exactly six months later, on 2020-09-02: both start a cycle
    six = rate(("2020-01-01", 5.00), ("2020-03-02", 4.75), ("2020-09-02", 4.50))
    assert iso(first_cuts(six, RULE)) == ["2020-03-02", "2020-09-02"]
    # one day less than six months: the second cut belongs to the first cycle
    short = rate(("2020-01-01", 5.00), ("2020-03-02", 4.75), ("2020-09-01", 4.50))
    assert iso(cuts(short, RULE)) == ["2020-03-02", "2020-09-01"]
    assert iso(first_cuts(short, RULE)) == ["2020-03-02"]
    assert iso(first_cuts(short, EasingRule(quiet_months=4))) == ["2020-03-02", "2020-09-01"]


def test_the_rule_finds_the_recent_fomc_cycles(market):
    found = iso(first_cuts(market.close("dff"), RULE))
    assert {"2019-08-01", "2024-09-19", "2025-09-18"} <= set(found)
    assert "2020-03-04" not in found  # four months after the October 2019 cut: the same cycle
    assert "2020-03-04" in iso(first_cuts(market.close("dff"), EasingRule(quiet_months=4)))


def test_bond_leg_is_carry_plus_duration_times_the_fall_in_yield():
    assert par_note_duration(4.0) == pytest.approx((1 - 1.02**-4) / 0.04)
    assert note_return(4.0, 4.0, 12) == pytest.approx(4.0)
    assert note_return(4.0, 3.0, 6) == pytest.approx(2.0 + par_note_duration(4.0))
    assert par_note_duration(0.0) == 2.0


def test_risk_order_needs_strictly_rising_returns():
    assert in_risk_order({"a": 1.0, "b": 2.0, "c": 3.0}, ("a", "b", "c")) is True
    assert in_risk_order({"a": 1.0, "b": 1.0, "c": 3.0}, ("a", "b", "c")) is False
    assert in_risk_order({"a": 1.0, "b": None, "c": 3.0}, ("a", "b", "c")) is None


@pytest.fixture(scope="module")
def publication(market):
    return evaluate(get("RISK-CURVE"), market, "publication", PUB)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("RISK-CURVE"), market, "latest")


def test_returns_after_the_2024_cut_match_plain_pandas(market, publication):
    decision = pd.Timestamp("2024-09-18")
    start = decision - pd.Timedelta(days=1)  # from the last close before the announcement
    end = start + pd.DateOffset(months=12)
    comp = publication.computation
    for sid, key in (("gspc", "spx"), ("rut", "rut"), ("btc-usd", "btc")):
        close = market.close(sid)
        expected = (close[close.index <= end].iloc[-1] / close[close.index <= start].iloc[-1] - 1) * 100
        assert comp.figure(f"{key}_12m", "cut_2024-09-18").value == pytest.approx(expected)
    y2 = market.close("dgs2")
    change = (y2[y2.index <= end].iloc[-1] - y2[y2.index <= start].iloc[-1]) * 100
    assert comp.figure("yield_change_12m", "cut_2024-09-18").value == pytest.approx(change)


def test_cycles_come_from_the_fomc_record_and_are_cross_checked_against_dff(market, publication):
    comp = publication.computation
    record = decisions()
    assert comp.context["first_cuts"] == ", ".join(d.strftime("%Y-%m-%d") for d in record)
    assert "2025-09-17" not in comp.context["first_cuts"]  # a resumption, not a new cycle
    detected = first_cuts(market.close("dff"), RULE)
    for day in record:
        seen = comp.figure("dff_first_cut", f"cut_{day:%Y-%m-%d}").value
        gap = comp.figure("dff_gap_days", f"cut_{day:%Y-%m-%d}").value
        if seen is None:
            assert all(abs((d - day).days) > 45 for d in detected)
        else:
            assert pd.Timestamp(seen) in detected and (pd.Timestamp(seen) - day).days == gap
            assert abs(gap) <= 45
    confirmed = sum(comp.figure("dff_first_cut", f"cut_{d:%Y-%m-%d}").value is not None for d in record)
    assert comp.figure("dff_confirmed", "summary").value == confirmed


def test_cross_check_picks_the_nearest_detected_cut_within_the_limit():
    decision = pd.Timestamp("2020-06-10")
    near = [pd.Timestamp("2020-05-01"), pd.Timestamp("2020-06-05"), pd.Timestamp("2020-06-15")]
    assert cross_check(decision, near) == (pd.Timestamp("2020-06-05"), -5)  # a tie goes to the earlier day
    assert cross_check(decision, [decision + pd.Timedelta(days=45)]) == (decision + pd.Timedelta(days=45), 45)
    assert cross_check(decision, [decision + pd.Timedelta(days=46)]) == (None, None)


def test_summary_counts_agree_with_the_cycles(publication):
    comp = publication.computation
    dates = comp.context["first_cuts"].split(", ")
    assert comp.figure("cycles", "summary").value == len(dates)
    for months in (3, 6, 12):
        rows = [[comp.figure(f"{k}_{months}m", f"cut_{d}").value for k in ("bond", "spx", "rut", "btc")]
                for d in dates]
        three = [r[:3] for r in rows if None not in r[:3]]
        four = [r for r in rows if None not in r]
        assert comp.figure(f"order_three_{months}m", "summary").value == sum(a < b < c for a, b, c in three)
        assert comp.figure(f"order_four_{months}m", "summary").value == sum(a < b < c < d for a, b, c, d in four)
        assert comp.figure(f"order_four_{months}m_of", "summary").value == len(four)
        assert comp.figure(f"order_three_{months}m_of", "summary").value == len(three)


def test_the_finding_counts_the_cycles_in_the_articles_order(publication, latest):
    for result in (publication, latest):
        comp = result.computation
        sentence = result.finding
        n = comp.figure("cycles", "summary").value
        three = comp.figure("order_three_12m", "summary").value
        three_of = comp.figure("order_three_12m_of", "summary").value
        assert f"of the {n} easing cycles the FOMC began since 1994" in sentence
        assert f"Russell 2000 in {out_of(three, three_of)} with a complete year" in sentence
        assert "_" not in sentence


def test_evidence_holds_the_fomc_cycles(publication):
    ev = publication.computation.evidence
    assert list(ev.columns) == ["event", "horizon", "asset", "return_pct"]
    assert set(ev["event"]) == set(publication.computation.context["first_cuts"].split(", "))
    assert ev["return_pct"].notna().all()


def test_out_of_words():
    assert out_of(0, 6) == "none of the 6"
    assert out_of(6, 6) == "all 6"
    assert out_of(2, 6) == "2 of the 6"
