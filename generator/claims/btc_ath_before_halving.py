"""BTC-ATH-BEFORE-HALVING: BTC broke its previous high in March 2024, the first time before a halving; ETF
expectations had released demand early, so the halving was priced in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.bitcoin import (
    BTC_EARLY,
    Halving,
    close_nearest,
    protocol,
    readable_day,
    reference_fact,
    sources_note,
    spliced_close,
)
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
WINDOWS = (FILING_DAYS, ETF_DAYS, 365)


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


def _earlier_note(earlier: list[tuple[Halving, Break | None]], first: pd.Timestamp) -> str:
    """Where each earlier halving's previous record fell, in one line."""
    parts = []
    for h, b in earlier:
        if b is None:
            parts.append(f"{h.date.year}: the record predates the prices here ({iso(first)} on)")
        elif b.day is None or b.days_from_halving is None:
            parts.append(f"{h.date.year}: the record of {iso(b.record_day)} not beaten yet")
        else:
            when = "after" if b.days_from_halving > 0 else "before"
            parts.append(f"{h.date.year}: the record of {iso(b.record_day)} first beaten on {iso(b.day)}, "
                         f"{abs(b.days_from_halving)} days {when} the halving")
    return "Earlier halvings: " + "; ".join(parts) + "."


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
    names = {FILING_DAYS: "2024: since BlackRock's ETF filing", ETF_DAYS: "2024: since the ETFs' first trade"}
    return f"{days} days before ({names[days]})" if days in names else f"{days} days before"


