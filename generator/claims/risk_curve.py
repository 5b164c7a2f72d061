"""RISK-CURVE: when the Fed eases, money moves from bonds to blue chips, to small caps, then crypto (an opinion).

The first cut of each easing cycle comes from the FOMC's decision record (a sourced reference file,
``data/reference/fomc_easing_cycles.json``), cross-checked against the daily effective fed funds rate; the
page shows what each rung of the "risk curve" returned 3, 6 and 12 months after each first cut, and in how
many cycles the returns rose in the article's order.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator.breakouts import add_months
from generator.charts.macro import grouped_returns
from generator.claimkit.base import Claim, Computation, Figure, Reading, Value
from generator.claimkit.helpers import iso, on_or_before, pct_change
from generator.claimkit.rules import opinion
from generator.market import MarketData
from generator.reference_facts import fact_list

HORIZONS = (3, 6, 12)
REFERENCE = "fomc_easing_cycles.json"
CROSS_CHECK_DAYS = 45
"""The effective-rate rule confirms a decision if it finds a first cut within this many days of it."""
BEFORE_MONTHS = 3
BOND, BLUE, SMALL, CRYPTO = "2-year Treasury note (approx.)", "S&P 500", "Russell 2000", "Bitcoin"
RUNGS = (BOND, BLUE, SMALL, CRYPTO)
"""The article's order, from the least to the most risky."""
EQUITY_SERIES = {BLUE: "gspc", SMALL: "rut", CRYPTO: "btc-usd"}


@dataclass(frozen=True)
class EasingRule:
    """How cuts, and the first cut of an easing cycle, are read from the daily effective fed funds rate.

    A *cut day* is a day whose rate is at least ``threshold_pp`` below the median of the previous
    ``window_days`` days, and whose next ``window_days`` days (the day itself included) also have a median at
    least that far below it: the lower level lasts, so a one-day dip is not a cut. Cut days come in runs (the
    days after a cut also sit below the old median); a *cut* is the first day of each run. The *first cut* of
    an easing cycle is a cut with no other cut in the ``quiet_months`` calendar months before it.
    """

    threshold_pp: float = 0.20
    window_days: int = 28
    quiet_months: int = 6

    def describe(self) -> str:
        return (f"a day when the effective fed funds rate falls at least {self.threshold_pp * 100:.0f}bp below "
                f"the median of the previous {self.window_days} days and stays there (the median of that day and "
                f"the next {self.window_days - 1} is also that far below), with no such cut in the "
                f"{self.quiet_months} months before")


DEFAULT_EASING = EasingRule()


def cut_days(rate: pd.Series, rule: EasingRule) -> pd.DatetimeIndex:
    """Every day that is a cut day under ``rule`` (DFF has one value per calendar day)."""
    rate = rate.dropna().astype(float)
    before = rate.rolling(rule.window_days, min_periods=rule.window_days).median().shift(1)
    after = rate[::-1].rolling(rule.window_days, min_periods=rule.window_days).median()[::-1]
    # rounded to 1e-6 pp so that a drop of exactly the threshold counts despite float noise
    dropped = ((before - rate).round(6) >= rule.threshold_pp) & ((before - after).round(6) >= rule.threshold_pp)
    return rate.index[dropped.to_numpy()]


def cuts(rate: pd.Series, rule: EasingRule) -> list[pd.Timestamp]:
    """The first day of each run of consecutive cut days (consecutive observations of ``rate``)."""
    rate = rate.dropna()
    flagged = rate.index.isin(cut_days(rate, rule))
    first = flagged.copy()
    first[1:] &= ~flagged[:-1]
    return list(rate.index[first])


def first_cuts(rate: pd.Series, rule: EasingRule) -> list[pd.Timestamp]:
    """The first cut of each easing cycle: no other cut in the ``quiet_months`` before it."""
    days = pd.DatetimeIndex(cuts(rate, rule))
    if days.empty:
        return []
    quiet = days[1:] >= days[:-1] + pd.DateOffset(months=rule.quiet_months)
    return [days[0], *days[1:][quiet]]


