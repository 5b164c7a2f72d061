"""RUT-RATE-SENSITIVITY: small caps rely on bank loans, so they suffer first when rates rise (an opinion).

Prices cannot show how companies finance themselves; what they can show is whether the Russell 2000 has
done worse than the S&P 500 in weeks when the 2-year Treasury yield rose. This module fits that line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.charts.macro import scatter_with_fits
from generator.claimkit.base import Claim, Computation, Figure, Reading, Value
from generator.claimkit.helpers import iso
from generator.claimkit.rules import opinion
from generator.market import MarketData

SINCE = pd.Timestamp("2010-01-01")
RECENT_YEARS = 3


@dataclass(frozen=True)
class Fit:
    """An ordinary least-squares line y = intercept + slope * x, with classical (i.i.d.) errors."""

    slope: float
    intercept: float
    slope_se: float
    r_squared: float
    n: int

    @property
    def t_stat(self) -> float:
        return self.slope / self.slope_se if self.slope_se > 0 else float("nan")


def ols(x: np.ndarray, y: np.ndarray) -> Fit:
    """Least-squares fit of ``y`` on ``x`` with an intercept (numpy only); needs at least 3 points."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    if n < 3 or len(y) != n:
        raise ValueError(f"need at least 3 paired points, got {n} x and {len(y)} y")
    dx = x - x.mean()
    sxx = float(dx @ dx)
    if sxx == 0:
        raise ValueError("x does not vary")
    slope = float(dx @ (y - y.mean())) / sxx
    intercept = float(y.mean() - slope * x.mean())
    resid = y - intercept - slope * x
    ssr, sst = float(resid @ resid), float(((y - y.mean()) ** 2).sum())
    return Fit(slope, intercept, float(np.sqrt(ssr / (n - 2) / sxx)), 1.0 - ssr / sst if sst > 0 else 0.0, n)


def weekly_pairs(rut: pd.Series, spx: pd.Series, yield2: pd.Series) -> pd.DataFrame:
    """Weekly (Friday-ending) Russell 2000 minus S&P 500 return (pp) and 2-year yield change (bp).

    Only days on which all three series have a value are used, so each week's last day is the same day
    for all three.
    """
    days = pd.concat([rut, spx, yield2], axis=1, keys=["rut", "spx", "y2"], join="inner").dropna()
    weeks = days.resample("W-FRI").last().dropna()
    frame = pd.DataFrame({
        "relative_return_pct": (weeks["rut"].pct_change() - weeks["spx"].pct_change()) * 100.0,
        "yield_change_bp": weeks["y2"].diff() * 100.0,
    }).dropna()
    frame.index.name = "date"
    return frame


def _reading(key: str, label: str, pairs: pd.DataFrame) -> tuple[Reading, Fit]:
    fit = ols(pairs["yield_change_bp"].to_numpy(), pairs["relative_return_pct"].to_numpy())
    first, last = iso(pairs.index[0]), iso(pairs.index[-1])
    figures = (
        Figure("slope_per_100bp", "Russell 2000 minus S&P 500 per +100bp in the 2-year yield (weekly)",
               fit.slope * 100.0, "pp"),
        Figure("slope_se", "Standard error of the slope (per 100bp)", fit.slope_se * 100.0, "pp"),
        Figure("t_stat", "t-statistic of the slope", fit.t_stat, "ratio"),
        Figure("r_squared", "R² (share of the weekly gap explained by yield changes)", fit.r_squared, "ratio"),
        Figure("weeks", "Weeks", fit.n, "count"),
        Figure("first_week", "First week (ending)", first, "date"),
        Figure("last_week", "Last week (ending)", last, "date"),
        Figure("mean_gap", "Average weekly gap (Russell 2000 minus S&P 500)",
               float(pairs["relative_return_pct"].mean()), "pp"),
    )
    return Reading(key, label, figures, "slope_per_100bp", None,
                   "A negative slope means the Russell 2000 did worse than the S&P 500 in weeks when the 2-year "
                   "yield rose (and better when it fell), the pattern the article's story predicts."), fit


def _fit_rows(pairs: pd.DataFrame, fit: Fit, window: str) -> pd.DataFrame:
    rows = pairs.copy()
    rows["window"] = window
    rows["fit_pct"] = fit.intercept + fit.slope * rows["yield_change_bp"]
    return rows


def compute(data: MarketData) -> Computation:
    pairs = weekly_pairs(data.close("rut"), data.close("gspc"), data.close("dgs2"))
    since = pairs.loc[pairs.index >= SINCE]
    recent_from = pairs.index[-1] - pd.DateOffset(years=RECENT_YEARS)
    recent = pairs.loc[pairs.index > recent_from]
    long_reading, long_fit = _reading("since_2010", "Weekly, since 2010 to the evaluation date", since)
    short_reading, short_fit = _reading(f"last_{RECENT_YEARS}y",
                                        f"Weekly, the last {RECENT_YEARS} years to the evaluation date", recent)
    evidence = pd.concat([_fit_rows(since, long_fit, "Since 2010"),
                          _fit_rows(recent, short_fit, f"Last {RECENT_YEARS} years")]).reset_index()
    evidence = evidence[["date", "yield_change_bp", "relative_return_pct", "window", "fit_pct"]]
    context: dict[str, Value] = {}
    for reading, fit in ((long_reading, long_fit), (short_reading, short_fit)):
        context.update({f"{reading.key}_slope_per_100bp": fit.slope * 100.0, f"{reading.key}_t": fit.t_stat,
                        f"{reading.key}_r2": fit.r_squared, f"{reading.key}_n": fit.n})
    return Computation(
        [long_reading, short_reading], "since_2010", evidence,
        notes=[
            "What this shows: how the Russell 2000's weekly return relative to the S&P 500 moved with weekly "
            "changes in the 2-year Treasury yield (FRED DGS2), fitted by least squares with an intercept; "
            "the t-statistic uses classical errors (weekly returns are close to uncorrelated, but their "
            "volatility is not constant, so read it as a rough guide).",
            "What this does not show: how the companies borrow. Reliance on bank loans (floating-rate debt) is "
            "a balance-sheet fact that prices cannot reveal, and yields move for different reasons (growth news, "
            "inflation news, Fed signals) that hit small caps differently; a fitted slope mixes them all.",
            "Price indices on both sides (no dividends), so the gap is a price-return gap; the small "
            "dividend-yield difference is not in it.",
        ],
        context=context,
    )


CLAIM = Claim(
    id="RUT-RATE-SENSITIVITY",
    order=7,
    title="Small caps rely on bank loans, so rates hit them first",
    section="Opening",
    quote="rely mainly on bank loans for financing",
    paraphrase="Russell 2000 companies borrow mainly from banks rather than in the bond market, so rising "
               "rates hurt them first and falling rates help them first.",
    article=(),
    needs=("rut", "gspc", "dgs2"),
    method="Weekly (Friday-ending) returns on days when all three series trade: Russell 2000 return minus S&P 500 "
           "return (percentage points) regressed on the change in the 2-year Treasury yield (basis points), "
           f"since 2010 and over the last {RECENT_YEARS} years to the evaluation date; slope per 100bp, its "
           "standard error and t-statistic, R² and the number of weeks.",
    compute=compute,
    rule=opinion(),
    chart=scatter_with_fits,
    chart_title="Weekly Russell 2000 minus S&P 500 return against the weekly change in the 2-year yield",
    kind="opinion",
)
