"""RUT-RATE-SENSITIVITY: small caps rely mainly on bank loans, so rates hit them first and help them first.

Two parts, checked two ways. How small companies borrow is a balance-sheet fact that prices cannot show: it is
checked against the public record (sourced facts in ``data/reference/small_cap_financing.json``). What the
article draws from it, that the index suffers first when rates rise and benefits first when they fall, is a
claim about prices: this module fits the Russell 2000's return relative to the S&P 500 on changes in the
2-year Treasury yield, and compares how often the index lagged in weeks of rising yields with how often it
lagged in any week (the base rate).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from generator.charts.macro import scatter_with_fits
from generator.claimkit.base import (
    ArticleFigure,
    Claim,
    Comparison,
    Computation,
    Figure,
    Reading,
    Setting,
    Value,
    Verdict,
)
from generator.claimkit.helpers import iso, weekly_last
from generator.claimkit.rules import custom, reading_value
from generator.claimkit.vocabulary import VerdictLabel
from generator.formatting import format_value
from generator.market import MarketData
from generator.paths import REFERENCE_DIR

SINCE = pd.Timestamp("2010-01-01")
DECADE_END = pd.Timestamp("2019-12-31")
RECENT_YEARS = (3,)
REFERENCE_FILE = "small_cap_financing.json"
MAINLY_PCT = 50.0
"""'Rely mainly on bank loans' needs more than half of the debt to be bank-style floating-rate debt."""
T_NEEDED = 2.0
"""The price pattern counts as shown when the slope is negative with a t-statistic of -2 or below."""
BIG_MOVE_BP = 10.0
"""A week with a 'big' yield move, for the base-rate comparison: 10 basis points or more either way."""
FACT_FIELDS = ("source", "date", "url", "retrieved", "group")


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


def financing_facts(path: Path | None = None) -> dict[str, dict[str, Value]]:
    """The sourced facts on small caps' borrowing, checked for the fields every fact must carry."""
    path = path or REFERENCE_DIR / REFERENCE_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ValueError(f"{path.name}: cannot read the reference facts ({err})") from err
    facts = {k: v for k, v in doc.items() if k != "about"}
    for key, fact in facts.items():
        missing = [f for f in FACT_FIELDS if not isinstance(fact, dict) or not fact.get(f)]
        if missing:
            raise ValueError(f"{path.name}: fact {key!r} lacks {', '.join(missing)}")
        if not str(fact["url"]).startswith("https://"):
            raise ValueError(f"{path.name}: fact {key!r} has a url that is not https: {fact['url']!r}")
    return facts


def floating_shares(facts: dict[str, dict[str, Value]], group: str) -> list[float]:
    """The published floating-rate shares of debt (in %) for one group ('small caps' or 'large caps')."""
    return [float(f["value"]) for f in facts.values()  # type: ignore[arg-type]
            if f["group"] == group and f.get("unit") == "%" and isinstance(f.get("value"), int | float)]


def weekly_pairs(rut: pd.Series, spx: pd.Series, yield2: pd.Series) -> pd.DataFrame:
    """Weekly (Friday-ending) Russell 2000 minus S&P 500 return (pp) and 2-year yield change (bp), each week
    dated by its last day with all three values; ``next_week_return_pct`` is the following week's gap.

    Only days on which all three series have a value are used, so each week's last day is the same day
    for all three.
    """
    days = pd.concat([rut, spx, yield2], axis=1, keys=["rut", "spx", "y2"], join="inner").dropna()
    weeks = weekly_last(days.assign(day=days.index))
    gap = (weeks["rut"].pct_change() - weeks["spx"].pct_change()) * 100.0
    frame = pd.DataFrame({
        "relative_return_pct": gap.to_numpy(),
        "yield_change_bp": (weeks["y2"].diff() * 100.0).to_numpy(),
        "next_week_return_pct": gap.shift(-1).to_numpy(),
    }, index=pd.DatetimeIndex(weeks["day"], name="date"))
    return frame.dropna(subset=["relative_return_pct", "yield_change_bp"])