def _comparison(close: pd.Series, halvings: tuple[Halving, ...]) -> tuple[Comparison, list[CycleRun]]:
    runs = _runs(close, halvings, FILING_DAYS)
    figures = tuple(f for r in runs for f in (
        Figure(f"before_{r.year}", f"{r.year} halving: rise in the {FILING_DAYS} days before", r.before_pct, "%"),
        Figure(f"after_{r.year}", f"{r.year} halving: multiple {POST_DAYS} days after", r.after_x, "x")))
    question = "Did the 2024 cycle rise most before its halving and gain least after it?"
    if len(runs) < 2:
        return Comparison(question, "The prices here hold no earlier cycle to compare with.", figures), runs
    before = ", ".join(f"{r.before_pct:+.0f}% ({r.year})" for r in runs)
    after = ", ".join(f"{r.after_x:.2f}x ({r.year})" for r in runs)
    latest, others = runs[-1], runs[:-1]
    misses = ([] if all(latest.before_pct > r.before_pct for r in others) else
              ["the 2024 rise before was not the largest"]) + \
             ([] if all(latest.after_x < r.after_x for r in others) else
              ["the 2024 gain after was not the smallest"])
    verdict = "2024 stands out on both counts" if singles_out(runs) else " and ".join(misses)
    answer = f"{FILING_DAYS} days before each halving: {before}; {POST_DAYS} days after: {after}; {verdict}."
    return Comparison(question, answer, figures), runs


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    spliced, splice = spliced_close(data)  # closes before Yahoo's first day from CryptoQuant, when present
    close = spliced.dropna()
    high = btc["high"].where(btc["high"].notna(), btc["close"]).dropna()
    p = protocol()
    halvings = p.halvings
    current = halvings[-1]
    by_close, by_high = first_break(close, current), first_break(high, current)
    if by_close is None or by_high is None:
        raise ValueError("BTC data do not cover the record before the 2024 halving")
    earlier = [(h, first_break(close, h)) for h in halvings[:-1]]
    readings = [
        Reading("close", f"First close above the {by_close.record_day:%Y} record close",
                _break_figures(by_close, "close"), "first_above", False,
                f"The previous record is the highest close up to a year before the halving, set on "
                f"{iso(by_close.record_day)}."),
        Reading("intraday", f"First intraday high above the {by_high.record_day:%Y} record",
                _break_figures(by_high, "intraday high"), "first_above", False,
                f"The same with intraday highs; the record high was set on {iso(by_high.record_day)}."),
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
    sensitivity = [Setting(f"Rise in the {_span(days)}",
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
        notes=[_earlier_note(earlier, close.index[0]),
               "'Previous high' is the record that stood a year before each halving (the top of the previous "
               "cycle). It counts only if the data show the climb to it (earlier prices at most half of it); "
               "'before a halving' means on a day before the halving's date.",
               sources_note(*halvings, p.spot_etf_first_trading, what="Halving dates and the ETFs' first day"),
               f"BlackRock's spot ETF filing ({readable_day(FILING['date'])}): data/reference/{ETF_FILE}, "
               f"checked against {FILING['url']}.",
               (f"Closes before {readable_day(splice)} are CryptoQuant's all-exchange daily closes, spliced in "
                "front of Yahoo Finance's series (its first day); intraday highs exist only from that day. The "
                "data page shows the splice and how the two series agree where both exist."
                if splice is not None else
                "This build has no closes before Yahoo Finance's first day: earlier cycles may predate them.")],
        context={"date_ok": date_ok, "consistent": singles_out(runs), **counts,
                 **{f"record_beaten_{h.date.year}": iso(b.day) if b is not None else None for h, b in earlier}},
        comparison=comparison, sensitivity=sensitivity,
    )


def judge(comp: Computation) -> Verdict:
    ctx = comp.context
    first = comp.text("first_above", comp.primary)
    fact = fact_label(bool(ctx["date_ok"]), int(ctx["earlier_before"]), int(ctx["earlier_unchecked"]))  # type: ignore[arg-type]
    label = overall_label(fact, bool(ctx["consistent"]))
    broke = (f"First close above the previous record: {readable_day(first)}" if first
             else "No close above the previous record yet")
    earlier = (f"earlier records beaten after their halving: {ctx['earlier_after']}, before: "
               f"{ctx['earlier_before']}, unchecked: {ctx['earlier_unchecked']}")
    cause = "; 2024 stands out" if ctx["consistent"] else "; 2024 does not stand out"
    return Verdict(label, f"{broke}; {earlier}{cause if fact == 'Accurate' else ''}")


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
                   f"{abs(offset)} days {'before' if offset < 0 else 'after'} the 2024 halving")
    checked = int(ctx["earlier_after"]) + int(ctx["earlier_before"])  # type: ignore[call-overload]
    if ctx["earlier_before"]:
        earlier = "but an earlier record also fell before its halving"
    elif ctx["earlier_unchecked"]:
        cycles = "the one earlier cycle" if checked == 1 else f"the {checked} earlier cycles"
        earlier = f"in {cycles} the prices cover, that came after the halving"
    else:
        earlier = "in every earlier cycle that came after the halving"
    cause = (", and 2024 rose most before it and gained least after" if ctx["consistent"]
             else ", but the cycles do not single out ETF demand as the cause")
    return f"{opening}; {earlier}{cause}."


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
    datasets=(BTC_EARLY,),
    method="BTC-USD daily closes and highs (before Yahoo Finance's first day, 2014-09-17, CryptoQuant's "
           "all-exchange daily closes spliced in front; closes only). For each halving, the previous record is the highest price up to a "
           "year before it; the first day above that record is compared with the halving date (for 2024 by "
           "close and intraday, for each earlier halving the prices cover). For the explanation, a claim of "
           "cause: how far BTC rose in the days before each halving (the span from BlackRock's spot ETF filing, "
           f"when ETF expectations took hold, to the 2024 halving, {FILING_DAYS} days; also from the ETFs' first "
           f"trading day, {ETF_DAYS} days, and 365 days) and how much it gained "
           f"in the {POST_DAYS} days after (the span the article had seen since the 2024 halving). A handful of "
           "cycles cannot separate ETF demand from other causes; the comparison shows whether the pattern fits.",
    compute=compute,
    rule=custom(
        "Inaccurate unless BTC first closed above its previous record in March 2024, before the halving, and "
        "no earlier record fell before its halving. Mostly accurate if an earlier halving predates the prices. "
        "If all are checked, Accurate only if 2024 also rose most before its halving and gained least after.",
        judge,
        matches,
    ),
    chart=lambda df: price_with_events(df, "close", "BTC close (USD, log)", log=True,
                                       levels=((float(df["previous_record"].iloc[0]),
                                                "record before the 2024 halving"),)),
    chart_title="Bitcoin close (weekly, log scale): halvings and records broken",
    references=("bitcoin_protocol.json", ETF_FILE),
    kind="signal",
    finding=finding,
    fixed_in_time=True,
)