def par_note_duration(yield_pct: float, years: int = 2) -> float:
    """Modified duration of a par bond with semi-annual coupons at ``yield_pct`` (in years)."""
    y = yield_pct / 100.0
    if y <= 0:
        return float(years)
    return (1 - (1 + y / 2) ** (-2 * years)) / y


def note_return(start_yield: float, end_yield: float, months: int) -> float:
    """Approximate % return of holding a constant-maturity 2-year note: carry plus duration times the fall
    in yield (``start_yield * months / 12 - duration * (end_yield - start_yield)``)."""
    return start_yield * months / 12.0 - par_note_duration(start_yield) * (end_yield - start_yield)


def _span(series: pd.Series, start: pd.Timestamp, months: int) -> tuple[float, float] | None:
    """Values on (or last before) ``start`` and ``start + months``; None if the series does not cover both."""
    end = add_months(start, months)
    if series.index[0] > start or series.index[-1] < end:
        return None
    return on_or_before(series, start)[1], on_or_before(series, end)[1]


def cycle_returns(cut: pd.Timestamp, closes: dict[str, pd.Series], months: int) -> dict[str, float | None]:
    """Each rung's return over ``months`` from the first cut (bond: approximate 2-year note return); a
    negative ``months`` looks back: the window ends on the cut."""
    if months < 0:
        return cycle_returns(add_months(cut, months), closes, -months)
    out: dict[str, float | None] = {}
    yields = _span(closes["dgs2"], cut, months)
    out[BOND] = note_return(*yields, months) if yields else None
    out["yield_change_bp"] = (yields[1] - yields[0]) * 100.0 if yields else None
    for rung, sid in EQUITY_SERIES.items():
        span = _span(closes[sid], cut, months)
        out[rung] = pct_change(*span) if span else None
    return out


def in_risk_order(returns: dict[str, float | None], rungs: tuple[str, ...]) -> bool | None:
    """True if the returns rise strictly along ``rungs``; None if any rung has no value."""
    values = [returns.get(r) for r in rungs]
    if any(v is None for v in values):
        return None
    return all(a < b for a, b in zip(values, values[1:], strict=False))  # type: ignore[operator]


def decisions() -> list[pd.Timestamp]:
    """The first cut of each easing cycle, from the FOMC's decision record (the reference file)."""
    return sorted(pd.Timestamp(f.date) for f in fact_list(REFERENCE, "easing_cycle_starts"))


def cross_check(decision: pd.Timestamp, detected: list[pd.Timestamp]) -> tuple[pd.Timestamp | None, int | None]:
    """The first cut the effective-rate rule finds nearest the decision (within ``CROSS_CHECK_DAYS``) and its
    distance in days (negative: the rate moved before the announcement)."""
    near = [(d, (d - decision).days) for d in detected if abs((d - decision).days) <= CROSS_CHECK_DAYS]
    if not near:
        return None, None
    return min(near, key=lambda pair: (abs(pair[1]), pair[1]))


def _cycle_reading(cut: pd.Timestamp, table: dict[int, dict[str, float | None]], seen: pd.Timestamp | None,
                   gap: int | None) -> Reading:
    figures = [Figure("dff_first_cut", "The effective rate shows the cut from", iso(seen), "date",
                      note="" if seen is not None else f"the rate rule finds no first cut within {CROSS_CHECK_DAYS} "
                                                       "days"),
               Figure("dff_gap_days", "Days from the decision to the cut in the effective rate", gap, "days"),
               Figure(f"yield_change_before_{BEFORE_MONTHS}m",
                      f"{BEFORE_MONTHS} months before the cut: change in the 2-year yield",
                      table[-BEFORE_MONTHS]["yield_change_bp"], "bp")]
    for months in HORIZONS:
        row = table[months]
        figures.append(Figure(f"yield_change_{months}m", f"{months} months: change in the 2-year yield",
                              row["yield_change_bp"], "bp"))
        for rung in RUNGS:
            note = "no BTC data yet" if rung == CRYPTO and row[rung] is None and cut.year < 2014 else ""
            figures.append(Figure(f"{_slug(rung)}_{months}m", f"{months} months: {rung}", row[rung], "%",
                                  note=note if note else ("" if row[rung] is not None else "window not over yet")))
        order = in_risk_order(row, RUNGS if row[CRYPTO] is not None else RUNGS[:3])
        figures.append(Figure(f"order_{months}m", f"{months} months: returns rise along the risk curve",
                              {True: "yes", False: "no", None: "n/a"}[order], "text"))
    return Reading(f"cut_{iso(cut)}", f"FOMC first cut of {cut:%-d %b %Y}", tuple(figures), f"{_slug(SMALL)}_12m",
                   None,
                   "Returns from the last close before the announcement (the day before the decision) to the last "
                   "close on or before the horizon. 'Rise along the risk curve' = bond < S&P 500 < Russell 2000 < "
                   "Bitcoin (without Bitcoin when it has no data).")