def shown(slope: float, t_stat: float) -> bool:
    """The article's pattern: the Russell 2000 lags the S&P 500 when the yield rises, clearly (t <= -2)."""
    return slope < 0 and round(t_stat, 9) <= -T_NEEDED


def _reading(key: str, label: str, pairs: pd.DataFrame) -> tuple[Reading, Fit]:
    fit = ols(pairs["yield_change_bp"].to_numpy(), pairs["relative_return_pct"].to_numpy())
    first, last = iso(pairs.index[0]), iso(pairs.index[-1])
    figures = (
        Figure("slope_per_100bp", "Gap per point of 2-year yield",
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
    return Reading(key, label, figures, "slope_per_100bp", False,
                   "A negative slope means the Russell 2000 did worse than the S&P 500 in weeks when the 2-year "
                   "yield rose (and better when it fell), the pattern the article's story predicts."), fit


def base_rate(pairs: pd.DataFrame) -> Comparison:
    """How often the index lagged the S&P 500 in weeks of big yield rises, against how often in any week."""
    up = pairs.loc[pairs["yield_change_bp"] >= BIG_MOVE_BP, "relative_return_pct"]
    down = pairs.loc[pairs["yield_change_bp"] <= -BIG_MOVE_BP, "relative_return_pct"]
    every = pairs["relative_return_pct"]
    share = {"all": float((every < 0).mean() * 100.0), "up": float((up < 0).mean() * 100.0) if len(up) else 0.0,
             "down": float((down > 0).mean() * 100.0) if len(down) else 0.0}
    figures = (
        Figure("lagged_any_week", "Weeks the Russell 2000 lagged the S&P 500 (all weeks)", share["all"], "%"),
        Figure("lagged_yield_up", f"Weeks it lagged when the 2-year yield rose {BIG_MOVE_BP:g}bp or more",
               share["up"], "%"),
        Figure("weeks_yield_up", "Weeks with such a rise", len(up), "count"),
        Figure("led_yield_down", f"Weeks it beat the S&P 500 when the yield fell {BIG_MOVE_BP:g}bp or more",
               share["down"], "%"),
        Figure("weeks_yield_down", "Weeks with such a fall", len(down), "count"),
    )
    since = pairs.index[0].year
    answer = (f"Since {since} the Russell 2000 lagged the S&P 500 in {share['up']:.0f}% of the {len(up)} weeks the "
              f"2-year yield rose {BIG_MOVE_BP:g} basis points or more, against {share['all']:.0f}% of all weeks; it "
              f"led in {share['down']:.0f}% of the {len(down)} weeks the yield fell as much.")
    return Comparison("Did small caps lag more often when rates jumped than in an ordinary week?", answer, figures)


def label(small: list[float], large: list[float], slope: float, t_stat: float) -> VerdictLabel:
    """The rule (see the claim's rule text)."""
    if not small or not large or min(small) <= max(large):
        return "Inaccurate"
    mainly = min(small) > MAINLY_PCT
    if shown(slope, t_stat):
        return "Accurate" if mainly else "Mostly accurate"
    return "Misleading"


def _shares(comp: Computation) -> tuple[list[float], list[float]]:
    def values(prefix: str) -> list[float]:
        return [float(v) for k, v in sorted(comp.context.items())  # type: ignore[arg-type]
                if k.startswith(prefix) and isinstance(v, int | float)]
    return values("small_cap_floating_pct_"), values("large_cap_floating_pct_")


def judge(comp: Computation) -> Verdict:
    small, large = _shares(comp)
    slope, t_stat = comp.number("slope_per_100bp", comp.primary), comp.number("t_stat", comp.primary)
    reading = comp.primary_reading
    most = "more but not most" if small and min(small) <= MAINLY_PCT else "more and most"
    debt = f"Floating-rate share of debt: {format_range(small)} for small caps, {format_range(large)} for large, {most}"
    lag = "the lag the article describes" if shown(slope, t_stat) else "no clear lag"
    return Verdict(label(small, large, slope, t_stat),
                   f"{debt}. {reading.label}, the index moved {format_value(slope, 'pp')} against the S&P 500 per "
                   f"point of 2-year yield (t-statistic {t_stat:.1f}): {lag}")


def format_range(values: list[float]) -> str:
    if not values:
        return "no figure"
    low, high = min(values), max(values)
    return f"{low:g}%" if low == high else f"{low:g}% to {high:g}%"


def matches(reading: Reading) -> bool | None:
    """A window reproduces the article's story when the index clearly lagged as the yield rose (t <= -2)."""
    slope, t_stat = reading_value(reading, "slope_per_100bp"), reading_value(reading, "t_stat")
    if slope is None or t_stat is None:
        return None
    return shown(slope, t_stat)


def finding(comp: Computation) -> str:
    small, large = _shares(comp)
    slope, t_stat = comp.number("slope_per_100bp", comp.primary), comp.number("t_stat", comp.primary)
    since = comp.text("first_week", comp.primary) or ""
    prices = ("since {y} the index has lagged the S&P 500 as the 2-year yield rose" if shown(slope, t_stat) else
              "since {y} the index has not reliably lagged the S&P 500 as the 2-year yield rose")
    most = "more but not most" if small and min(small) <= MAINLY_PCT else "more, and most of it"
    return (f"Floating-rate debt is {format_range(small)} of small caps' debt against {format_range(large)} for large "
            f"caps, {most}; " + prices.format(y=since[:4]) + ".")


def _fit_rows(pairs: pd.DataFrame, fit: Fit, window: str) -> pd.DataFrame:
    rows = pairs.copy()
    rows["window"] = window
    rows["fit_pct"] = fit.intercept + fit.slope * rows["yield_change_bp"]
    return rows


def _windows(pairs: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    last = pairs.index[-1]
    out = [("since_2010", "Since 2010", pairs.loc[pairs.index >= SINCE]),
           ("2010s", "2010 to 2019", pairs.loc[(pairs.index >= SINCE) & (pairs.index <= DECADE_END)])]
    for years in RECENT_YEARS:
        out.append((f"last_{years}y", f"Last {years} years",
                    pairs.loc[pairs.index > last - pd.DateOffset(years=years)]))
    return out


def compute(data: MarketData) -> Computation:
    facts = financing_facts()
    pairs = weekly_pairs(data.close("rut"), data.close("gspc"), data.close("dgs2"))
    fitted = [(*_reading(key, label_, part), key, part) for key, label_, part in _windows(pairs)]
    readings = [reading for reading, _, _, _ in fitted]
    shown_windows = {"since_2010": "Since 2010", f"last_{RECENT_YEARS[-1]}y": f"Last {RECENT_YEARS[-1]} years"}
    evidence = pd.concat([_fit_rows(part, fit, shown_windows[key]) for _, fit, key, part in fitted
                          if key in shown_windows]).reset_index()
    evidence = evidence[["date", "yield_change_bp", "relative_return_pct", "window", "fit_pct"]]
    context: dict[str, Value] = {}
    for i, value in enumerate(floating_shares(facts, "small caps")):
        context[f"small_cap_floating_pct_{i}"] = value
    for i, value in enumerate(floating_shares(facts, "large caps")):
        context[f"large_cap_floating_pct_{i}"] = value
    since = pairs.loc[pairs.index >= SINCE]
    small, large = floating_shares(facts, "small caps"), floating_shares(facts, "large caps")
    main_fit = fitted[0][1]
    following = since.dropna(subset=["next_week_return_pct"])
    lag_fit = ols(following["yield_change_bp"].to_numpy(), following["next_week_return_pct"].to_numpy())
    grid = [
        Setting("the gap in the same week as the yield move", label(small, large, main_fit.slope * 100,
                                                                      main_fit.t_stat),
                f"{main_fit.slope * 100:+.2f} pp per point, t {main_fit.t_stat:.1f}", primary=True),
        Setting("the gap in the week after the yield move (whether small caps react later)",
                label(small, large, lag_fit.slope * 100, lag_fit.t_stat),
                f"{lag_fit.slope * 100:+.2f} pp per point, t {lag_fit.t_stat:.1f}"),
    ]
    return Computation(
        readings, "since_2010", evidence,
        notes=[
            "How the companies borrow comes from the public record (the sources are listed on the data page): "
            "published estimates give the floating-rate share of small caps' debt, the kind bank loans carry.",
            "The price test: how the Russell 2000's weekly return relative to the S&P 500 moved with weekly "
            "changes in the 2-year Treasury yield, fitted by least squares; the t-statistic uses classical errors "
            "(a rough guide, as weekly volatility is not constant). Yields move for different reasons (growth, "
            "inflation, the Fed's signals), and a fitted slope mixes them all.",
            "Price indices on both sides (no dividends), so the gap is a price-return gap.",
        ],
        context=context,
        comparison=base_rate(since),
        sensitivity=grid,
    )


CLAIM = Claim(
    id="RUT-RATE-SENSITIVITY",
    order=7,
    title="Small caps rely on bank loans, so rates hit them first",
    section="Opening",
    quote="rely mainly on bank loans for financing",
    paraphrase="Russell 2000 companies borrow mainly from banks rather than in the bond market, so rising "
               "rates hurt them first and falling rates help them first.",
    article=(ArticleFigure("financing", "How small caps borrow", "mainly bank loans, not bonds", "text",
                           "rely mainly on bank loans for financing, not bond issuance"),
             ArticleFigure("rates", "What rates do to them", "first to suffer, first to benefit", "text",
                           "the first to suffer ... the first to benefit")),
    needs=("rut", "gspc", "dgs2"),
    method="The financing part is checked against published estimates of the floating-rate share of small and "
           "large companies' debt (sourced reference facts). The price part: weekly (Friday-ending) returns on "
           "days when all three series have a value; Russell 2000 return minus S&P 500 return (percentage "
           "points) regressed on the change in the 2-year Treasury yield (basis points), since 2010, over "
           "2010-2019 and over the last 3 years to the evaluation date; slope per percentage point, its "
           "standard error and t-statistic, R² and the number of weeks; the same fit on the following week's "
           "gap (a late reaction); and how often the index lagged in weeks of big yield rises against all weeks.",
    compute=compute,
    rule=custom(
        "Two tests. Financing: 'rely mainly on bank loans' needs published estimates to put more than "
        f"{MAINLY_PCT:g}% of small caps' debt at floating rates (the kind bank loans carry); 'more than large "
        "caps' needs every small-cap estimate above every large-cap one. Prices: the story is shown if, since "
        "2010, the Russell 2000 lagged the S&P 500 in weeks when the 2-year yield rose, with a slope below zero "
        f"and a t-statistic of -{T_NEEDED:g} or below. Accurate if both hold and the debt is mainly floating; "
        "Mostly accurate if the price pattern holds but small caps only carry more floating debt than large "
        "caps, not mostly; Misleading if small caps carry more floating debt but the prices do not show the "
        "pattern (the financing difference is real, the inference the article draws is not borne out); "
        "Inaccurate if the estimates do not show small caps carrying more floating debt. A window reproduces "
        "the article's story when it shows the price pattern.",
        judge, matches,
        summary="Misleading if small caps have more floating-rate debt than large caps but prices show no lag as "
                "yields rise; Accurate needs mainly floating debt and the lag.",
    ),
    chart=scatter_with_fits,
    chart_title="Weekly small-cap gap to the S&P 500 against the change in the 2-year yield",
    kind="signal",
    references=(REFERENCE_FILE,),
    finding=finding,
)
