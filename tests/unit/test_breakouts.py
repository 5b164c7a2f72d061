"""The breakout and rally rules, on small constructed series whose answers can be read off by eye."""

import math

import pandas as pd
import pytest

from generator.breakouts import (
    BreakoutRule,
    RallyRule,
    best_gain,
    find_breakouts,
    forward_return,
    open_spell,
    rally_flags,
    rally_outcome,
    record_closes,
    spells,
)


def series(*points: tuple[str, float]) -> pd.Series:
    """A close series from (date, close) pairs; the dates need not be daily."""
    return pd.Series([v for _, v in points], index=pd.DatetimeIndex([d for d, _ in points]), name="close")


# Two obvious breakouts and one dip that is too short:
#   peak 110 on 2000-02-01, down to 80, first close above 110 exactly 12 months later (2001-02-01);
#   peak 120 on 2001-03-01, back above it after exactly 3 months (2001-06-01);
#   peak 130 on 2001-07-01, halved to 65, first close above it two years later (2003-07-01);
#   an equal close (131) is not a new record, so the last spell runs from 2003-07-01 to 2003-09-01.
TWO_BREAKOUTS = series(
    ("2000-01-03", 100), ("2000-02-01", 110), ("2000-03-01", 90), ("2000-08-01", 80), ("2001-02-01", 111),
    ("2001-03-01", 120), ("2001-05-01", 100), ("2001-06-01", 121),
    ("2001-07-01", 130), ("2002-01-01", 65), ("2003-07-01", 131), ("2003-08-01", 131), ("2003-09-01", 140),
)


def dates(found) -> list[str]:
    return [b.date.strftime("%Y-%m-%d") for b in found]


def test_the_rule_finds_the_two_long_spells_and_skips_the_short_dip():
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=12))) == ["2001-02-01", "2003-07-01"]
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=6))) == ["2001-02-01", "2003-07-01"]


def test_longer_requirements_drop_the_shorter_spell():
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=13))) == ["2003-07-01"]
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=24))) == ["2003-07-01"]
    assert find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=25)) == []


def test_a_spell_of_exactly_n_months_counts_and_one_day_less_does_not():
    # the 3-month dip counts at N=3 (2001-03-01 -> 2001-06-01); the 2-month spell in 2003 does not
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=3))) == [
        "2001-02-01", "2001-06-01", "2003-07-01"]
    one_day_early = TWO_BREAKOUTS.rename(index={pd.Timestamp("2001-02-01"): pd.Timestamp("2001-01-31")})
    assert dates(find_breakouts(one_day_early, BreakoutRule(min_months_below=12))) == ["2003-07-01"]


def test_the_breakout_carries_its_spell():
    first, second = find_breakouts(TWO_BREAKOUTS, BreakoutRule(min_months_below=12))
    assert (first.spell.peak_date, first.spell.peak) == (pd.Timestamp("2000-02-01"), 110)
    assert (first.spell.trough_date, first.spell.trough) == (pd.Timestamp("2000-08-01"), 80)
    assert first.close == 111
    assert first.spell.rise_pct == pytest.approx((110 / 80 - 1) * 100)
    assert first.months_below == pytest.approx(366 / (365.25 / 12))  # 2000 is a leap year
    assert second.spell.rise_pct == pytest.approx(100.0)


def test_the_depth_requirement_is_inclusive():
    rise_first = (110 / 80 - 1) * 100  # 37.5%
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(12, min_rise_pct=rise_first))) == [
        "2001-02-01", "2003-07-01"]
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(12, min_rise_pct=rise_first + 0.01))) == [
        "2003-07-01"]
    assert dates(find_breakouts(TWO_BREAKOUTS, BreakoutRule(12, min_rise_pct=100))) == ["2003-07-01"]
    assert find_breakouts(TWO_BREAKOUTS, BreakoutRule(12, min_rise_pct=100.01)) == []


def test_an_equal_close_is_not_a_record():
    records = record_closes(TWO_BREAKOUTS)
    assert pd.Timestamp("2003-08-01") not in records.index
    assert list(records.values) == [100, 110, 111, 120, 121, 130, 131, 140]


def test_the_first_observation_is_the_first_record():
    # a series that starts at its high can break out relative to its first close
    start_high = series(("2010-01-01", 50), ("2010-06-01", 30), ("2010-12-01", 51))  # 11 months
    assert dates(find_breakouts(start_high, BreakoutRule(12))) == []
    assert dates(find_breakouts(start_high, BreakoutRule(6))) == ["2010-12-01"]


def test_a_series_that_ends_below_its_record_is_in_an_open_spell():
    below = series(("2020-01-01", 10), ("2020-02-01", 12), ("2020-05-01", 9), ("2020-09-01", 11))
    spell = open_spell(below)
    assert spell is not None and spell.end_date is None
    assert (spell.peak_date, spell.trough) == (pd.Timestamp("2020-02-01"), 9)
    assert spell.months_below(pd.Timestamp("2020-09-01")) == pytest.approx(213 / (365.25 / 12))
    assert find_breakouts(below, BreakoutRule(3)) == []  # an open spell is never a breakout
    assert open_spell(TWO_BREAKOUTS) is None  # it ends on a record


