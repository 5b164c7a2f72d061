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
    base_rate_pct,
    best_gain,
    chance_at_least,
    find_breakouts,
    forward_return,
    prior_return,
    rally_outcome,
)
from generator.charts.macro import breakouts_with_outcomes
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
    VerdictLabel,
)
from generator.claimkit.helpers import iso, weekly
from generator.claimkit.rules import custom
from generator.formatting import format_value
from generator.market import MarketData

YEARS = (2016, 2020)
MONTHS_GRID = (3, 6, 12, 18)
THRESHOLD_GRID = (25, 50, 100, 200, 400)
HORIZONS = (6, 12, 18)
CHANCE_LIMIT = 5.0
"""Two-for-two counts as beating BTC's base rate only if chance alone would give it less than 5% of the time."""
HEAD_START_MONTHS = 6
HEAD_START_LIMIT = 50.0
"""BTC's run had "begun" before a breakout if BTC had already risen this much (in %, half the +100% rally) in
the six months before it."""


def outcomes(breakouts: list[Breakout], btc: pd.Series, rally: RallyRule) -> dict[pd.Timestamp, Outcome]:
    """What BTC did after each breakout under ``rally`` (``no data`` before BTC's series starts)."""
    return {b.date: rally_outcome(btc, b.date, rally) for b in breakouts}


def first_in_year(breakouts: list[Breakout], year: int) -> Breakout | None:
    return next((b for b in breakouts if b.date.year == year), None)


def judge_counts(hits: dict[int, Outcome | None], other_misses: int, chance_pct: float | None = None,
                 head_starts: tuple[float | None, ...] = ()) -> VerdictLabel:
    """The verdict from what followed the first breakout of each article year (None: no breakout that year),
    the number of other breakouts with BTC data followed by no rally, the chance of the hits at BTC's base rate
    (in %) and BTC's rise in the months before each article-year breakout (in %)."""
    rallies = sum(1 for outcome in hits.values() if outcome == "rally")
    found = sum(1 for outcome in hits.values() if outcome is not None)
    if rallies == len(YEARS):
        if other_misses:
            return "Misleading"
        beats_chance = chance_pct is not None and round(chance_pct, 9) < CHANCE_LIMIT
        head_start = any(h is not None and round(h, 9) >= HEAD_START_LIMIT for h in head_starts)
        # both hits are right, but if chance alone gives them, or BTC's run had begun before the breakouts, the
        # figures are right and the impression of a leading signal is not: Misleading, by the site's definitions
        return "Accurate" if beats_chance and not head_start else "Misleading"
    if rallies == 1 and found >= 1:
        return "Mostly accurate"
    return "Inaccurate"


def _summary(rut: pd.Series, btc: pd.Series, rule: BreakoutRule, rally: RallyRule = DEFAULT_RALLY,
             base_rate: float | None = None, thresholds: bool = True) -> tuple[list[Breakout], dict[str, Value]]:
    """What followed the breakouts of ``rule`` under ``rally`` (``base_rate``: BTC's rally base rate, in %)."""
    breakouts = find_breakouts(rut, rule)
    result: dict[str, Value] = {"breakouts": len(breakouts),
                                 "with_btc": sum(1 for b in breakouts if b.date >= btc.index[0])}
    for threshold in THRESHOLD_GRID if thresholds else ():
        found = outcomes(breakouts, btc, RallyRule(threshold, rally.horizon_months))
        for outcome in OUTCOMES[:3]:
            result[f"r{threshold}_{outcome.replace(' ', '_')}"] = sum(1 for o in found.values() if o == outcome)
    default = outcomes(breakouts, btc, rally)
    hits: dict[int, Outcome | None] = {}
    head_starts: list[float | None] = []
    for year in YEARS:
        first = first_in_year(breakouts, year)
        hits[year] = default[first.date] if first else None
        result[f"breakout_{year}"] = iso(first.date) if first else None
        result[f"rally_{year}"] = hits[year]
        head = prior_return(btc, first.date, HEAD_START_MONTHS) if first else None
        result[f"head_start_{year}"] = head
        head_starts.append(head)
    article_dates = {result[f"breakout_{year}"] for year in YEARS}
    misses = [iso(day) for day, o in default.items() if o == "no rally" and iso(day) not in article_dates]
    result["other_misses"], result["other_miss_dates"] = len(misses), ", ".join(d or "" for d in misses)
    decided = [o for o in default.values() if o in ("rally", "no rally")]
    rallies = sum(1 for o in decided if o == "rally")
    result["decided"], result["rallies"], result["base_rate"] = len(decided), rallies, base_rate
    result["chance"] = (chance_at_least(rallies, len(decided), base_rate / 100.0)
                        if base_rate is not None and decided else None)
    result["label"] = judge_counts(hits, int(result["other_misses"] or 0), _float(result["chance"]),
                                   tuple(head_starts))
    return breakouts, result


