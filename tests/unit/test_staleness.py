"""Old data are said out loud: in the build log and in every page's banner; current or as-of builds are quiet."""

from datetime import date

from generator.staleness import ALLOWED_LAG, staleness


def test_months_old_data_are_named_in_the_log_and_the_banner():
    age = staleness("2026-08-20", date(2026, 12, 2))
    assert age.stale and age.lag > ALLOWED_LAG
    assert age.log_line.startswith(f"note: the data end on 2026-08-20, {age.lag} trading days (3 months) before today")
    assert "python -m generator fetch" in age.log_line  # the next step
    assert age.banner == "Market data end on 20 August 2026, 3 months before this page was built (2 December 2026)."


def test_data_within_the_allowed_lag_say_nothing():
    age = staleness("2026-08-20", date(2026, 8, 24))  # Thursday's bar on Monday: Friday is the one day between
    assert (age.lag, age.stale, age.log_line, age.banner) == (1, False, "", "")


def test_an_as_of_build_is_dated_on_purpose_and_never_stale():
    age = staleness("2026-01-23", date(2026, 12, 2), as_of=date(2026, 1, 23))
    assert not age.stale and age.banner == ""
