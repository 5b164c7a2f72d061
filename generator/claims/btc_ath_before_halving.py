"""BTC-ATH-BEFORE-HALVING: BTC broke its previous high in March 2024, the first time before a halving; ETF
expectations had released demand early, so the halving was priced in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.bitcoin import Halving, close_nearest, protocol, readable_day, reference_fact, sources_note
from generator.calendars import last_visible_day
from generator.charts.btc import price_with_events
from generator.claimkit.base import (
    ArticleFigure,
    Claim,
    Comparison,
    Computation,
    Figure,
    Reading,
    Setting,
    Verdict,
    VerdictLabel,
)
from generator.claimkit.helpers import iso, on_or_before
from generator.claimkit.rules import custom
from generator.market import MarketData

CLAIMED_MONTH = "2024-03"
RECORD_LEAD_DAYS = 365
"""The record a halving is measured against: the highest price up to a year before it (the top of the
previous cycle; a year keeps a run-up just before the halving from counting as the 'previous' high)."""
SAMPLE_DAYS = 7
POST_DAYS = (pd.Timestamp(last_visible_day("crypto", PUBLISHED_AT))
             - pd.Timestamp(protocol().halvings[-1].date)).days
"""Days from the 2024 halving to the last bitcoin close before the article: the span after each halving the
comparison measures (fixed, so the latest data cannot move it)."""
ETF_FILE = "bitcoin_etf_expectations.json"
FILING = reference_fact(ETF_FILE, "blackrock_spot_etf_filing")
FILING_DAYS = (protocol().halvings[-1].date - date.fromisoformat(FILING["date"])).days
"""Days from BlackRock's spot ETF filing (when ETF expectations took hold) to the 2024 halving: the main
'before the halving' span, since the article speaks of ETF expectations."""
ETF_DAYS = (protocol().halvings[-1].date - protocol().spot_etf_first_trading.value).days
"""Days from the spot ETFs' first trading day to the 2024 halving."""
WINDOWS = (FILING_DAYS, ETF_DAYS, 182, 365)
COUNT_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}


@dataclass(frozen=True)
class Break:
    """When a price series first went above the record that stood a year before a halving."""

    halving: Halving
    record_day: pd.Timestamp
    record: float
    day: pd.Timestamp | None

    @property
    def days_from_halving(self) -> int | None:
        return None if self.day is None else (self.day - pd.Timestamp(self.halving.date)).days


def first_break(series: pd.Series, halving: Halving) -> Break | None:
    """When ``series`` first exceeded the record standing a year before ``halving``; None if the data cannot
    show that record: it must be preceded in the data by prices at most half of it (otherwise the data may
    start after the real record)."""
    series = series.dropna()
    cutoff = pd.Timestamp(halving.date) - pd.Timedelta(days=RECORD_LEAD_DAYS)
    before = series[series.index <= cutoff]
    if before.empty:
        return None
    record_day, record = before.idxmax(), float(before.max())
    climb = before[before.index < record_day]
    if climb.empty or float(climb.min()) > record / 2:
        return None
    above = series[(series.index > record_day) & (series > record)]
    return Break(halving, record_day, record, above.index[0] if not above.empty else None)


def _break_figures(b: Break, what: str) -> tuple[Figure, ...]:
    return (
        Figure("first_above", f"First {what} above the previous record", iso(b.day), "date"),
        Figure("previous_record", f"Previous record {what}", b.record, "USD", iso(b.record_day)),
        Figure("days_from_halving", "Days from the halving (negative = before)", b.days_from_halving, "days"),
    )


def _earlier_reading(halving: Halving, b: Break | None, first: pd.Timestamp) -> Reading:
    year = halving.date.year
    label = f"For context: the {year} halving, was the previous record broken before or after it?"
    if b is None:
        return Reading(f"halving_{year}", label, (Figure("first_above", "First close above the previous record",
                                                          None, "date", note="record before the data"),),
                       "first_above", None,
                       f"The record before the {year} halving predates the BTC prices here ({iso(first)} on).")
    return Reading(f"halving_{year}", label, _break_figures(b, "close"), "first_above", None,
                   "The article implies that earlier records fell only after their halving.")