def btc_last_words(summary: dict[str, Value]) -> str:
    last = summary.get("last_day")
    return f"{pd.Timestamp(str(last)):%-d %b %Y}" if last else "the last date"


def _float(value: Value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _grid_text(summary: dict[str, Value], threshold: int) -> str:
    return (f"{summary[f'r{threshold}_rally']} rallied, {summary[f'r{threshold}_no_rally']} did not, "
            f"{summary[f'r{threshold}_pending']} still open")


def _summary_reading(months: int, summary: dict[str, Value], primary: bool, rut_from: str | None,
                     btc_from: str | None) -> Reading:
    figures = [
        Figure("hits_2016_2020", "Of the 2016 and 2020 breakouts, followed by a BTC rally",
               sum(1 for y in YEARS if summary[f"rally_{y}"] == "rally"), "count"),
        Figure("breakouts_found", f"Breakouts in all Russell 2000 history (from {rut_from})", summary["breakouts"],
               "count"),
        Figure("breakouts_with_btc", f"Breakouts with BTC data (from {btc_from})", summary["with_btc"], "count"),
        *(Figure(f"breakout_{y}", f"First breakout in {y}", summary[f"breakout_{y}"], "date",
                 note="" if summary[f"breakout_{y}"] else f"the rule finds no breakout in {y}") for y in YEARS),
        Figure("other_misses", "Other breakouts with BTC data followed by no rally", summary["other_misses"], "count"),
        Figure("other_miss_dates", "Those breakouts", summary["other_miss_dates"] or "none", "text"),
        *(Figure(f"grid_r{t}", f"After the breakouts with BTC data, rally = +{t}% within 12 months",
                 _grid_text(summary, t), "text") for t in THRESHOLD_GRID),
    ]
    default = " (default)" if primary else ""
    return Reading(
        f"n{months}", f"{months}+ months below the record{default}", tuple(figures),
        "hits_2016_2020", False,
        f"Rule: {BreakoutRule(months).describe()}. BTC rally: {DEFAULT_RALLY.describe()} unless the row says "
        "otherwise.")


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
                              prior_return(btc, b.date, 6), "%"))
    return tuple(figures)


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


def _rule_note(months: int, summary: dict[str, Value]) -> str:
    """The counts under another breakout rule, for the notes."""
    hits = [str(y) for y in YEARS if summary[f"rally_{y}"] == "rally"]
    misses = str(summary["other_miss_dates"] or "")
    return (f"With {months}+ months below the record the rule finds {summary['with_btc']} breakouts with BTC data; "
            f"BTC doubled within {DEFAULT_RALLY.horizon_months} months after the "
            f"{' and '.join(hits) or 'no'} article-year breakout{'s' if len(hits) != 1 else ''}"
            + (f" and did not after {misses}." if misses else ", and no other breakout missed."))


