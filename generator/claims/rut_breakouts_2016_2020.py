"""RUT-BREAKOUTS-2016-2020: the Russell 2000 broke out in 2016 and in 2020, and BTC began a bull run both times.

The breakout and rally rules live in :mod:`generator.breakouts`; this module applies them to all of the
Russell 2000's history, over a small grid of parameters, and judges the article's two-for-two story.
"""

from __future__ import annotations

import pandas as pd

from generator.breakouts import (
    DEFAULT_BREAKOUT,
    DEFAULT_RALLY,
    OUTCOMES,
    Breakout,
    BreakoutRule,
    Outcome,
    RallyRule,
    best_gain,
    find_breakouts,
    forward_return,
    rally_outcome,
)
from generator.charts.macro import breakouts_with_outcomes
from generator.claimkit.base import (
    ArticleFigure,
    Claim,
    Computation,
    Figure,
    Reading,
    Value,
    Verdict,
    VerdictLabel,
)
from generator.claimkit.helpers import iso, pct_change, weekly
from generator.claimkit.rules import custom
from generator.market import MarketData

YEARS = (2016, 2020)
MONTHS_GRID = (3, 6, 12, 18)
THRESHOLD_GRID = (25, 50, 100, 200, 400)
HORIZONS = (6, 12, 18)


def outcomes(breakouts: list[Breakout], btc: pd.Series, rally: RallyRule) -> dict[pd.Timestamp, Outcome]:
    """What BTC did after each breakout under ``rally`` (``no data`` before BTC's series starts)."""
    return {b.date: rally_outcome(btc, b.date, rally) for b in breakouts}


def first_in_year(breakouts: list[Breakout], year: int) -> Breakout | None:
    return next((b for b in breakouts if b.date.year == year), None)


def judge_counts(hits: dict[int, Outcome | None], other_misses: int) -> VerdictLabel:
    """The verdict from what followed the first breakout of each article year (None: no breakout that year)
    and the number of other breakouts with BTC data that were followed by no rally."""
    rallies = sum(1 for outcome in hits.values() if outcome == "rally")
    found = sum(1 for outcome in hits.values() if outcome is not None)
    if rallies == len(YEARS):
        return "Misleading" if other_misses else "Accurate"
    if rallies == 1 and found >= 1:
        return "Mostly accurate"
    return "Inaccurate"


def _summary(rut: pd.Series, btc: pd.Series, rule: BreakoutRule) -> tuple[list[Breakout], dict[str, Value]]:
    breakouts = find_breakouts(rut, rule)
    result: dict[str, Value] = {"breakouts": len(breakouts),
                                 "with_btc": sum(1 for b in breakouts if b.date >= btc.index[0])}
    for threshold in THRESHOLD_GRID:
        found = outcomes(breakouts, btc, RallyRule(threshold, DEFAULT_RALLY.horizon_months))
        for outcome in OUTCOMES[:3]:
            result[f"r{threshold}_{outcome.replace(' ', '_')}"] = sum(1 for o in found.values() if o == outcome)
    default = outcomes(breakouts, btc, DEFAULT_RALLY)
    hits: dict[int, Outcome | None] = {}
    for year in YEARS:
        first = first_in_year(breakouts, year)
        hits[year] = default[first.date] if first else None
        result[f"breakout_{year}"] = iso(first.date) if first else None
        result[f"rally_{year}"] = hits[year]
    article_dates = {result[f"breakout_{year}"] for year in YEARS}
    misses = [iso(day) for day, o in default.items() if o == "no rally" and iso(day) not in article_dates]
    result["other_misses"], result["other_miss_dates"] = len(misses), ", ".join(d or "" for d in misses)
    result["label"] = judge_counts(hits, int(result["other_misses"] or 0))
    return breakouts, result


def _grid_text(summary: dict[str, Value], threshold: int) -> str:
    return (f"{summary[f'r{threshold}_rally']} rallied, {summary[f'r{threshold}_no_rally']} did not, "
            f"{summary[f'r{threshold}_pending']} still open")


