"""RUT-RATE-SENSITIVITY (a signal claim): the financing facts from the public record, and the weekly regression
re-derived with plain pandas and numpy.polyfit."""

import json

import numpy as np
import pandas as pd
import pytest

from generator.article import PUBLISHED_AT
from generator.claimkit.base import Computation, Figure, Reading
from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_rate_sensitivity import (
    REFERENCE_FILE,
    financing_facts,
    floating_shares,
    label,
    matches,
    ols,
)
from generator.paths import REFERENCE_DIR


def weekly_by_pandas(market, until: str) -> pd.DataFrame:
    both = pd.DataFrame({"rut": market.close("rut"), "spx": market.close("gspc"), "y2": market.close("dgs2")})
    both = both.dropna()
    both = both[both.index <= until]
    both["day"] = both.index
    weeks = both.groupby(both.index.to_period("W-FRI")).last()
    weeks.index = pd.DatetimeIndex(weeks["day"])  # each week dated by its last day with all three values
    out = pd.DataFrame({"gap": (weeks["rut"] / weeks["rut"].shift() - weeks["spx"] / weeks["spx"].shift()) * 100,
                        "dy": (weeks["y2"] - weeks["y2"].shift()) * 100})
    return out.dropna()


@pytest.fixture(scope="module")
def publication(market):
    return evaluate(get("RUT-RATE-SENSITIVITY"), market, "publication", PUBLISHED_AT)


def _seen(market) -> str:
    """The last day all three series had a value when the article appeared."""
    cut = market.cut(PUBLISHED_AT)
    return min(cut.close(s).index[-1] for s in ("rut", "gspc", "dgs2")).strftime("%Y-%m-%d")


def check_window(comp, key: str, weeks: pd.DataFrame) -> None:
    slope, _ = np.polyfit(weeks["dy"], weeks["gap"], 1)
    r = np.corrcoef(weeks["dy"], weeks["gap"])[0, 1]
    n = len(weeks)
    assert comp.figure("weeks", key).value == n
    assert comp.figure("slope_per_100bp", key).value == pytest.approx(slope * 100)
    assert comp.figure("r_squared", key).value == pytest.approx(r**2)
    # for a one-variable regression, t = r * sqrt(n - 2) / sqrt(1 - r^2)
    assert comp.figure("t_stat", key).value == pytest.approx(r * np.sqrt(n - 2) / np.sqrt(1 - r**2))


def test_since_2010_at_publication(market, publication):
    weeks = weekly_by_pandas(market, _seen(market))
    check_window(publication.computation, "since_2010", weeks[weeks.index >= "2010-01-01"])


def test_last_three_years_at_publication(market, publication):
    weeks = weekly_by_pandas(market, _seen(market))
    start = weeks.index[-1] - pd.DateOffset(years=3)
    check_window(publication.computation, "last_3y", weeks[weeks.index > start])


def test_last_three_years_at_the_latest_date(market):
    latest = evaluate(get("RUT-RATE-SENSITIVITY"), market, "latest")
    weeks = weekly_by_pandas(market, "2100-01-01")
    start = weeks.index[-1] - pd.DateOffset(years=3)
    check_window(latest.computation, "last_3y", weeks[weeks.index > start])


def test_ols_on_an_exact_line_and_its_limits():
    fit = ols(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 3.0, 5.0, 7.0]))
    assert (fit.slope, fit.intercept, fit.r_squared, fit.n) == (pytest.approx(2.0), pytest.approx(1.0), 1.0, 4)
    assert fit.slope_se == pytest.approx(0.0) and np.isnan(fit.t_stat)
    with pytest.raises(ValueError):
        ols(np.array([1.0, 2.0]), np.array([1.0, 2.0]))  # two points leave no degree of freedom
    with pytest.raises(ValueError):
        ols(np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0]))  # x must vary


def test_ols_standard_error_matches_the_textbook_formula():
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([0.1, 0.9, 2.2, 2.8, 4.1])
    fit = ols(x, y)
    resid = y - np.polyval(np.polyfit(x, y, 1), x)
    expected = np.sqrt(resid @ resid / (len(x) - 2) / ((x - x.mean()) ** 2).sum())
    assert fit.slope_se == pytest.approx(expected)