def _grid(rut: pd.Series, btc: pd.Series, base_rates: dict[int, float | None]) -> list[Setting]:
    """The verdict for every breakout rule (months below the record) x BTC horizon (months to double)."""
    settings = []
    for n in MONTHS_GRID:
        for h in HORIZONS:
            _, got = _summary(rut, btc, BreakoutRule(n), RallyRule(DEFAULT_RALLY.threshold_pct, h), base_rates[h],
                              thresholds=False)
            years = [y for y in YEARS if got[f"rally_{y}"] == "rally"]
            detail = (f"BTC doubled after the {' and '.join(map(str, years)) or 'no'} breakout"
                      f"{'s' if len(years) != 1 else ''}; {got['other_misses']} other breakout(s) with no doubling; "
                      f"chance of the hits at BTC's base rate {format_value(_float(got['chance']), '%')}")
            settings.append(Setting(f"{n}-month rule, {h}-month horizon",
                                    got["label"],  # type: ignore[arg-type]
                                    detail, n == DEFAULT_BREAKOUT.min_months_below
                                    and h == DEFAULT_RALLY.horizon_months))
    return settings


def open_breakout(breakouts: list[Breakout], btc: pd.Series) -> tuple[pd.Timestamp, float] | None:
    """The newest breakout whose rally window is still open at the last date, and BTC's change since its close
    that day (in %), or None."""
    still_open = [b for b in breakouts if rally_outcome(btc, b.date, DEFAULT_RALLY) == "pending"]
    if not still_open or still_open[-1].date not in btc.index:
        return None
    day = still_open[-1].date
    return day, (float(btc.iloc[-1]) / float(btc.loc[day]) - 1.0) * 100.0


def _comparison(summary: dict[str, Value], pending: tuple[pd.Timestamp, float] | None = None) -> Comparison:
    base, chance = _float(summary["base_rate"]), _float(summary["chance"])
    heads = [(y, _float(summary[f"head_start_{y}"])) for y in YEARS]
    figures = (
        Figure("base_rate", f"Share of all BTC days followed by a doubling within "
               f"{DEFAULT_RALLY.horizon_months} months (base rate)", base, "%"),
        Figure("chance", f"Chance of {summary['rallies']} doublings in {summary['decided']} random days at that "
               "rate", chance, "%"),
        *(Figure(f"head_start_{y}", f"BTC's rise in the {HEAD_START_MONTHS} months before the {y} breakout", h, "%")
          for y, h in heads),
    )
    before = " and ".join(f"{h:.0f}% ({y})" for y, h in heads if h is not None)
    months = DEFAULT_RALLY.horizon_months
    answer = (f"Bitcoin doubled within {months} months from {base:.0f}% of all days, so {summary['rallies']} "
              f"rallies after the {summary['decided']} breakouts whose {months} months had passed would come by "
              f"chance {chance:.0f}% of the time" if base is not None and chance is not None else
              "Without bitcoin's base rate the hits cannot be compared with chance")
    answer += f"; bitcoin was already up {before} in the {HEAD_START_MONTHS} months before" if before else ""
    if pending is not None:
        day, change = pending
        answer += (f"; and after the newest breakout, on {day:%-d %b %Y}, bitcoin was "
                   f"{abs(change):.0f}% {'lower' if change < 0 else 'higher'} by {btc_last_words(summary)}")
    answer += "."
    return Comparison("How often did BTC double anyway, and was it already rising?", answer, figures)


