"""Verdict rules as data: each states its tolerance in words and applies exactly that in code."""

from __future__ import annotations

from collections.abc import Callable

from generator.claimkit.base import Computation, Reading, Rule, Verdict, VerdictLabel


def _num(value: object, what: str) -> float:
    if not isinstance(value, int | float):
        raise TypeError(f"{what} is not a number: {value!r}")
    return float(value)


def reading_value(reading: Reading, figure: str) -> float | None:
    """The number a reading gives for ``figure`` (its headline when it has no such figure), or None."""
    for fig in reading.figures:
        if fig.key == figure:
            value = fig.value
            break
    else:
        value = reading.headline_figure.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
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
        return Verdict(label, f"The {name} is {value:,.4g} against the article's {claimed:,g}, "
                              f"{distance:.1%} apart")

    def matches(reading: Reading) -> bool | None:
        value = reading_value(reading, figure)
        return None if value is None else band(abs(value / claimed - 1), accurate, mostly) == "Accurate"

    return Rule(text, apply, matches)


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
                       f"The {name} is {value:.4g} against the article's {claimed:g}, {distance:.2f} {unit} apart")

    def matches(reading: Reading) -> bool | None:
        value = reading_value(reading, figure)
        return None if value is None else band(abs(value - claimed), accurate, mostly) == "Accurate"

    return Rule(text, apply, matches)


def custom(text: str, apply: Callable[[Computation], Verdict],
           matches: Callable[[Reading], bool | None] | None = None, summary: str = "") -> Rule:
    """A rule whose logic does not fit a tolerance band; ``text`` must state it fully. ``matches`` says
    whether one reading reproduces the article's figure; ``summary`` states a long rule in a sentence or two."""
    return Rule(text, apply, matches, summary)


def opinion(text: str = "") -> Rule:
    statement = text or ("This is an opinion or an interpretation, not a checkable figure: the page shows "
                         "context data instead of a true/false verdict.")
    return Rule(statement, lambda comp: Verdict("Opinion", "An interpretation, not a checkable figure; the page "
                                                           "shows what the data support"),
                lambda reading: None)