def _summary_reading(months: int, summary: dict[str, Value], primary: bool) -> Reading:
    figures = [
        Figure("hits_2016_2020", "Of the 2016 and 2020 breakouts, followed by a BTC rally",
               sum(1 for y in YEARS if summary[f"rally_{y}"] == "rally"), "count"),
        Figure("breakouts_found", "Breakouts in all Russell 2000 history (1987 on)", summary["breakouts"], "count"),
        Figure("breakouts_with_btc", "Breakouts with BTC data (from 2014-09-17)", summary["with_btc"], "count"),
        *(Figure(f"breakout_{y}", f"First breakout in {y}", summary[f"breakout_{y}"], "date",
                 note="" if summary[f"breakout_{y}"] else f"the rule finds no breakout in {y}") for y in YEARS),
        Figure("other_misses", "Other breakouts with BTC data followed by no rally", summary["other_misses"], "count"),
        Figure("other_miss_dates", "Those breakouts", summary["other_miss_dates"] or "none", "text"),
        *(Figure(f"grid_r{t}", f"After the breakouts with BTC data, rally = +{t}% within 12 months",
                 _grid_text(summary, t), "text") for t in THRESHOLD_GRID),
    ]
    default = " (the default)" if primary else ""
    return Reading(
        f"n{months}", f"Breakout after at least {months} months below the record{default}", tuple(figures),
        "hits_2016_2020", summary["label"] == "Accurate",
        f"Rule: {BreakoutRule(months).describe()}. BTC rally: {DEFAULT_RALLY.describe()} unless the row says "
        f"otherwise. Verdict under this rule: {summary['label']}.")


def _breakout_figures(breakouts: list[Breakout], btc: pd.Series) -> tuple[Figure, ...]:
    """One block of figures per breakout of the default rule: its date and what BTC did next."""
    figures: list[Figure] = []
    for b in breakouts:
        day = iso(b.date)
        outcome = rally_outcome(btc, b.date, DEFAULT_RALLY)
        spell = f"{b.months_below:.1f} months below the {iso(b.spell.peak_date)} record"
        figures.append(Figure(f"breakout_{day}", f"Breakout {day}: BTC outcome", outcome, "text", day, spell))
        if outcome == "no data":
            continue
        for months in HORIZONS:
            value = forward_return(btc, b.date, months)
            figures.append(Figure(f"btc_{months}m_{day}", f"Breakout {day}: BTC return {months} months later",
                                  value, "%", note="" if value is not None else "window not over yet"))
        figures.append(Figure(f"btc_best_12m_{day}", f"Breakout {day}: BTC's best gain within 12 months",
                              best_gain(btc, b.date, 12), "%", note="so far, if the window is still open"))
        figures.append(Figure(f"btc_prior_6m_{day}", f"Breakout {day}: BTC return in the 6 months before",
                              _prior_return(btc, b.date, 6), "%"))
    return tuple(figures)


def _prior_return(close: pd.Series, day: pd.Timestamp, months: int) -> float | None:
    before = close.loc[close.index <= day - pd.DateOffset(months=months)]
    if before.empty or day not in close.index:
        return None
    return pct_change(float(before.iloc[-1]), float(close.loc[day]))


def _head_start_note(breakouts: list[Breakout], btc: pd.Series) -> list[str]:
    """BTC's return in the 6 months before the 2016 and 2020 breakouts (was its run already under way?)."""
    found = [(y, b) for y in YEARS if (b := first_in_year(breakouts, y)) is not None]
    before = [(y, v) for y, b in found if (v := _prior_return(btc, b.date, 6)) is not None]
    if not before:
        return []
    text = "BTC's return in the 6 months before each breakout: " + ", ".join(f"{v:+.0f}% ({y})" for y, v in before)
    if all(v > 0 for _, v in before):
        text += "; its run was under way before the index broke out, so 'started' reads the timing generously"
    return [text + "."]


def evidence(rut: pd.Series, breakouts: list[Breakout], btc: pd.Series) -> pd.DataFrame:
    """Weekly closes (Friday-ending) plus one row per breakout day, marked with BTC's outcome (and labelled
    when BTC data exist)."""
    weeks = weekly(rut).rename("close").to_frame()
    weeks = weeks.loc[~weeks.index.isin([b.date for b in breakouts])]
    weeks["breakout"], weeks["btc_outcome"], weeks["label"] = False, "", ""
    marks = pd.DataFrame(
        {"close": [b.close for b in breakouts], "breakout": True,
         "btc_outcome": [rally_outcome(btc, b.date, DEFAULT_RALLY) for b in breakouts],
         "label": [b.date.strftime("%b %Y") if b.date >= btc.index[0] else "" for b in breakouts]},
        index=pd.DatetimeIndex([b.date for b in breakouts]))
    frame = pd.concat([weeks, marks]).sort_index()
    frame.index.name = "date"
    return frame.reset_index()