def compute(data: MarketData) -> Computation:
    rut, btc = data.close("rut"), data.close("btc-usd")
    base_rates = {h: base_rate_pct(btc, RallyRule(DEFAULT_RALLY.threshold_pct, h)) for h in HORIZONS}
    default_rate = base_rates[DEFAULT_RALLY.horizon_months]
    summaries = {n: _summary(rut, btc, BreakoutRule(n), DEFAULT_RALLY, default_rate) for n in MONTHS_GRID}
    default_n = DEFAULT_BREAKOUT.min_months_below
    breakouts, summary = summaries[default_n]
    main = _summary_reading(default_n, summary, True, iso(rut.index[0]), iso(btc.index[0]))
    # the other breakout rules are judged in the grid; their counts go to the notes (one reading keeps the
    # page short, and the grid already shows each rule's verdict)
    readings = [Reading(main.key, main.label, main.figures + _breakout_figures(breakouts, btc), main.headline,
                        main.matches_article, main.explanation)]
    btc_era = [b.spell.rise_pct for b in breakouts if b.date >= btc.index[0]]
    context: dict[str, Value] = {"btc_first_date": iso(btc.index[0]), "rut_first_date": iso(rut.index[0]),
                                  "breakout_dates": ", ".join(iso(b.date) or "" for b in breakouts)}
    for n, (_, grid) in summaries.items():
        context.update({f"n{n}_{key}": value for key, value in grid.items()})
    pending = open_breakout(breakouts, btc)
    context["open_breakout"] = iso(pending[0]) if pending else None
    context["open_breakout_btc_change"] = pending[1] if pending else None
    context["btc_last_day"] = iso(btc.index[-1])
    return Computation(
        readings, f"n{default_n}", evidence(rut, breakouts, btc),
        notes=[
            f"Breakout rule (default): {DEFAULT_BREAKOUT.describe()}. BTC rally: {DEFAULT_RALLY.describe()} of "
            "the BTC close on the breakout date (UTC day). A window still open at the last date is 'still open' "
            "unless the rally already happened.",
            f"Breakouts before {iso(btc.index[0])} have no BTC data (the BTC price series starts then), so most of "
            "the index's breakouts cannot test the article's pattern at all.",
            "The depth requirement (prior peak at least D% above the trough) is off by default"
            + (f"; among the default breakouts with BTC data the shallowest spell had its peak {min(btc_era):.0f}% "
               "above its trough, so any depth rule below that keeps them all." if btc_era else "."),
            f"'All-time' means since {iso(rut.index[0])}, where the index history in the data starts.",
            *(_rule_note(n, summaries[n][1]) for n in MONTHS_GRID if n != default_n),
        ],
        context=context,
        comparison=_comparison({**summary, "last_day": iso(btc.index[-1])}, pending),
        sensitivity=_grid(rut, btc, base_rates),
    )


def judge(comp: Computation) -> Verdict:
    n = comp.primary
    ctx = comp.context
    days = {y: ctx[f"{n}_breakout_{y}"] for y in YEARS}
    outcomes = {y: ctx[f"{n}_rally_{y}"] for y in YEARS}
    chance = _float(ctx.get(f"{n}_chance"))
    heads = [(y, _float(ctx.get(f"{n}_head_start_{y}"))) for y in YEARS]
    misses = int(ctx[f"{n}_other_misses"] or 0)
    label = judge_counts(outcomes, misses, chance, tuple(h for _, h in heads))  # type: ignore[arg-type]
    within = f"within {DEFAULT_RALLY.horizon_months} months"
    if all(o == "rally" for o in outcomes.values()):
        text = f"Under the {n[1:]}-month rule BTC doubled {within} after both breakouts"
    else:
        text = f"Under the {n[1:]}-month rule, " + "; ".join(
            f"the rule finds no breakout in {y}" if days[y] is None else
            f"after the {_day(days[y])} breakout BTC {_OUTCOME_WORDS.get(str(outcomes[y]), str(outcomes[y]))}"
            for y in YEARS)
    text += ("; no other breakout with BTC data missed" if misses == 0 else
             f"; {misses} other breakout{'s' if misses != 1 else ''} with BTC data had no doubling")
    if chance is not None:
        text += f"; chance alone gives that {chance:.0f}% of the time"
    if any(h is not None and round(h, 9) >= HEAD_START_LIMIT for _, h in heads):
        text += f", and BTC's run had begun in the {HEAD_START_MONTHS} months before"
    return Verdict(label, text)


