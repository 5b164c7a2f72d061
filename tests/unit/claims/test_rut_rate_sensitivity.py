"""RUT-RATE-SENSITIVITY (opinion): the weekly regression, re-derived with plain pandas and numpy.polyfit."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from generator.claimkit.evaluate import evaluate
from generator.claims import get
from generator.claims.rut_rate_sensitivity import ols

PUB = date(2026, 1, 23)


def weekly_by_pandas(market, until: str) -> pd.DataFrame:
    both = pd.DataFrame({"rut": market.close("rut"), "spx": market.close("gspc"), "y2": market.close("dgs2")})
    both = both.dropna()
    both = both[both.index <= until]
    weeks = both.groupby(both.index.to_period("W-FRI")).last()
    weeks.index = weeks.index.end_time.normalize()
    out = pd.DataFrame({"gap": (weeks["rut"] / weeks["rut"].shift() - weeks["spx"] / weeks["spx"].shift()) * 100,
                        "dy": (weeks["y2"] - weeks["y2"].shift()) * 100})
    return out.dropna()


@pytest.fixture(scope="module")
def publication(market):
    return evaluate(get("RUT-RATE-SENSITIVITY"), market, "publication", PUB)


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
    weeks = weekly_by_pandas(market, "2026-01-23")
    check_window(publication.computation, "since_2010", weeks[weeks.index >= "2010-01-01"])


def test_last_three_years_at_publication(market, publication):
    weeks = weekly_by_pandas(market, "2026-01-23")
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


def test_the_scatter_has_both_windows_and_their_fit_lines(publication):
    ev = publication.computation.evidence
    assert list(ev.columns) == ["date", "yield_change_bp", "relative_return_pct", "window", "fit_pct"]
    assert set(ev["window"]) == {"Since 2010", "Last 3 years"}
    assert ev["date"].max() <= pd.Timestamp(PUB)
