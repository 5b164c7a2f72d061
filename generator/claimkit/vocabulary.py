"""The site's two scales, written once: the verdict on the article as published, and "is it still true?".

Every claim is judged on the first scale by its own written rule; the definitions below are what those rules
must respect, and they are printed on the methodology page from here. The second scale follows a claim on the
latest data: it never re-judges the article, it says whether the statement still describes the world.
"""

from __future__ import annotations

from typing import Literal

VerdictLabel = Literal["Accurate", "Mostly accurate", "Misleading", "Inaccurate", "Unverifiable", "Opinion"]
VERDICTS: tuple[VerdictLabel, ...] = (
    "Accurate", "Mostly accurate", "Misleading", "Inaccurate", "Unverifiable", "Opinion",
)
NEEDS_DATA = "Needs live data"
"""Shown instead of a verdict when this build could not compute a claim (an input exists only upstream)."""

VERDICT_MEANINGS: dict[str, str] = {
    "Accurate": "The figures are right under the most natural reading, within the claim's stated tolerance, "
                "and the impression they give is right. A claim of cause or signal is Accurate only if the "
                "page shows the comparison that would expose a coincidence, and no verdict that holds under "
                "just one setting of its parameters is Accurate.",
    "Mostly accurate": "The impression is right, but a figure is off by more than the tolerance for Accurate "
                       "and within the claim's wider tolerance, or it holds only with a caveat the claim "
                       "leaves out.",
    "Misleading": "The figures are about right, but the impression they give is wrong.",
    "Inaccurate": "A figure is outside the claim's tolerance under the most natural reading, or the data "
                  "contradict the statement.",
    "Unverifiable": "No public data or public record can settle the claim. An attribution to a named source "
                    "is checked against that source's public record instead; a claim this project merely "
                    "lacks data for is not Unverifiable.",
    "Opinion": "An interpretation or a forecast, not a checkable figure: the page shows what the data do "
               "support.",
    NEEDS_DATA: "Computable, but this build had no copy of an input that exists only upstream; the page "
                "gives the published figures that bound it.",
}

HOLDS: frozenset[str] = frozenset({"Accurate", "Mostly accurate"})
"""Verdicts under which a statement "holds" for the still-true scale."""

StatusLabel = Literal["Still holds", "No longer holds", "Now holds", "Still does not hold", "Fixed in time",
                      "Not a factual claim", "Not computed"]
STATUSES: tuple[StatusLabel, ...] = (
    "Still holds", "No longer holds", "Now holds", "Still does not hold", "Fixed in time",
    "Not a factual claim", "Not computed",
)
STATUS_MEANINGS: dict[str, str] = {
    "Still holds": "Right at publication, and still right on the latest data.",
    "No longer holds": "Right at publication, but the latest data no longer bear it out. This is not a "
                       "correction of the article: the world moved.",
    "Now holds": "Not right at publication, but the latest data bear it out.",
    "Still does not hold": "Not right at publication, and still not right on the latest data.",
    "Fixed in time": "The claim is about a closed window (a past record, a calendar year): new data cannot "
                     "change it.",
    "Not a factual claim": "An opinion, or a claim no public data or record can settle: there is nothing to "
                           "re-check.",
    "Not computed": "This build could not compute the claim on one of the two dates.",
}


def holds(label: str | None) -> bool:
    return label in HOLDS


def follow_up(publication: str | None, latest: str | None, fixed_in_time: bool) -> StatusLabel:
    """The still-true label from the verdict at publication and the verdict the same rule gives today."""
    if publication is None or latest is None:
        return "Not computed"
    if publication == "Opinion":
        return "Not a factual claim"
    if fixed_in_time:
        return "Fixed in time"
    if publication == "Unverifiable":
        return "Not a factual claim"
    if holds(publication):
        return "Still holds" if holds(latest) else "No longer holds"
    return "Now holds" if holds(latest) else "Still does not hold"