_OUTCOME_WORDS = {"rally": f"doubled within {DEFAULT_RALLY.horizon_months} months",
                  "no rally": f"did not double within {DEFAULT_RALLY.horizon_months} months",
                  "pending": "had not doubled yet (window still open)", "no data": "had no price data"}


def _day(iso_day: Value) -> str:
    return pd.Timestamp(str(iso_day)).strftime("%-d %b %Y")


def matches(reading: Reading) -> bool | None:
    """A breakout-rule reading reproduces the article's figure if both article years have a breakout that BTC
    followed with a doubling (the article's "hitting both times")."""
    hits = next((f.value for f in reading.figures if f.key == "hits_2016_2020"), None)
    return None if not isinstance(hits, int) else hits == len(YEARS)


def finding(comp: Computation) -> str:
    n = comp.primary
    ctx = comp.context
    days = {y: ctx[f"{n}_breakout_{y}"] for y in YEARS}
    rallied = [y for y in YEARS if ctx[f"{n}_rally_{y}"] == "rally"]
    within = f"within {DEFAULT_RALLY.horizon_months} months"
    found = [y for y in YEARS if days[y]]
    if len(rallied) == len(YEARS):
        head = (f"The Russell 2000 breakouts of {' and '.join(_day(days[y]) for y in YEARS)} were both followed "
                f"by BTC doubling {within}")
    else:
        head = (f"The written rule finds a Russell 2000 breakout in {' and '.join(map(str, found)) or 'neither year'}"
                f", and BTC doubled {within} after {' and '.join(map(str, rallied)) or 'neither'}")
    base = _float(ctx.get(f"{n}_base_rate"))
    heads = [f"{h:.0f}%" for y in YEARS if (h := _float(ctx.get(f"{n}_head_start_{y}"))) is not None]
    parts = [f"bitcoin doubled within {DEFAULT_RALLY.horizon_months} months from {base:.0f}% of all days"
             ] if base is not None else []
    if heads:
        parts.append(f"it was already up {' and '.join(heads)} in the {HEAD_START_MONTHS} months before them")
    change = _float(ctx.get("open_breakout_btc_change"))
    if ctx.get("open_breakout") and change is not None:
        parts.append(f"after the newest breakout ({_day(ctx['open_breakout'])}) it was {abs(change):.0f}% "
                     f"{'lower' if change < 0 else 'higher'} by {_day(ctx['btc_last_day'])}")
    if not parts:
        return f"{head}."
    return f"{head}, but " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]) + "."


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
           "thresholds of +25%, +50%, +100%, +200% and +400%, and BTC horizons of 6, 12 and 18 months (the "
           "grid). Against the base rate: the share of all BTC days from which BTC doubled within the horizon, "
           "and BTC's rise in the 6 months before each breakout. The chance figure treats each breakout as a "
           "random day; BTC's rallies cluster in time, so it is a yardstick, not a test.",
    compute=compute,
    rule=custom(
        "Default: a breakout after 12+ months below the record; a rally is BTC doubling within 12 months. "
        "Accurate if every breakout with BTC data, 2016 and 2020 included, was followed by a rally, beating "
        f"BTC's base rate (chance under {CHANCE_LIMIT:g}%) without a {HEAD_START_LIMIT:g}% rise in the "
        f"{HEAD_START_MONTHS} months before; Misleading if both article years rallied but chance would give "
        "that as often, or the run had begun before, or another breakout missed (the figures right, the signal "
        "not shown); Mostly accurate if only one article year rallied; else Inaccurate. Open windows count as "
        "neither.",
        judge,
        matches,
        summary="Accurate only if every breakout since bitcoin's prices begin was followed by bitcoin doubling "
                "within 12 months, more often than chance, with no run already under way; Misleading if the "
                "2016 and 2020 hits are real but chance, an earlier run or another miss explains them.",
    ),
    chart=breakouts_with_outcomes,
    kind="signal",
    finding=finding,
    chart_title="Russell 2000 weekly close (log scale) with breakouts under the 12-month rule, coloured by "
                "what BTC did next",
)