@dataclass(frozen=True)
class CycleRun:
    """One halving: how far BTC rose in a span before it and what it gained in the span after."""

    year: int
    before_pct: float
    after_x: float


def _runs(close: pd.Series, halvings: tuple[Halving, ...], days_before: int) -> list[CycleRun]:
    runs = []
    for h in halvings:
        start = pd.Timestamp(h.date) - pd.Timedelta(days=days_before)
        end = pd.Timestamp(h.date) + pd.Timedelta(days=POST_DAYS)
        if close.index[0] > start or close.index[-1] < end:
            continue
        _, base = close_nearest(close, h.block_time)
        runs.append(CycleRun(h.date.year, (base / on_or_before(close, start)[1] - 1) * 100,
                             on_or_before(close, end)[1] / base))
    return runs


def singles_out(runs: list[CycleRun]) -> bool:
    """True if the latest cycle rose most before its halving and gained least after it (needs an earlier
    cycle to compare with)."""
    if len(runs) < 2:
        return False
    latest, earlier = runs[-1], runs[:-1]
    return all(latest.before_pct > r.before_pct and latest.after_x < r.after_x for r in earlier)


def fact_label(date_ok: bool, before: int, unchecked: int) -> VerdictLabel:
    """The first part (a record in March 2024, the first before a halving)."""
    if not date_ok or before:
        return "Inaccurate"
    return "Mostly accurate" if unchecked else "Accurate"


def overall_label(fact: VerdictLabel, consistent: bool) -> VerdictLabel:
    if fact != "Accurate":
        return fact
    return "Accurate" if consistent else "Mostly accurate"


def _span(days: int) -> str:
    names = {FILING_DAYS: "from BlackRock's spot ETF filing", ETF_DAYS: "from the spot ETFs' first trading day"}
    return f"{days} days ({names[days]})" if days in names else f"{days} days"


