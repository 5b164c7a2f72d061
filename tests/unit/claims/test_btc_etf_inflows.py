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


# --- the reported flows (Farside) and assets (Artemis) committed under data/datasets --------------------

def _reported(market):
    from generator.datasets.store import DATASETS_DIR
    from generator.market import MarketData
    from generator.store import load_datasets

    found = load_datasets(DATASETS_DIR)
    if "btc-etf-flows" not in found:
        pytest.skip("no reported flows committed under data/datasets")
    return MarketData(market.frames, market.manifests, found), found


def test_reported_flows_are_summed_per_fund_to_the_cut_and_gbtc_is_shown_apart(market):
    data, found = _reported(market)
    flows = found["btc-etf-flows"]
    upto = flows.loc[flows["date"] <= "2026-01-23"]
    result = evaluate(CLAIM, data, "publication", PUB)
    comp = result.computation
    assert comp.context["source"] == "reported"
    assert comp.figure("amount", "net_inflows").value == pytest.approx(upto["flow_usd"].sum())
    assert comp.figure("amount", "gbtc").value == pytest.approx(upto.loc[upto["fund"] == "GBTC", "flow_usd"].sum())
    assert comp.figure("amount", "net_excluding_gbtc").value == pytest.approx(
        upto.loc[upto["fund"] != "GBTC", "flow_usd"].sum())
    assets = found["btc-etf-assets"]
    assert comp.figure("amount", "total_assets").value == pytest.approx(
        assets.loc[assets["date"] == "2026-01-23", "assets_usd"].sum())
    # the chart's last points are the figures of the page
    evidence = comp.evidence
    last = evidence.loc[evidence["date"] == evidence["date"].max()].set_index("series")["usd_bn"]
    assert last["All spot bitcoin ETFs"] == pytest.approx(upto["flow_usd"].sum() / 1e9)
    latest = evaluate(CLAIM, data, "latest")
    assert latest.computation.figure("amount", "net_inflows").date == flows["date"].max().strftime("%Y-%m-%d")


def test_the_translation_reading_never_decides_the_verdict(market):
    data, _ = _reported(market)
    comp = evaluate(CLAIM, data, "publication", PUB).computation
    translation = comp.reading("translation")
    assert translation.matches_article is None and comp.primary != "translation"
    assert "never the verdict" in translation.explanation or "would not describe" in translation.explanation


def test_reported_path_cross_checks_the_shares_estimate_when_both_exist(market):
    data, found = _reported(market)
    both = with_datasets(data, **{k: v for k, v in found.items() if k != "btc-etf-shares"})
    comp = evaluate(CLAIM, both, "publication", PUB).computation
    assert comp.context["source"] == "reported"
    assert any(n.startswith("Cross-check: shares outstanding x close gives") for n in comp.notes)


def test_a_live_fetch_extends_the_reported_flows_and_never_replaces_them(market):
    data, found = _reported(market)
    flows = found["btc-etf-flows"]
    early = flows.loc[flows["date"] <= "2025-12-31"]  # reported flows ending before the fixture's share counts do
    both = with_datasets(data, **{"btc-etf-flows": early, "btc-etf-assets": found["btc-etf-assets"]})
    comp = evaluate(CLAIM, both, "latest").computation
    reported = comp.figure("amount", "reported_only").value
    assert reported == pytest.approx(early["flow_usd"].sum())  # the imported facts are kept as they are
    # the extension: share changes after 2025-12-31 x close, from the fixture's counts (the four funds in it)
    after = SHARES.loc[SHARES["date"] > "2025-12-31"].dropna(subset=["shares_outstanding"])
    expected = 0.0
    for _fund, rows in SHARES.dropna(subset=["shares_outstanding"]).groupby("fund"):
        rows = rows.sort_values("date")
        base = rows.loc[rows["date"] <= "2025-12-31"]
        later = rows.loc[rows["date"] > "2025-12-31"]
        if later.empty or base.empty:
            continue
        previous = later["shares_outstanding"].shift(1)
        previous.iloc[0] = base["shares_outstanding"].iloc[-1]
        expected += ((later["shares_outstanding"] - previous) * later["close"]).sum()
    assert len(after)
    assert comp.figure("amount", "net_inflows").value == pytest.approx(reported + expected)
    assert any(n.startswith("After the reported flows end (2025-12-31)") for n in comp.notes)
