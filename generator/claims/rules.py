"""Verdict rules as data: each states its tolerance in words and applies exactly that in code."""

from __future__ import annotations

from collections.abc import Callable

from generator.claims.base import Computation, Rule, Verdict, VerdictLabel


def _num(value: object, what: str) -> float:
    if not isinstance(value, int | float):
        raise TypeError(f"{what} is not a number: {value!r}")
    return float(value)


def band(distance: float, accurate: float, mostly: float) -> VerdictLabel:
    """Accurate if ``distance <= accurate``, Mostly accurate if ``<= mostly``, else Inaccurate.

    Edges are inclusive; float noise below 1e-9 does not move a figure across an edge.
    """
    distance = round(distance, 9)
    if distance <= accurate:
        return "Accurate"
    if distance <= mostly:
        return "Mostly accurate"
    return "Inaccurate"


def relative_tolerance(
    figure: str, claimed: float, accurate: float, mostly: float, reading: str | None = None, what: str = ""
) -> Rule:
    """Compare a computed figure with the article's by relative difference |computed/claimed - 1|."""
    name = what or figure
    text = (f"Accurate if the {name} is within {accurate:.0%} of the article's {claimed:,g} "
            f"(relative difference); Mostly accurate within {mostly:.0%}; otherwise Inaccurate.")

    def apply(comp: Computation) -> Verdict:
        reading_key = reading or comp.primary
        value = _num(comp.figure(figure, reading_key).value, figure)
        distance = abs(value / claimed - 1)
        label = band(distance, accurate, mostly)
        return Verdict(label, f"{name}: {value:,.4g} vs {claimed:,g}, {distance:.1%} apart ({reading_key} reading)")

    return Rule(text, apply)


def absolute_tolerance(
    figure: str, claimed: float, accurate: float, mostly: float, unit: str = "percentage points",
    reading: str | None = None, what: str = "",
) -> Rule:
    """Compare by absolute difference |computed - claimed| (e.g. in percentage points)."""
    name = what or figure
    text = (f"Accurate if the {name} is within {accurate:g} {unit} of the article's {claimed:g}; "
            f"Mostly accurate within {mostly:g} {unit}; otherwise Inaccurate.")

    def apply(comp: Computation) -> Verdict:
        reading_key = reading or comp.primary
        value = _num(comp.figure(figure, reading_key).value, figure)
        distance = abs(value - claimed)
        return Verdict(band(distance, accurate, mostly),
                       f"{name}: {value:.4g} vs {claimed:g}, {distance:.2f} {unit} apart ({reading_key} reading)")

    return Rule(text, apply)


def custom(text: str, apply: Callable[[Computation], Verdict]) -> Rule:
    """A rule whose logic does not fit a tolerance band; ``text`` must state it fully."""
    return Rule(text, apply)


def opinion(text: str = "") -> Rule:
    statement = text or ("This is an opinion or an interpretation, not a checkable figure: the page shows "
                         "context data instead of a true/false verdict.")
    return Rule(statement, lambda comp: Verdict("Opinion", "interpretation; see the context data"))
