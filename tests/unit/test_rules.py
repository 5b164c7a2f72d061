"""Verdict rules decide at their stated boundaries, exactly as their text says."""

from __future__ import annotations

import pytest

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.rules import absolute_tolerance, band, relative_tolerance
from generator.claims import get


def comp(value: float, key: str = "x", **context) -> Computation:
    reading = Reading("main", "main", (Figure(key, key, value, "%"),), key, None)
    return Computation([reading], "main", context=context)


@pytest.mark.parametrize(("distance", "expected"), [
    (0.0, "Accurate"), (1.0, "Accurate"), (1.0001, "Mostly accurate"), (2.5, "Mostly accurate"),
    (2.5001, "Inaccurate"),
])
def test_band_edges_are_inclusive(distance, expected):
    assert band(distance, 1.0, 2.5) == expected


def test_relative_tolerance_text_and_edges():
    rule = relative_tolerance("x", 100.0, 0.05, 0.15)
    assert "within 5%" in rule.text and "within 15%" in rule.text
    assert rule.apply(comp(105.0)).label == "Accurate"
    assert rule.apply(comp(94.0)).label == "Mostly accurate"
    assert rule.apply(comp(115.0)).label == "Mostly accurate"
    assert rule.apply(comp(116.0)).label == "Inaccurate"


def test_absolute_tolerance_edges():
    rule = absolute_tolerance("x", 40.0, 2.0, 5.0)
    assert rule.apply(comp(38.0)).label == "Accurate"
    assert rule.apply(comp(35.0)).label == "Mostly accurate"
    assert rule.apply(comp(34.9)).label == "Inaccurate"


@pytest.mark.parametrize(("ytd", "closed", "traded", "expected"), [
    (9.0, True, True, "Accurate"),
    (8.0, True, True, "Accurate"),          # exactly 1 point away
    (7.99, True, True, "Mostly accurate"),
    (9.0, False, True, "Mostly accurate"),  # right return, but never closed above 2,700
    (6.5, True, True, "Mostly accurate"),   # exactly 2.5 points away
    (6.49, True, True, "Inaccurate"),
    (9.0, False, False, "Inaccurate"),      # never even traded above 2,700
])
def test_rut_ytd_rule_boundaries(ytd, closed, traded, expected):
    rule = get("RUT-YTD-2026").rule
    c = comp(ytd, key="ytd_return", closed_above_2700=closed, high_above_2700=traded)
    assert rule.apply(c).label == expected
