"""Sort keys of the home table: verdicts by severity, figures by value (numbers, dates), others last."""

from __future__ import annotations

from generator.pages import SEVERITY, severity, sort_value


def test_verdicts_sort_from_the_most_severe():
    assert severity("Inaccurate") < severity("Misleading") < severity("Mostly accurate") < severity("Accurate")
    assert severity("Opinion") < severity(SEVERITY[-1]) < severity("something new")


def test_figures_sort_by_value_not_as_text():
    keys = [float(sort_value(v)) for v in (-3.5, 9, 100.25, "2021-11-08", "2026-01-23")]
    assert keys[0] < keys[1] < keys[2]
    assert 2021 < keys[3] < keys[4] < 2027
    assert sort_value("about 30 per cent") == "" and sort_value(None) == "" and sort_value(True) == ""