def _slug(rung: str) -> str:
    return {BOND: "bond", BLUE: "spx", SMALL: "rut", CRYPTO: "btc"}[rung]


def _summary(cuts: list[pd.Timestamp], tables: dict[pd.Timestamp, dict[int, dict[str, float | None]]],
             confirmed: int) -> Reading:
    figures = [Figure("cycles", "Easing cycles the FOMC began since 1994 (first cuts)", len(cuts), "count"),
               Figure("cycle_dates", "Their first cuts", ", ".join(iso(c) or "" for c in cuts) or "none", "text"),
               Figure("dff_confirmed", f"Of which the effective rate shows within {CROSS_CHECK_DAYS} days",
                      confirmed, "count")]
    for months in HORIZONS:
        for label, rungs, key in (("bond < S&P 500 < Russell 2000", RUNGS[:3], "three"),
                                  ("bond < S&P 500 < Russell 2000 < Bitcoin", RUNGS, "four")):
            verdicts = [in_risk_order(tables[c][months], rungs) for c in cuts]
            known = [v for v in verdicts if v is not None]
            figures.append(Figure(f"order_{key}_{months}m", f"{months} months: cycles with {label}",
                                  sum(known), "count"))
            figures.append(Figure(f"order_{key}_{months}m_of", f"{months} months: cycles with data for all of "
                                  f"{label.replace(' < ', ', ')}", len(known), "count"))
    before = [tables[c][-BEFORE_MONTHS]["yield_change_bp"] for c in cuts]
    fell = [v for v in before if v is not None]
    figures.append(Figure("yield_fell_before", f"Cycles where the 2-year yield fell in the {BEFORE_MONTHS} months "
                          "before the first cut", sum(1 for v in fell if v < 0), "count"))
    figures.append(Figure("yield_fell_before_of", f"Cycles with 2-year yield data {BEFORE_MONTHS} months before "
                          "the first cut", len(fell), "count"))
    return Reading("summary", "All easing cycles the FOMC began since 1994", tuple(figures), "cycles", None,
                   "An easing cycle starts with the FOMC's first cut after its last increase (the decision record "
                   "in the reference file).")


def evidence(tables: dict[pd.Timestamp, dict[int, dict[str, float | None]]]) -> pd.DataFrame:
    rows = [(iso(cut), f"{months} months", rung, table[months][rung])
            for cut, table in tables.items() for months in HORIZONS for rung in RUNGS
            if table[months][rung] is not None]
    return pd.DataFrame(rows, columns=["event", "horizon", "asset", "return_pct"])


