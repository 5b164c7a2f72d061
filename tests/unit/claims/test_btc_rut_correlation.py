"""BTC-RUT-CORRELATION: correlations re-derived with plain pandas; the ranking rule at its boundaries."""

from datetime import date

import pandas as pd
import pytest

from generator.claimkit.base import Computation, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.btc_rut_correlation import judge

PUB = date(2026, 1, 23)


def corr_by_pandas(equity: pd.Series, btc: pd.Series, start: str, end: str, weekly: bool = False) -> float:
    both = pd.DataFrame({"eq": equity, "btc": btc}).dropna()  # BTC on equity trading days only
    if weekly:
        both = both.groupby(both.index.to_period("W-FRI")).last()
        both.index = both.index.end_time.normalize()
    returns = (both / both.shift(1) - 1).dropna()
    returns = returns[(returns.index >= start) & (returns.index <= end)]
    return returns["eq"].corr(returns["btc"])


@pytest.fixture(scope="module")
def publication(market):
    return evaluate(get("BTC-RUT-CORRELATION"), market, "publication", PUB)


@pytest.fixture(scope="module")
def latest(market):
    return evaluate(get("BTC-RUT-CORRELATION"), market, "latest")


@pytest.mark.parametrize("series", ["rut", "iwm", "gspc", "ixic", "ndx", "qqq"])
def test_2024_2025_correlations_daily_and_weekly(market, publication, series):
    btc, eq = market.close("btc-usd"), market.close(series)
    comp = publication.computation
    daily = corr_by_pandas(eq, btc, "2024-01-01", "2025-12-31")
    weekly = corr_by_pandas(eq, btc, "2024-01-01", "2025-12-31", weekly=True)
    assert comp.figure(f"corr_{series}", "daily_2024_2025").value == pytest.approx(daily)
    assert comp.figure(f"corr_{series}", "weekly_2024_2025").value == pytest.approx(weekly)


def test_xlk_returns_come_from_split_adjusted_closes(market, publication):
    # the collector left XLK's 2-for-1 split of 2025-11-17 unadjusted; the importer back-adjusted it
    close = market.close("xlk")
    assert abs(close.pct_change().loc["2025-11-17"]) < 0.1
    assert any("Split adjustment applied: 2025-11-17" in n for n in market.manifests["xlk"].notes)
    expected = corr_by_pandas(close, market.close("btc-usd"), "2024-01-01", "2025-12-31")
    assert publication.computation.figure("corr_xlk", "daily_2024_2025").value == pytest.approx(expected)


def test_trailing_year_at_publication_ends_on_the_publication_date(market, publication):
    btc, rut = market.close("btc-usd"), market.close("rut")
    expected = corr_by_pandas(rut[rut.index <= "2026-01-23"], btc, "2025-01-24", "2026-01-23")
    assert publication.computation.figure("corr_rut", "daily_trailing_1y").value == pytest.approx(expected)


def test_series_that_end_early_are_not_ranked_in_the_latest_trailing_year(market, latest):
    comp = latest.computation
    xlk_end = market.close("xlk").index[-1].strftime("%Y-%m-%d")
    assert "xlk" not in comp.figure("ranking", "daily_trailing_1y").value
    assert "left out of the ranking" in comp.figure("corr_xlk", "daily_trailing_1y").note
    assert any(f"data end {xlk_end}" in note for note in comp.notes)
    assert "xlk" in comp.figure("ranking", "daily_2024_2025").value  # the fixed window is fully covered


def without_psct(market):
    return type(market)({k: v for k, v in market.frames.items() if k != "psct"}, market.manifests)


def test_without_psct_the_attribution_is_judged_and_the_proxy_is_stated(market):
    data = without_psct(market)
    publication = evaluate(get("BTC-RUT-CORRELATION"), data, "publication", PUB)
    latest = evaluate(get("BTC-RUT-CORRELATION"), data, "latest")
    comp = publication.computation
    assert comp.figure("corr_psct", "daily_2024_2025").value is None
    small = max(comp.figure("corr_rut", "daily_2024_2025").value, comp.figure("corr_iwm", "daily_2024_2025").value)
    large = max(comp.figure(f"corr_{s}", "daily_2024_2025").value for s in ("xlk", "qqq", "ndx"))
    assert comp.figure("small_caps_best", "daily_2024_2025").value == pytest.approx(small)
    assert comp.figure("large_tech_best", "daily_2024_2025").value == pytest.approx(large)
    for result in (publication, latest):
        # the record confirms the attribution; the proxy ranking decides between Accurate and Mostly accurate
        assert result.verdict.label == ("Accurate" if small > large else "Mostly accurate")
        assert "on the public record" in result.verdict.reason
        assert ("rank above" if small > large else "rank below") in result.verdict.reason
        # no PSCT: no window can say whether it reproduces the study's ranking
        assert all(r.matches_article is None for r in result.computation.readings)
        assert "reproduce" not in result.verdict.reason


def test_the_committed_psct_is_ranked_with_the_other_proxies(market, publication):
    psct, btc = market.close("psct"), market.close("btc-usd")
    comp = publication.computation
    assert comp.context["psct_available"] is True
    expected = corr_by_pandas(psct, btc, "2024-01-01", "2025-12-31")
    assert comp.figure("corr_psct", "daily_2024_2025").value == pytest.approx(expected)
    ranking = [item.split()[0] for item in comp.figure("ranking", "daily_2024_2025").value.split(" > ")]
    assert comp.figure("psct_rank", "daily_2024_2025").value == ranking.index("psct") + 1