def compute(data: MarketData) -> Computation:
    rut, btc = data.close("rut"), data.close("btc-usd")
    summaries = {n: _summary(rut, btc, BreakoutRule(n)) for n in MONTHS_GRID}
    default_n = DEFAULT_BREAKOUT.min_months_below
    breakouts, summary = summaries[default_n]
    readings = []
    for n in MONTHS_GRID:
        reading = _summary_reading(n, summaries[n][1], n == default_n)
        if n == default_n:
            reading = Reading(reading.key, reading.label, reading.figures + _breakout_figures(breakouts, btc),
                              reading.headline, reading.matches_article, reading.explanation)
        readings.append(reading)
    readings.sort(key=lambda r: r.key != f"n{default_n}")
    btc_era = [b.spell.rise_pct for b in breakouts if b.date >= btc.index[0]]
    context: dict[str, Value] = {"btc_first_date": iso(btc.index[0]), "rut_first_date": iso(rut.index[0]),
                                  "breakout_dates": ", ".join(iso(b.date) or "" for b in breakouts)}
    for n, (_, grid) in summaries.items():
        context.update({f"n{n}_{key}": value for key, value in grid.items()})
    return Computation(
        readings, f"n{default_n}", evidence(rut, breakouts, btc),
        notes=[
            f"Breakout rule (default): {DEFAULT_BREAKOUT.describe()}. BTC rally: {DEFAULT_RALLY.describe()} of "
            "the BTC close on the breakout date (UTC day). A window still open at the last date is 'still open' "
            "unless the rally already happened.",
            "Breakouts before 2014-09-17 have no BTC data (Yahoo's BTC-USD series starts then), so most of the "
            "index's breakouts cannot test the article's pattern at all.",
            "The depth requirement (prior peak at least D% above the trough) is off by default"
            + (f"; among the default breakouts with BTC data the shallowest spell had its peak {min(btc_era):.0f}% "
               "above its trough, so any depth rule below that keeps them all." if btc_era else "."),
            "'All-time' means since 1987-09-10, where the index history in the data starts.",
            *_head_start_note(breakouts, btc),
        ],
        context=context,
    )


def judge(comp: Computation) -> Verdict:
    n = comp.primary
    label = comp.context[f"{n}_label"]
    parts = [f"{y}: {comp.context[f'{n}_breakout_{y}'] or 'no breakout'} ({comp.context[f'{n}_rally_{y}'] or '-'})"
             for y in YEARS]
    misses = comp.context[f"{n}_other_misses"]
    return Verdict(label,  # type: ignore[arg-type]
                   f"{'; '.join(parts)}; other breakouts with BTC data followed by no rally: {misses} "
                   f"({n[1:]}-month rule, rally = +{DEFAULT_RALLY.threshold_pct:g}% within "
                   f"{DEFAULT_RALLY.horizon_months} months)")


CLAIM = Claim(
    id="RUT-BREAKOUTS-2016-2020",
    order=5,
    title="Russell 2000 breakouts in 2016 and 2020, each followed by a BTC bull run",
    section="Opening",
    quote="broke out in 2016 and 2020",
    paraphrase="The Russell 2000 broke out to new highs in 2016 and in 2020, and both times Bitcoin went on "
               "to a bull run.",
    article=(ArticleFigure("breakout_years", "Breakout years", "2016 and 2020", "text", "in 2016 and 2020"),
             ArticleFigure("hits", "Breakouts followed by a BTC bull run", 2, "count", "hitting both times")),
    needs=("rut", "btc-usd"),
    method=f"A written breakout rule: the {DEFAULT_BREAKOUT.describe()} (default N = "
           f"{DEFAULT_BREAKOUT.min_months_below}), applied to every Russell 2000 close since 1987. For each "
           f"breakout: the BTC close on that date and BTC's return 6, 12 and 18 months later; a BTC rally is "
           f"{DEFAULT_RALLY.describe()}. The same is repeated for N = 3, 6, 12 and 18 months and rally "
           "thresholds of +25%, +50%, +100%, +200% and +400% (sensitivity).",
    compute=compute,
    rule=custom(
        "Under the default rule (12 months below the record; rally = a BTC close at least 100% above the "
        "breakout-day close within 12 months): Accurate if the rule finds a breakout in 2016 and in 2020 and "
        "BTC rallied after the first breakout of each year, and no other breakout with BTC data was followed "
        "by no rally; Misleading if both rallied but another breakout with BTC data was followed by no rally "
        "(the two hits are selected); Mostly accurate if only one of the two years has a breakout followed by "
        "a rally; Inaccurate otherwise. Breakouts whose 12-month window is still open and has not yet seen a "
        "rally count as neither.",
        judge,
    ),
    chart=breakouts_with_outcomes,
    chart_title="Russell 2000 weekly close (log scale) with breakouts under the 12-month rule, coloured by "
                "what BTC did next",
)
