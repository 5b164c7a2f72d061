"""The claims that read data imported from public files (data/datasets) or published figures
(data/reference/published_figures.json): figures are re-derived here from what the claim reads."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.datasets.store import DATASETS_DIR
from generator.market import MarketData
from generator.paths import REFERENCE_DIR
from generator.store import load_datasets

PUB = PUBLISHED_AT  # the moment of publication: US closes through 2026-01-22


@pytest.fixture(scope="module")
def imported(market):
    found = load_datasets(DATASETS_DIR)
    return MarketData(market.frames, market.manifests, found), found


def test_median_cap_from_the_screener_figures_and_the_alignment_reading(imported):
    data, found = imported
    stats = found["r2k-market-caps"].set_index("statistic")["value"]
    result = evaluate(get("RUT-MEDIAN-CAP"), data, "publication", PUB)
    comp = result.computation
    assert comp.figure("median_cap").value == pytest.approx(stats["median"])
    assert comp.figure("matched").value == stats["matched"]
    rut = data.cut(PUB).close("rut")
    expected = stats["median"] * float(rut.iloc[-1]) / stats["index close on the caps day"]
    assert comp.figure("aligned_cap").value == pytest.approx(expected)
    # the distribution: bracket counts add up to the matched companies, and the median's bracket is marked
    assert comp.evidence["companies"].sum() == stats["matched"]
    marked = comp.evidence.loc[comp.evidence["holds_median"]]
    assert len(marked) == 1 and marked["lower_usd"].iloc[0] <= stats["median"]
    assert "about 2026-02-20" in comp.reading("median").label
    assert comp.reading("smallest_2000").matches_article is False
    assert result.verdict.label == "Mostly accurate"  # 1.00-1.25 bn, but not the 2,000 smallest


def test_negative_earnings_are_reported_not_computed_and_respect_the_cut(market):
    doc = json.loads((REFERENCE_DIR / "published_figures.json").read_text())
    entries = doc["r2k_negative_earnings"]
    claim = get("RUT-NEGATIVE-EARNINGS")
    result = evaluate(claim, market, "publication", PUB)
    reported = [r for r in result.computation.readings if r.key.startswith("reported_")]
    assert sorted(r.headline_figure.value for r in reported) == sorted(float(e["value"]) for e in entries)
    assert "reported, not computed" in result.verdict.reason.lower()
    assert result.verdict.label == "Mostly accurate"  # never Accurate: none is for the Q3-2025 quarter
    assert "the figures are reported, not computed" in claim.rule.text
    # before the newest estimate was published, it is not visible
    earlier = evaluate(claim, market, "publication", date(2025, 9, 1))
    values = [r.headline_figure.value for r in earlier.computation.readings if r.key.startswith("reported_")]
    assert 40.0 not in values and len(values) == len(entries) - 1


def test_negative_earnings_rule_boundaries_for_reported_figures():
    claim = get("RUT-NEGATIVE-EARNINGS")
    from generator.claimkit.base import Figure, Reading

    def comp(value: float) -> Computation:
        reading = Reading("reported_1", "r", (Figure("share_negative", "s", value, "%", "2025-10-01", "X, 2025"),),
                          "share_negative")
        return Computation([reading], "reported_1", context={"source": "reported", "coverage": 0.0,
                                                             "spread": abs(value - 40)})
    assert claim.rule.apply(comp(50.0)).label == "Mostly accurate"
    assert claim.rule.apply(comp(50.01)).label == "Inaccurate"
    assert claim.rule.apply(comp(40.0)).label == "Mostly accurate"


def test_smallcap_bound_is_rebuilt_from_share_counts_flows_and_closes(imported):
    data, found = imported
    counts = found["iwm-shares"].set_index("date")["shares_outstanding"]
    closes = found["iwm-closes"].set_index("date")["close"]
    flows = found["etf-daily-flows"].query("fund == 'IWM'").set_index("date")["flow_usd"]
    january = flows.loc["2026-01-02":"2026-01-21"]
    year_end = counts["2026-01-21"] - (january / closes.reindex(january.index)).sum()
    may_nov = (counts["2025-11-05"] - counts["2025-05-13"]) * closes.loc["2025-05-13":"2025-11-05"].mean()
    nov_dec = (year_end - counts["2025-11-05"]) * closes.loc["2025-11-05":"2025-12-31"].mean()
    result = evaluate(get("SMALLCAP-ETF-OUTFLOWS"), data, "publication", PUB)
    comp = result.computation
    assert comp.figure("net_flow", "iwm_measured").value == pytest.approx(may_nov + nov_dec)
    low, high = comp.figure("low").value, comp.figure("high").value
    assert low < may_nov + nov_dec < high
    assert comp.reading("iwm_before").headline_figure.value is None  # open, said so
    assert result.verdict.label == "Unverifiable"
    assert any(r.key.startswith("reported_") for r in comp.readings)
    assert np.isclose(comp.evidence["net_flow_usd_bn"].sum() * 1e9, may_nov + nov_dec)


def test_every_claim_has_a_verdict_on_the_committed_data(imported):
    from generator.claims import all_claims

    data, _ = imported
    missing = [c.id for c in all_claims() if evaluate(c, data, "publication", PUB).status != "computed"]
    assert missing == []


def test_the_splice_brings_in_the_2012_cycle_and_the_first_halving(imported):
    from generator.bitcoin import spliced_close

    data, found = imported
    early = found["btc-usd-early"].set_index("date")["close"]
    close, splice = spliced_close(data)
    yahoo = data.close("btc-usd")
    assert splice == yahoo.index[0] and close.index.is_unique and close.index.is_monotonic_increasing
    assert (close.loc[close.index >= splice] == yahoo).all()  # Yahoo's days are never replaced
    # 2012: the previous record is the highest close up to a year before the halving; derived from the early closes
    before = early.loc[early.index <= pd.Timestamp("2012-11-28") - pd.Timedelta(days=365)]
    record = before.max()
    broken = early.loc[(early.index > before.idxmax()) & (early > record)].index[0]
    result = evaluate(get("BTC-ATH-BEFORE-HALVING"), data, "publication", PUB)
    assert result.computation.context["record_beaten_2012"] == broken.strftime("%Y-%m-%d")
    assert broken > pd.Timestamp("2012-11-28")  # the 2011 record fell only after the first halving
    assert result.computation.context["earlier_unchecked"] == 0  # with the splice, every earlier halving is checked
    cycles = evaluate(get("BTC-CYCLE-MULTIPLES"), data, "publication", PUB).computation
    n = cycles.context["days"]
    # block 210,000 came at about 15:24 UTC on the 28th: the nearest UTC-day close is that day's (00:00 on the 29th)
    base = early.loc[pd.Timestamp("2012-11-28")]
    expected = close.loc[pd.Timestamp("2012-11-28") + pd.Timedelta(days=n)] / base
    assert cycles.figure("multiple_2012", "point_2012_2016").value == pytest.approx(expected)
    assert "2012 halving" in set(cycles.evidence["cycle"])
