"""The verdict framework every claim shares: the still-true scale, the caps, the one match test, the flips and the
one-more-day reading. Each rule is tested at its edges on small hand-made claims."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Claim, Comparison, Computation, Figure, Reading, Setting, Verdict
from generator.claimkit.evaluate import ONE_MORE_DAY, evaluate, framework_caps
from generator.claimkit.rules import relative_tolerance
from generator.claimkit.vocabulary import STATUSES, VERDICT_MEANINGS, VERDICTS, follow_up
from generator.claims import all_claims
from generator.market import MarketData


@pytest.mark.parametrize(("publication", "latest", "fixed", "expected"), [
    ("Accurate", "Mostly accurate", False, "Still holds"),
    ("Mostly accurate", "Inaccurate", False, "No longer holds"),
    ("Accurate", "Misleading", False, "No longer holds"),
    ("Inaccurate", "Accurate", False, "Now holds"),
    ("Misleading", "Inaccurate", False, "Still does not hold"),
    ("Inaccurate", "Accurate", True, "Fixed in time"),
    ("Opinion", "Opinion", False, "Not a factual claim"),
    ("Unverifiable", "Unverifiable", True, "Fixed in time"),
    ("Unverifiable", "Unverifiable", False, "Not a factual claim"),
    ("Opinion", "Opinion", True, "Not a factual claim"),
    (None, "Accurate", False, "Not computed"),
    ("Accurate", None, True, "Not computed"),
])
def test_the_still_true_scale(publication, latest, fixed, expected):
    assert follow_up(publication, latest, fixed) == expected
    assert expected in STATUSES


def test_every_verdict_is_defined_once():
    assert set(VERDICTS) <= set(VERDICT_MEANINGS)
    assert "impression" in VERDICT_MEANINGS["Misleading"]


def reading(key: str, value: float, judged: bool = True) -> Reading:
    return Reading(key, f"Reading {key}", (Figure("x", "The figure", value, "%"),), "x",
                   False if judged else None)


def toy_claim(values: dict[str, float], kind: str = "fact", comparison: Comparison | None = None,
              grid: tuple[Setting, ...] = ()) -> Claim:
    """A claim that the figure is 10%, read from a series named rut (its last close / 100)."""

    def compute(data: MarketData) -> Computation:
        last = float(data.close("rut").iloc[-1]) / 100
        readings = [reading("main", last), *(reading(k, v) for k, v in values.items()),
                    reading("context", 99.0, judged=False)]
        return Computation(readings, "main", comparison=comparison, sensitivity=list(grid))

    return Claim(id="TOY-1", order=1, title="Toy", section="Test", quote="up 10%", paraphrase="Up 10%.",
                 article=(), needs=("rut",), method="The last close.", compute=compute, kind=kind,  # type: ignore[arg-type]
                 rule=relative_tolerance("x", 10.0, accurate=0.05, mostly=0.2, what="figure"),
                 finding=lambda comp: f"The figure is {comp.number('x'):.1f}%.")


def toy_market(closes: dict[str, float]) -> MarketData:
    index = pd.DatetimeIndex(list(closes))
    frame = pd.DataFrame({"open": list(closes.values()), "high": list(closes.values()), "low": list(closes.values()),
                          "close": list(closes.values()), "volume": 1.0}, index=index)
    return MarketData({"rut": frame})


DAYS = {"2026-01-21": 900.0, "2026-01-22": 1000.0, "2026-01-23": 1300.0}


def test_match_and_reason_come_from_one_test():
    """At the edge of the Accurate band (5%): 10.5 reproduces 10, 10.6 does not; the reason says the same."""
    result = evaluate(toy_claim({"edge_in": 10.5, "edge_out": 10.6}), toy_market(DAYS), "publication", PUBLISHED_AT)
    matches = {r.key: r.matches_article for r in result.computation.readings}
    assert matches == {"main": True, "edge_in": True, "edge_out": False, "context": None,
                       ONE_MORE_DAY: False}
    assert result.verdict.label == "Accurate"
    assert "The main reading reproduces the article's figure, and so does one other reading." in result.verdict.reason


def test_no_reading_reproducing_is_said_in_the_reason():
    result = evaluate(toy_claim({}), toy_market({"2026-01-22": 1500.0}), "publication", PUBLISHED_AT)
    assert not any(r.matches_article for r in result.computation.readings)
    assert result.verdict.label == "Inaccurate"
    assert "No reading reproduces the article's figure." in result.verdict.reason


def test_a_reading_that_would_flip_the_verdict_is_named():
    result = evaluate(toy_claim({"far": 13.0}), toy_market(DAYS), "publication", PUBLISHED_AT)
    assert "It would be Inaccurate under the reading “Reading far”" in result.verdict.reason


def test_one_more_day_is_shown_but_never_the_verdict():
    """Publication is noon Beijing time on the 23rd: the US close of the 22nd is seen, that of the 23rd is not."""
    result = evaluate(toy_claim({}), toy_market(DAYS), "publication", PUBLISHED_AT)
    assert result.computation.primary_reading.headline_figure.value == 10.0
    extra = result.computation.reading(ONE_MORE_DAY)
    assert extra.headline_figure.value == 13.0 and extra.matches_article is False
    assert result.verdict.label == "Accurate"
    assert "Inaccurate under one more day of data (through 2026-01-23)" in result.verdict.reason


def test_no_one_more_day_reading_when_nothing_more_closed():
    result = evaluate(toy_claim({}), toy_market({"2026-01-21": 900.0, "2026-01-22": 1000.0}), "publication", PUBLISHED_AT)
    assert [r.key for r in result.computation.readings] == ["main", "context"]


def test_the_cut_follows_the_moment_not_the_day():
    """One second before the 16:00 New York close of the 22nd (21:00 UTC), that close is not visible."""
    before_close = datetime(2026, 1, 22, 20, 59, 59, tzinfo=UTC)
    result = evaluate(toy_claim({}), toy_market(DAYS), "publication", before_close)
    assert result.computation.primary_reading.headline_figure.value == 9.0


def comp_with(comparison: Comparison | None = None, grid: tuple[Setting, ...] = ()) -> Computation:
    return Computation([reading("main", 10.0)], "main", comparison=comparison, sensitivity=list(grid))


ACCURATE = Verdict("Accurate", "Right.")


def test_a_signal_without_its_comparison_is_capped():
    signal = toy_claim({}, kind="signal")
    assert framework_caps(signal, comp_with(), ACCURATE).label == "Mostly accurate"
    shown = comp_with(Comparison("How often without the signal?", "Half the time."))
    assert framework_caps(signal, shown, ACCURATE).label == "Accurate"
    assert framework_caps(toy_claim({}), comp_with(), ACCURATE).label == "Accurate"  # a plain figure is not capped


def test_accurate_under_only_one_setting_is_capped():
    one = (Setting("a", "Accurate", primary=True), Setting("b", "Inaccurate"), Setting("c", "Mostly accurate"))
    two = (Setting("a", "Accurate", primary=True), Setting("b", "Accurate"), Setting("c", "Inaccurate"))
    claim = toy_claim({})
    assert framework_caps(claim, comp_with(grid=one), ACCURATE).label == "Mostly accurate"
    assert framework_caps(claim, comp_with(grid=two), ACCURATE).label == "Accurate"


def test_settings_that_flip_are_named_in_the_reason():
    grid = (Setting("the strict rule", "Accurate", primary=True), Setting("a looser rule", "Accurate"),
            Setting("a 6-month horizon", "Inaccurate"))
    result = evaluate(toy_claim({}, grid=grid), toy_market(DAYS), "publication", PUBLISHED_AT)
    assert "Inaccurate under a 6-month horizon" in result.verdict.reason
    assert "looser" not in result.verdict.reason


@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_finding_readings_and_reason_agree(claim, market):
    """On every claim: the readings table's match and the verdict's reason say the same thing."""
    result = evaluate(claim, market, "publication", PUBLISHED_AT)
    if result.computation is None:
        assert result.finding == result.missing_text
        return
    reason, comp = result.verdict.reason, result.computation
    judged = [r for r in comp.readings if r.matches_article is not None]
    if judged and not any(r.matches_article for r in judged):
        assert "No reading reproduces the article's figure." in reason
    if comp.primary_reading.matches_article:
        assert "The main reading reproduces the article's figure" in reason
    if comp.primary_reading.matches_article is False and any(r.matches_article for r in judged):
        assert "Only another reading reproduces" in reason
    assert result.finding.strip() and "_" not in result.finding


def test_every_claim_answers_in_its_own_sentence():
    """No claim falls back to a generic line: each one writes its finding from its own figures."""
    assert [c.id for c in all_claims() if c.finding is None] == []
    with pytest.raises(TypeError, match="has no finding"):
        evaluate(dataclasses.replace(toy_claim({}), finding=None), toy_market(DAYS), "latest").finding  # noqa: B018
