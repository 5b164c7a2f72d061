"""RUT-PRICE-DISCOVERY: how close the last close stands to the all-time closing high, and how recent the records are.

At publication the 2026-01-22 close was a record and the 2026-01-23 close was below it.
"""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)


@pytest.fixture(scope="module")
def result(market):
    return evaluate(get("RUT-PRICE-DISCOVERY"), market, "publication", PUB)


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


def test_publication_figures_use_the_2026_01_23_close(market, result):
    close = market.close("rut")
    close = close[close.index <= "2026-01-23"]
    _check(result.computation, close)
    assert result.computation.figure("record_close").date == "2026-01-22"  # the day before publication
    assert result.computation.figure("records_last_30_days").value >= 1


def test_latest_figures_use_the_last_close(market, latest):
    _check(latest.computation, market.close("rut"))


def test_readings_at_each_tolerance_at_publication(result):
    distance = result.computation.figure("distance_from_record").value
    assert -2 < distance < -1  # below the record by between 1% and 2%
    matches = {r.key: r.matches_article for r in result.computation.readings}
    assert matches == {"at_record": False, "within_1pct": False, "near_record_recent": True, "within_5pct": True}


def test_verdicts(result, latest):
    # within 2% of the record close, with record closes in the prior 30 days, at both dates
    assert result.verdict.label == "Accurate"
    assert latest.verdict.label == "Accurate"


def _constructed(distance: float, records: int) -> Computation:
    return Computation([], "", context={"distance_from_record": distance, "records_last_30_days": records})


@pytest.mark.parametrize(("distance", "records", "label"), [
    (0.0, 1, "Accurate"), (-2.0, 1, "Accurate"), (-2.01, 1, "Mostly accurate"),
    (-1.0, 0, "Mostly accurate"),  # near the record, but no record for 30 days
    (-5.0, 0, "Mostly accurate"), (-5.01, 3, "Inaccurate"),
])
def test_rule_boundaries(distance, records, label):
    assert get("RUT-PRICE-DISCOVERY").rule.apply(_constructed(distance, records)).label == label


def test_evidence_tracks_the_running_record(market, result):
    evidence = result.computation.evidence
    assert list(evidence.columns) == ["date", "close", "record_close", "new_record"]
    assert evidence["date"].max() == pd.Timestamp("2026-01-23")
    close = market.close("rut")
    running = close.cummax().reindex(evidence["date"])
    assert evidence["record_close"].to_numpy() == pytest.approx(running.to_numpy())
    get("RUT-PRICE-DISCOVERY").chart(evidence).to_dict()
