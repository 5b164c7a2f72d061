"""RUT-PRICE-DISCOVERY: how close the last close stands to the all-time closing high, and how recent the records are.

At publication the last close the article could have seen (2026-01-22) was a record; the next close, after the
article, was below it.
"""

import json

import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_price_discovery import matches


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-PRICE-DISCOVERY"), market, "publication", PUBLISHED_AT)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("RUT-PRICE-DISCOVERY"), market, "latest")


def _records(close: pd.Series) -> pd.Series:
    """Days whose close beats every earlier close, written out long-hand."""
    best, flags = float("-inf"), []
    for value in close:
        flags.append(value > best)
        best = max(best, value)
    flags[0] = False  # the first row of the history has nothing to beat
    return pd.Series(flags, index=close.index)


def _expected(close: pd.Series) -> dict:
    day, last = close.index[-1], close.iloc[-1]
    records = _records(close)
    return {
        "distance": (last / close.max() - 1) * 100,
        "record_day": close.idxmax().strftime("%Y-%m-%d"),
        "in_30_days": int(records[(records.index > day - pd.Timedelta(days=30))].sum()),
        "in_21_sessions": int(records.iloc[-21:].sum()),
        "today": bool(records.iloc[-1]),
    }


def _check(comp: Computation, close: pd.Series) -> None:
    expected = _expected(close)
    assert comp.figure("distance_from_record").value == pytest.approx(expected["distance"])
    assert comp.figure("record_close").date == expected["record_day"]
    assert comp.figure("records_last_30_days").value == expected["in_30_days"]
    assert comp.figure("records_last_21_sessions").value == expected["in_21_sessions"]
    assert comp.figure("record_today").value is expected["today"]


def test_publication_figures_use_the_last_close_before_the_article(market, result):
    close = market.cut(PUBLISHED_AT).close("rut")
    _check(result.computation, close)
    assert result.computation.figure("close").date == close.index[-1].strftime("%Y-%m-%d")


def test_latest_figures_use_the_last_close(market, latest):
    _check(latest.computation, market.close("rut"))


def test_each_reading_reproduces_price_discovery_by_its_own_distance(result, latest):
    for res in (result, latest):
        comp = res.computation
        distance = comp.figure("distance_from_record").value
        recent = comp.figure("records_last_30_days").value
        expected = {"at_record": distance >= 0, "within_1pct": distance >= -1,
                    "near_record_recent": distance >= -2 and recent >= 1, "within_5pct": distance >= -5}
        assert {k: comp.reading(k).matches_article for k in expected} == expected


def test_verdicts_grid_reason_and_finding(market, result, latest):
    comp = result.computation
    close = market.cut(PUBLISHED_AT).close("rut")
    if close.iloc[-1] >= close.max():  # the last close before the article was itself a record
        assert result.verdict.label == "Accurate"
        assert "was an all-time closing high" in result.verdict.reason
        assert "at a record" in result.finding and "trading above every past level" in result.finding
    below = latest.computation.figure("distance_from_record").value
    if below < 0:  # the latest close is not itself a record: the finding must not say it trades above every level
        assert f"{abs(below):.1f}% below its record close" in latest.finding
        assert "above every past level" not in latest.finding
    assert [s.primary for s in comp.sensitivity] == [False, False, True, False]
    assert next(s for s in comp.sensitivity if s.primary).label == result.verdict.label
    grid = latest.computation.sensitivity
    differing = [s for s in grid if s.label != latest.verdict.label]
    if len(differing) == 1:  # one differing setting is named; several are counted
        assert differing[0].parameter in latest.verdict.reason
    for label in {s.label for s in differing} if len(differing) > 1 else ():
        n = sum(s.label == label for s in differing)
        assert f"{label} under {n} of the {len(grid)} settings tried" in latest.verdict.reason


def _constructed(distance: float, records: int) -> Computation:
    figures = (Figure("distance_from_record", "distance", distance, "%"),
               Figure("records_last_30_days", "records", records, "count"),
               Figure("close", "close", 100.0, "points", "2026-01-22"))
    return Computation([Reading("near_record_recent", "x", figures, "distance_from_record", False)],
                       "near_record_recent")


@pytest.mark.parametrize(("distance", "records", "label"), [
    (0.0, 1, "Accurate"), (-2.0, 1, "Accurate"), (-2.01, 1, "Mostly accurate"),
    (-1.0, 0, "Mostly accurate"),  # near the record, but no record for 30 days
    (-5.0, 0, "Mostly accurate"), (-5.01, 3, "Inaccurate"),
])
def test_rule_boundaries(distance, records, label):
    assert get("RUT-PRICE-DISCOVERY").rule.apply(_constructed(distance, records)).label == label


@pytest.mark.parametrize(("key", "distance", "records", "reproduces"), [
    ("at_record", 0.0, 0, True), ("at_record", -0.01, 5, False), ("within_1pct", -1.0, 0, True),
    ("within_1pct", -1.01, 5, False), ("near_record_recent", -2.0, 1, True),
    ("near_record_recent", -2.0, 0, False), ("within_5pct", -5.0, 0, True), ("within_5pct", -5.01, 9, False),
])
def test_matches_edges(key, distance, records, reproduces):
    reading = _constructed(distance, records).primary_reading
    assert matches(Reading(key, "x", reading.figures, "distance_from_record", False)) is reproduces


def test_evidence_tracks_the_running_record_and_shows_the_article_day(market, result, latest):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "close", "record_close", "new_record"]
    seen = market.cut(PUBLISHED_AT).close("rut").index[-1]
    assert evidence["date"].max() == seen
    close = market.close("rut")
    running = close.cummax().reindex(evidence["date"])
    assert evidence["record_close"].to_numpy() == pytest.approx(running.to_numpy())
    assert latest.computation.evidence["date"].min() < seen  # the latest chart still shows the article's day
    assert "last close before the article" in json.dumps(get("RUT-PRICE-DISCOVERY").chart(evidence).to_dict())