def test_a_signal_claim_with_its_comparison_grid_and_sources(market, publication):
    claim, comp = get("RUT-RATE-SENSITIVITY"), publication.computation
    assert claim.kind == "signal" and claim.references == (REFERENCE_FILE,)
    assert comp.comparison is not None and [s.primary for s in comp.sensitivity] == [True, False]
    weeks = weekly_by_pandas(market, _seen(market))
    weeks = weeks[weeks.index >= "2010-01-01"]
    up = weeks.loc[weeks["dy"] >= 10, "gap"]
    figures = {f.key: f.value for f in comp.comparison.figures}
    assert figures["weeks_yield_up"] == len(up)
    assert figures["lagged_yield_up"] == pytest.approx((up < 0).mean() * 100)
    assert figures["lagged_any_week"] == pytest.approx((weeks["gap"] < 0).mean() * 100)
    assert f"{figures['lagged_yield_up']:.0f}%" in comp.comparison.answer


def test_every_reference_fact_names_its_publisher_date_link_and_group():
    facts = financing_facts()
    assert len(facts) >= 3
    for fact in facts.values():
        assert fact["url"].startswith("https://") and fact["source"] and fact["date"] and fact["retrieved"]
        assert fact["group"] in ("small caps", "large caps")


def test_a_fact_without_a_link_is_a_clear_error(tmp_path):
    doc = json.loads((REFERENCE_DIR / REFERENCE_FILE).read_text(encoding="utf-8"))
    first = next(k for k in doc if k != "about")
    del doc[first]["url"]
    bad = tmp_path / REFERENCE_FILE
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match=f"{REFERENCE_FILE}: fact '{first}' lacks url"):
        financing_facts(bad)


@pytest.mark.parametrize(("small", "large", "slope", "t", "expected"), [
    ([51.0], [8.0], -1.0, -2.0, "Accurate"),          # mainly floating, pattern shown at t = -2 exactly
    ([50.0], [8.0], -1.0, -2.0, "Mostly accurate"),   # 50% is not "mainly"
    ([30.0], [6.0, 8.0], -1.0, -2.0, "Mostly accurate"),
    ([30.0], [6.0, 8.0], -1.0, -1.99, "Misleading"),  # just short of t = -2
    ([30.0], [6.0, 8.0], 0.0, -3.0, "Misleading"),    # a flat line is no lag
    ([30.0], [6.0, 8.0], 0.8, 1.5, "Misleading"),
    ([8.0], [8.0], -1.0, -3.0, "Inaccurate"),         # small caps no more floating than large caps
])
def test_rule_edges(small, large, slope, t, expected):
    assert label(small, large, slope, t) == expected
    figures = (Figure("slope_per_100bp", "slope", slope, "pp"), Figure("t_stat", "t", t, "ratio"),
               Figure("first_week", "first", "2010-01-08", "date"))
    context = {**{f"small_cap_floating_pct_{i}": v for i, v in enumerate(small)},
               **{f"large_cap_floating_pct_{i}": v for i, v in enumerate(large)}}
    comp = Computation([Reading("since_2010", "Weekly, since 2010", figures, "slope_per_100bp", False)],
                       "since_2010", context=context)
    assert get("RUT-RATE-SENSITIVITY").rule.apply(comp).label == expected
    # a window reproduces the article's story when it shows the price pattern, whatever the debt figures
    assert matches(comp.primary_reading) is (slope < 0 and t <= -2)


def test_verdict_reason_readings_and_finding_agree(publication):
    comp = publication.computation
    slope, t = comp.figure("slope_per_100bp").value, comp.figure("t_stat").value
    shown = slope < 0 and t <= -2
    assert comp.primary_reading.matches_article is shown
    assert publication.verdict.label == ("Mostly accurate" if shown else "Misleading")  # 30% is not "mainly"
    assert f"{slope:+.2f} pp" in publication.verdict.reason
    assert ("has not reliably lagged" in publication.finding) is (not shown)
    small = floating_shares(financing_facts(), "small caps")
    assert f"{min(small):g}%" in publication.finding and "more but not most" in publication.finding


def test_scatter_with_fit_lines_over_data_the_article_could_have_seen(market, publication):
    ev = publication.computation.evidence
    assert list(ev.columns) == ["date", "yield_change_bp", "relative_return_pct", "window", "fit_pct"]
    assert set(ev["window"]) == {"Since 2010", "Last 3 years"}
    assert ev["date"].max() == pd.Timestamp(_seen(market))
    get("RUT-RATE-SENSITIVITY").chart(ev).to_dict()