def test_edge_cases():
    empty = pd.Series([], index=pd.DatetimeIndex([]), dtype=float)
    assert find_breakouts(empty, BreakoutRule()) == [] and spells(empty) == []
    assert find_breakouts(series(("2020-01-01", 1)), BreakoutRule()) == []
    rising = series(("2020-01-01", 1), ("2021-06-01", 2), ("2023-01-01", 3))
    assert find_breakouts(rising, BreakoutRule(1)) == [] and spells(rising) == []
    with_gap = TWO_BREAKOUTS.copy()
    with_gap.loc["2000-03-01"] = math.nan  # missing closes are ignored
    assert dates(find_breakouts(with_gap, BreakoutRule(12))) == ["2001-02-01", "2003-07-01"]
    with pytest.raises(ValueError):
        find_breakouts(TWO_BREAKOUTS.iloc[::-1], BreakoutRule())
    with pytest.raises(ValueError):
        BreakoutRule(min_months_below=0)
    with pytest.raises(ValueError):
        BreakoutRule(min_rise_pct=-1)
    with pytest.raises(ValueError):
        RallyRule(threshold_pct=0)


# A daily series that doubles exactly 12 months after 2020-01-01, then a flat year.
DAILY = pd.Series(100.0, index=pd.date_range("2020-01-01", "2021-12-31", freq="D"))
DAILY.loc["2021-01-01"] = 200.0


def test_a_gain_of_exactly_the_threshold_on_the_last_day_of_the_window_is_a_rally():
    assert rally_outcome(DAILY, pd.Timestamp("2020-01-01"), RallyRule(100, 12)) == "rally"
    assert rally_outcome(DAILY, pd.Timestamp("2020-01-02"), RallyRule(100, 12)) == "rally"
    # moved one day later, the doubling falls on the day after the window ends
    shifted = DAILY.copy()
    shifted.loc["2021-01-01"], shifted.loc["2021-01-02"] = 100.0, 200.0
    assert rally_outcome(shifted, pd.Timestamp("2020-01-01"), RallyRule(100, 12)) == "no rally"
    assert rally_outcome(DAILY, pd.Timestamp("2020-01-01"), RallyRule(100.01, 12)) == "no rally"
    assert rally_outcome(DAILY, pd.Timestamp("2019-12-31"), RallyRule(100, 12)) == "no data"  # before the data


def test_an_open_window_without_a_rally_is_pending():
    assert rally_outcome(DAILY, pd.Timestamp("2021-01-02"), RallyRule(100, 12)) == "pending"
    assert rally_outcome(DAILY, pd.Timestamp("2020-12-31"), RallyRule(100, 12)) == "rally"


def test_forward_return_and_best_gain():
    assert forward_return(DAILY, pd.Timestamp("2020-01-01"), 12) == pytest.approx(100.0)
    assert forward_return(DAILY, pd.Timestamp("2020-01-01"), 6) == pytest.approx(0.0)
    assert forward_return(DAILY, pd.Timestamp("2021-01-01"), 12) is None  # 2022-01-01 is past the data
    assert forward_return(DAILY, pd.Timestamp("2019-06-01"), 6) is None
    assert best_gain(DAILY, pd.Timestamp("2020-06-01"), 12) == pytest.approx(100.0)
    assert best_gain(DAILY, pd.Timestamp("2021-12-31"), 12) is None


def test_rally_flags_count_only_days_with_a_complete_window():
    flags = rally_flags(DAILY, RallyRule(100, 12))
    assert flags.index[0] == pd.Timestamp("2020-01-01")
    assert flags.index[-1] == pd.Timestamp("2020-12-31")  # 2020-12-31 + 12 months is the last day
    # every day of 2020 has the doubling day (2021-01-01) within its 12-month window
    assert flags.all() and len(flags) == 366
    half = rally_flags(DAILY, RallyRule(100, 6))
    rallied = half[half].index
    assert rallied[0] == pd.Timestamp("2020-07-01") and rallied[-1] == pd.Timestamp("2020-12-31")


def test_chance_at_least_and_its_guard():
    from generator.breakouts import chance_at_least
    assert chance_at_least(2, 2, 0.5) == pytest.approx(25.0)
    assert chance_at_least(0, 2, 0.3) == pytest.approx(100.0)
    with pytest.raises(ValueError, match="probability"):
        chance_at_least(1, 2, 1.5)


def test_prior_return_and_base_rate_on_a_hand_made_series():
    from generator.breakouts import RallyRule, base_rate_pct, prior_return
    days = pd.date_range("2020-01-01", periods=5, freq="MS")
    close = pd.Series([100.0, 150.0, 90.0, 200.0, 210.0], index=days)
    # from the last close on or before 2020-03-01 minus 2 months (2020-01-01: 100) to 2020-03-01 (90)
    assert prior_return(close, days[2], 2) == pytest.approx(-10.0)
    assert prior_return(close, days[0], 1) is None  # nothing before the window
    # 1-month windows complete for the first four days; a +100% close follows only 2020-03-01 (90 -> 200)
    assert base_rate_pct(close, RallyRule(100.0, 1)) == pytest.approx(25.0)