def compute(data: MarketData) -> Computation:
    closes = {sid: data.close(sid) for sid in ("dgs2", "gspc", "rut", "btc-usd")}
    dff = data.close("dff")
    last = min(series.index[-1] for series in closes.values())
    cuts = [c for c in decisions() if closes["rut"].index[0] <= c <= last]
    detected = first_cuts(dff, DEFAULT_EASING)
    day = pd.Timedelta(days=1)
    tables = {cut: {m: cycle_returns(cut - day, closes, m) for m in (-BEFORE_MONTHS, *HORIZONS)} for cut in cuts}
    checks = {cut: cross_check(cut, detected) for cut in cuts}
    confirmed = sum(1 for seen, _ in checks.values() if seen is not None)
    readings = [_summary(cuts, tables, confirmed),
                *(_cycle_reading(cut, tables[cut], *checks[cut]) for cut in cuts)]
    context: dict[str, Value] = {"first_cuts": ", ".join(iso(c) or "" for c in cuts),
                                 "dff_first_cuts": ", ".join(iso(c) or "" for c in detected if c >= cuts[0])
                                 if cuts else ""}
    for reading in readings:
        context.update({f"{reading.key}_{f.key}": f.value for f in reading.figures})
    gaps = [g for _, g in checks.values() if g is not None]
    return Computation(
        readings, "summary", evidence(tables),
        notes=[
            "Easing-cycle starts come from the FOMC's decision record, kept with its sources in the reference "
            "file: the first cut after the last increase, from 1994, when the FOMC began announcing its "
            "decisions. The September 2025 cut resumed the cycle begun in September 2024 and is not a new start.",
            f"Cross-check: a written rule on the daily effective fed funds rate ({DEFAULT_EASING.describe()}) "
            f"finds {confirmed} of the {len(cuts)} decisions within {CROSS_CHECK_DAYS} days"
            + (f", from {min(gaps)} to {max(gaps)} days from the announcement (the rate can drift before a "
               "decision when the Fed adds liquidity)." if gaps else "."),
            "No bond fund is in the data: the bond leg is an approximate constant-maturity 2-year Treasury note "
            "return from the FRED DGS2 yield (carry plus modified duration times the fall in yield); the yield "
            "change itself is shown too.",
            "Price returns for the S&P 500 and the Russell 2000 (no dividends); Bitcoin from its UTC-day close.",
            "The article describes an order in time (money reaches bonds first, crypto last); returns after "
            "the first cut test a weaker version: whether riskier rungs earned more over each horizon. The "
            f"2-year yield's change in the {BEFORE_MONTHS} months before each first cut shows whether bonds "
            "moved first (a falling yield is a bond rally).",
        ],
        context=context,
    )


def out_of(k: int, n: int) -> str:
    """'none of the 6', 'all 6', '2 of the 6'."""
    if k == 0:
        return f"none of the {n}"
    return f"all {n}" if k == n else f"{k} of the {n}"


def finding(comp: Computation) -> str:
    def count(key: str) -> int:
        return int(comp.number(key, "summary"))

    cycles = count("cycles")
    three, three_of = count("order_three_12m"), count("order_three_12m_of")
    four, four_of = count("order_four_12m"), count("order_four_12m_of")
    fell, fell_of = count("yield_fell_before"), count("yield_fell_before_of")
    btc = (f"; with Bitcoin last, the full order held in {out_of(four, four_of)} cycles with Bitcoin data"
           if four_of else "; no cycle has a complete 12 months of Bitcoin data")
    return (f"Over the 12 months after the first cut of the {cycles} easing cycles the FOMC began since 1994, "
            f"returns rose from bonds to the S&P 500 to the Russell 2000 in {out_of(three, three_of)} with a "
            f"complete year{btc}, and the 2-year yield had already fallen before the cut in "
            f"{out_of(fell, fell_of)}.")


CLAIM = Claim(
    id="RISK-CURVE",
    order=18,
    title="Easing moves money along the risk curve: bonds, blue chips, small caps, crypto",
    section="Coincidence, or the Same Liquidity Logic?",
    quote="money moves out along the risk curve",
    paraphrase="When the Fed signals easing, money flows first into government bonds, then large companies, "
               "then small caps, and last into high-risk assets such as crypto.",
    article=(),
    needs=("dff", "dgs2", "gspc", "rut", "btc-usd"),
    method="The first cut of each easing cycle comes from the FOMC's decision record (the first cut after the "
           "last increase, from 1994, kept with its sources in a reference file) and is cross-checked against "
           "the daily effective fed funds rate (FRED DFF). From the last close before each first cut, the returns "
           "3, 6 and 12 months later of a 2-year Treasury note (approximated from the DGS2 yield), the S&P 500, "
           "the Russell 2000 and Bitcoin (from 2014); and in how many cycles those returns rise in the article's "
           "order. The finding counts the 12-month horizon: the article speaks of a cycle, not of weeks.",
    compute=compute,
    rule=opinion(),
    chart=grouped_returns,
    chart_title="Returns after the first Fed cut of each easing cycle, by horizon and asset",
    kind="opinion",
    references=(REFERENCE,),
    finding=finding,
)
