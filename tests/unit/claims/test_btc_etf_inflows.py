"""BTC-ETF-INFLOWS: cumulative net inflows of the spot bitcoin ETFs, estimated from shares outstanding x price.

tests/fixtures/datasets/btc-etf-shares.csv is what the refresh writes from canned Yahoo answers
(tests/fixtures/yahoo/shares and history) for four of the twelve funds: IBIT and FBTC (launched
2024-01-11 with new money), GBTC (a trust with shares before its conversion) and BTC, the Grayscale Mini
Trust (seeded 2024-07-31 by a spin-off from GBTC). The expected figures are rebuilt here with plain pandas.
"""

from datetime import date

import pytest
from _live_datasets import DATASETS, with_datasets

from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get

PUB = date(2026, 1, 23)
SHARES = DATASETS["btc-etf-shares"]
CLAIM = get("BTC-ETF-INFLOWS")



@pytest.fixture(scope="module")
def publication(market):
    return evaluate(CLAIM, with_datasets(market), "publication", PUB)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(CLAIM, with_datasets(market), "latest")


def net_flow(fund, end, from_zero):
    """Sum of (shares - previous shares) x close over the counts from 2024-01-11 to ``end``."""
    rows = SHARES.loc[(SHARES["fund"] == fund) & (SHARES["date"] <= end)].dropna(subset=["shares_outstanding"])
    previous = rows["shares_outstanding"].shift(1)
    if from_zero:
        previous.iloc[0] = 0.0
    flows = (rows["shares_outstanding"] - previous) * rows["close"]
    return flows[rows["date"] >= "2024-01-11"].sum()


def expected_net(end):
    return {"IBIT": net_flow("IBIT", end, True), "FBTC": net_flow("FBTC", end, True),
            "GBTC": net_flow("GBTC", end, False), "BTC": net_flow("BTC", end, False)}


def test_the_offline_snapshot_needs_live_data(market):
    result = evaluate(CLAIM, market, "publication", PUB)
    assert result.status == "needs-live-data"
    assert result.missing == "btc-etf-shares: needs live data (no stored copy in this build)"


def test_net_inflows_to_publication(publication):
    flows = expected_net("2026-01-23")
    assert publication.computation.figure("amount", "net_inflows").value == pytest.approx(sum(flows.values()))
    assert publication.computation.figure("amount", "net_excluding_gbtc").value == pytest.approx(
        flows["IBIT"] + flows["FBTC"] + flows["BTC"])
    assert publication.computation.figure("amount", "gbtc").value == pytest.approx(flows["GBTC"])
    assert flows["GBTC"] < 0                              # money left the converted trust


def test_launch_and_spin_off_are_treated_differently(publication):
    # IBIT's first shares were bought on day one (new money); BTC's came from GBTC (not new money): the claim's
    # figure counts the first and not the second, and each other treatment gives another number
    end = "2026-01-23"
    got = publication.computation.figure("amount", "net_excluding_gbtc").value
    launch_new, spin_off_new = net_flow("IBIT", end, True) + net_flow("FBTC", end, True), net_flow("BTC", end, True)
    launch_old, spin_off_old = net_flow("IBIT", end, False) + net_flow("FBTC", end, False), net_flow("BTC", end, False)
    assert got == pytest.approx(launch_new + spin_off_old)
    for other in (launch_old + spin_off_old, launch_new + spin_off_new, launch_old + spin_off_new):
        assert got != pytest.approx(other, rel=1e-3)
    assert any("BTC: seeded on 2024-07-31" in note for note in publication.computation.notes)


def test_total_assets_are_shares_times_close_on_the_evaluation_date(publication):
    day = SHARES.loc[SHARES["date"] == "2026-01-23"]
    expected = (day["shares_outstanding"] * day["close"]).sum()
    assert publication.computation.figure("amount", "total_assets").value == pytest.approx(expected)


def test_latest_runs_to_the_last_day_of_data(latest):
    flows = expected_net("2026-03-02")
    assert latest.computation.figure("amount", "net_inflows").value == pytest.approx(sum(flows.values()))
    assert latest.computation.figure("amount", "net_inflows").date == "2026-03-02"


def test_verdict_and_missing_funds_are_named(publication):
    net = sum(expected_net("2026-01-23").values())
    assert net < 100e9
    assert publication.verdict.label == "Inaccurate"
    assert "no data for ARKB, BITB, HODL, BRRR, EZBC, BTCO, BTCW, DEFI" in publication.verdict.reason
    assert any(note.startswith("Estimated from daily shares outstanding") for note in publication.computation.notes)


def test_evidence_is_weekly_running_totals_ending_at_the_net_flow(publication):
    evidence = publication.computation.evidence
    assert set(evidence["series"]) == {"All spot bitcoin ETFs", "GBTC (converted trust)", "The other funds"}
    total = evidence.loc[evidence["series"] == "All spot bitcoin ETFs", "cumulative_usd_bn"].iloc[-1]
    assert total == pytest.approx(sum(expected_net("2026-01-23").values()) / 1e9)


def judged(net, assets=0.0, gross=0.0):
    reading = Reading("net_inflows", "", (Figure("amount", "", net, "USD"),), "amount")
    return CLAIM.rule.apply(Computation([reading], "net_inflows", context={
        "total_assets": assets, "gross_creations": gross, "error_bound": 0.0, "missing_funds": ""}))


@pytest.mark.parametrize("net, assets, gross, label", [
    (200e9, 0, 0, "Accurate"), (199.9e9, 0, 0, "Mostly accurate"), (100e9, 0, 0, "Mostly accurate"),
    (99.9e9, 200e9, 0, "Misleading"), (99.9e9, 0, 200e9, "Misleading"), (99.9e9, 199.9e9, 199.9e9, "Inaccurate"),
])
def test_rule_boundaries(net, assets, gross, label):
    assert judged(net, assets, gross).label == label