def test_psct_is_declared_as_an_optional_input():
    claim = get("BTC-RUT-CORRELATION")
    assert "psct" in claim.optional and "psct" not in claim.needs


def test_with_psct_present_it_is_ranked(market):
    # a stand-in PSCT identical to IWM: it ties with IWM, which sorts first by name, so PSCT ranks behind it
    frames = dict(market.frames)
    frames["psct"] = market.frame("iwm").copy()
    result = evaluate(get("BTC-RUT-CORRELATION"), type(market)(frames, market.manifests), "publication", PUB)
    comp = result.computation
    assert comp.figure("corr_psct", "daily_2024_2025").value == pytest.approx(
        comp.figure("corr_iwm", "daily_2024_2025").value)
    assert comp.context["psct_available"] is True
    ranking = [item.split()[0] for item in comp.figure("ranking", "daily_2024_2025").value.split(" > ")]
    assert ranking.index("iwm") + 1 == ranking.index("psct")
    assert comp.figure("psct_rank", "daily_2024_2025").value == ranking.index("psct") + 1
    top = comp.figure("top_correlation", "daily_2024_2025").value
    gap = top - comp.figure("corr_psct", "daily_2024_2025").value
    assert result.verdict.label == ("Accurate" if gap <= 0.05 else "Mostly accurate")
    assert comp.reading("daily_2024_2025").matches_article is False
    assert "No reading reproduces the article's figure" in result.verdict.reason


def _comp(psct: float | None, top: float, rank: int | None, small: float = 0.4, large: float = 0.3) -> Computation:
    key = "daily_2024_2025"
    return Computation([Reading(key, "x", (), "x")], key, context={
        "psct_available": psct is not None, f"{key}_corr_psct": psct, f"{key}_top_correlation": top,
        f"{key}_psct_rank": rank, f"{key}_small_caps_best": small, f"{key}_large_tech_best": large,
        f"{key}_top_series": "Russell 2000"})


def test_rule_boundaries_with_psct():
    assert judge(_comp(0.50, 0.50, 1)).label == "Accurate"
    assert judge(_comp(0.45, 0.50, 2)).label == "Accurate"  # exactly 0.05 below the top: does not contradict
    assert "only 0.050 below the top" in judge(_comp(0.45, 0.50, 2)).reason
    assert "ranks first, so the data agree" in judge(_comp(0.50, 0.50, 1)).reason
    assert judge(_comp(0.4499, 0.50, 2)).label == "Mostly accurate"  # the attribution holds, the data do not


def test_rule_without_psct_uses_the_proxy_direction():
    assert judge(_comp(None, 0.50, None, small=0.40, large=0.30)).label == "Accurate"
    assert judge(_comp(None, 0.50, None, small=0.30, large=0.30)).label == "Accurate"  # a tie is not against
    assert judge(_comp(None, 0.50, None, small=0.2999, large=0.30)).label == "Mostly accurate"


def test_rule_without_a_public_record_is_inaccurate(monkeypatch):
    import generator.claims.btc_rut_correlation as module
    monkeypatch.setattr(module, "record_confirms", lambda: False)
    verdict = judge(_comp(0.50, 0.50, 1))
    assert verdict.label == "Inaccurate" and "No public record" in verdict.reason


def test_the_record_is_a_sourced_reference_fact():
    from generator.reference_facts import fact
    record = fact("jpmorgan_crypto_correlation.json", "highest_correlation")
    assert "small-cap tech" in str(record.value)
    assert record.url.startswith("https://www.theblock.co/") and record.source == "The Block"
    assert "jpmorgan_crypto_correlation.json" in get("BTC-RUT-CORRELATION").references


def test_matches_is_psct_ranked_first():
    from generator.claimkit.base import Figure
    from generator.claims.btc_rut_correlation import matches
    assert matches(Reading("k", "x", (Figure("psct_rank", "r", 1, "count"),), "psct_rank")) is True
    assert matches(Reading("k", "x", (Figure("psct_rank", "r", 2, "count"),), "psct_rank")) is False
    assert matches(Reading("k", "x", (Figure("other", "r", 2, "count"),), "other")) is None


def test_the_finding_names_the_record_and_the_ranking(market, publication):
    without = evaluate(get("BTC-RUT-CORRELATION"), without_psct(market), "publication", PUB)
    comp = without.computation
    sentence = without.finding
    top = comp.figure("top_correlation", "daily_2024_2025").value
    assert "The Block reported on 30 Jan 2025" in sentence
    assert comp.figure("top_series", "daily_2024_2025").value in sentence and f"{top:.3f}" in sentence
    # with PSCT the sentence gives its rank and correlation instead
    rank = publication.computation.figure("psct_rank", "daily_2024_2025").value
    psct = publication.computation.figure("corr_psct", "daily_2024_2025").value
    assert f"ranks {rank}" in publication.finding and f"{psct:.3f}" in publication.finding


def test_rolling_evidence_is_weekly_and_small(latest):
    ev = latest.computation.evidence
    assert list(ev.columns) == ["date", "series", "correlation"]
    assert set(ev["series"]) == {"Russell 2000", "QQQ (Nasdaq-100 ETF)", "XLK (large-cap tech)",
                                 "PSCT (small-cap tech)"}
    per_week = ev.groupby(["series", ev["date"].dt.to_period("W-FRI")]).size()
    assert per_week.max() == 1 and len(ev) < 2000