def _comparison(close: pd.Series, halvings: tuple[Halving, ...]) -> tuple[Comparison, list[CycleRun]]:
    runs = _runs(close, halvings, FILING_DAYS)
    figures = tuple(f for r in runs for f in (
        Figure(f"before_{r.year}", f"{r.year} halving: rise in the {FILING_DAYS} days before", r.before_pct, "%"),
        Figure(f"after_{r.year}", f"{r.year} halving: multiple {POST_DAYS} days after", r.after_x, "x")))
    question = ("Did the 2024 cycle rise unusually fast before its halving and gain unusually little after it, "
                "compared with earlier cycles?")
    if len(runs) < 2:
        return Comparison(question, "The prices here hold no earlier cycle to compare with.", figures), runs
    before = ", ".join(f"{r.before_pct:+.0f}% ({r.year})" for r in runs)
    after = ", ".join(f"{r.after_x:.2f}x ({r.year})" for r in runs)
    latest, others = runs[-1], runs[:-1]
    misses = ([] if all(latest.before_pct > r.before_pct for r in others) else
              ["the 2024 rise before the halving was not the largest"]) + \
             ([] if all(latest.after_x < r.after_x for r in others) else
              ["the 2024 gain after it was not the smallest"])
    verdict = ("so 2024 stands out on both counts, as 'priced in' would predict" if singles_out(runs) else
               "so " + " and ".join(misses) + ": the data do not single out early ETF demand")
    answer = (f"In the {FILING_DAYS} days before each halving (as long as from BlackRock's spot ETF filing to "
              f"the 2024 halving) BTC moved {before}; in the {POST_DAYS} days after "
              f"it, it multiplied {after}; {verdict}. {COUNT_WORDS.get(len(runs), str(len(runs)))} cycles cannot "
              "separate ETF demand from other causes.")
    return Comparison(question, answer, figures), runs


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    close = btc["close"].dropna()
    high = btc["high"].where(btc["high"].notna(), btc["close"]).dropna()
    p = protocol()
    halvings = p.halvings
    current = halvings[-1]
    by_close, by_high = first_break(close, current), first_break(high, current)
    if by_close is None or by_high is None:
        raise ValueError("BTC data do not cover the record before the 2024 halving")
    earlier = [(h, first_break(close, h)) for h in halvings[:-1]]
    readings = [
        Reading("close", f"First daily close above the {by_close.record_day:%B %Y} record close",
                _break_figures(by_close, "close"), "first_above", False,
                f"The previous record is the highest close up to a year before the halving, set on "
                f"{iso(by_close.record_day)}."),
        Reading("intraday", f"First intraday high above the {by_high.record_day:%B %Y} record high",
                _break_figures(by_high, "intraday high"), "first_above", False,
                f"The same with intraday highs; the record high was set on {iso(by_high.record_day)}."),
        *[_earlier_reading(h, b, close.index[0]) for h, b in earlier],
    ]
    comparison, runs = _comparison(close, halvings)
    date_ok = bool(by_close.day is not None and iso(by_close.day)[:7] == CLAIMED_MONTH  # type: ignore[index]
                   and by_close.days_from_halving is not None and by_close.days_from_halving < 0)
    checked = [b for _, b in earlier if b is not None]
    counts = {"earlier_after": sum(1 for b in checked if (b.days_from_halving or 0) > 0),
              "earlier_before": sum(1 for b in checked if b.days_from_halving is not None
                                    and b.days_from_halving <= 0),
              "earlier_unchecked": len(earlier) - len(checked)}
    fact = fact_label(date_ok, counts["earlier_before"], counts["earlier_unchecked"])
    sensitivity = [Setting(f"Rise before the halving measured over {_span(days)}",
                           overall_label(fact, singles_out(_runs(close, halvings, days))),
                           primary=days == FILING_DAYS) for days in WINDOWS]
    marks = {pd.Timestamp(h.date): f"halving {h.date.year}" for h in halvings}
    for b in (by_close, *checked):
        if b.day is not None:
            marks[b.day] = "record broken" + (" (article: March 2024)" if b is by_close else "")
    days = set(close.index[::SAMPLE_DAYS]) | {d for d in marks if d in close.index} | {close.index[-1]}
    evidence = close.loc[sorted(days)].rename("close").reset_index()
    evidence["event"] = evidence["date"].map(marks).fillna("")
    evidence["previous_record"] = by_close.record
    return Computation(
        readings, "close", evidence,
        notes=["'Previous high' is the record that stood a year before each halving (the top of the previous "
               "cycle). It counts only if the data show the climb to it (earlier prices at most half of it); "
               "'before a halving' means on a day before the halving's date.",
               sources_note(*halvings, p.spot_etf_first_trading, what="Halving dates and the ETFs' first day"),
               f"BlackRock's spot ETF filing ({readable_day(FILING['date'])}): data/reference/{ETF_FILE}, "
               f"checked against {FILING['url']}."],
        context={"date_ok": date_ok, "consistent": singles_out(runs), **counts},
        comparison=comparison, sensitivity=sensitivity,
    )


def judge(comp: Computation) -> Verdict:
    ctx = comp.context
    first = comp.text("first_above", comp.primary)
    fact = fact_label(bool(ctx["date_ok"]), int(ctx["earlier_before"]), int(ctx["earlier_unchecked"]))  # type: ignore[arg-type]
    label = overall_label(fact, bool(ctx["consistent"]))
    broke = (f"BTC first closed above its previous record on {readable_day(first)}" if first
             else "BTC has not closed above its previous record")
    earlier = (f"of the earlier halvings, {ctx['earlier_after']} had the record broken after them, "
               f"{ctx['earlier_before']} before, and {ctx['earlier_unchecked']} predate the prices here")
    cause = ("; the comparison singles out 2024 (largest rise before, smallest gain after)" if ctx["consistent"]
             else "; the comparison does not single out 2024, so 'ETF expectations priced it in' is a plausible "
                  "reading, not one the data show")
    return Verdict(label, f"{broke}; {earlier}{cause if fact != 'Inaccurate' else ''}")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces the article if its first day above the previous record is in March 2024 and
    before the halving."""
    figures = {f.key: f.value for f in reading.figures}
    day, offset = figures.get("first_above"), figures.get("days_from_halving")
    if not isinstance(day, str) or not isinstance(offset, int):
        return None if "days_from_halving" not in figures else False
    return day[:7] == CLAIMED_MONTH and offset < 0


def finding(comp: Computation) -> str:
    ctx = comp.context
    first = comp.text("first_above", comp.primary)
    offset = comp.figure("days_from_halving", comp.primary).value
    if not first or not isinstance(offset, int):
        opening = "Bitcoin has not closed above its previous record"
    else:
        opening = (f"Bitcoin first closed above its previous record on {readable_day(first)}, "
                   f"{abs(offset)} days {'before' if offset < 0 else 'after'} the April 2024 halving")
    checked = int(ctx["earlier_after"]) + int(ctx["earlier_before"])  # type: ignore[call-overload]
    if ctx["earlier_before"]:
        earlier = "but an earlier record also fell before its halving"
    elif ctx["earlier_unchecked"]:
        cycles = "the one earlier cycle" if checked == 1 else f"the {checked} earlier cycles"
        earlier = f"and in {cycles} the prices here cover, the record fell only after the halving"
    else:
        earlier = "and in every earlier cycle the record fell only after the halving"
    cause = ("; the 2024 cycle also rose most before its halving and gained least after it" if ctx["consistent"]
             else "; but the comparison with earlier cycles does not single out early ETF demand as the reason "
                  "the halving was 'priced in'")
    return f"{opening}, {earlier}{cause}."


CLAIM = Claim(
    id="BTC-ATH-BEFORE-HALVING",
    order=16,
    title="A new BTC record in March 2024, the first before a halving",
    section="2016 and 2020: Two Breakouts",
    quote="broke its previous high in March 2024",
    paraphrase="Bitcoin set a new all-time high in March 2024, a month before the halving; the article says "
               "no earlier cycle had broken its previous record before the halving, and that ETF expectations "
               "had pulled demand forward, so the halving was already priced in.",
    article=(ArticleFigure("month", "Month of the new record", CLAIMED_MONTH, "text", "in March 2024"),),
    needs=("btc-usd",),
    method="BTC-USD daily closes and highs. For each halving, the previous record is the highest price up to a "
           "year before it; the first day above that record is compared with the halving date (for 2024 by "
           "close and intraday, for each earlier halving the prices cover). For the explanation, a claim of "
           "cause: how far BTC rose in the days before each halving (the span from BlackRock's spot ETF filing, "
           f"when ETF expectations took hold, to the 2024 halving, {FILING_DAYS} days; also from the ETFs' first "
           f"trading day, {ETF_DAYS} days, and 182 and 365 days) and how much it gained "
           f"in the {POST_DAYS} days after (the span the article had seen since the 2024 halving).",
    compute=compute,
    rule=custom(
        "Inaccurate if BTC's first close above its previous record was not in March 2024 or not before the "
        "April 2024 halving, or if any earlier halving the data can check had its previous record broken "
        "before it. Mostly accurate if that holds but some earlier halving (2012, 2016, 2020) predates the "
        "prices here. If every earlier halving is checked, the explanation decides: Accurate if the 2024 "
        "cycle rose more before its halving and gained less after it than every earlier cycle (what 'priced "
        "in by early ETF demand' would produce), otherwise Mostly accurate (the fact is right, the cause is "
        "an interpretation the data do not single out). The verdict measures 'before the halving' from "
        "BlackRock's spot ETF filing, when ETF expectations took hold; the grid shows the other spans.",
        judge,
        matches,
    ),
    chart=lambda df: price_with_events(df, "close", "BTC close (USD, log)", log=True,
                                       levels=((float(df["previous_record"].iloc[0]),
                                                "record before the 2024 halving"),)),
    chart_title="Bitcoin close (weekly sample, log scale) with the halvings and the days records were broken",
    references=("bitcoin_protocol.json", ETF_FILE),
    kind="signal",
    finding=finding,
    fixed_in_time=True,
)
