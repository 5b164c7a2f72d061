"""BTC-NOV-2024: in November 2024 BTC was already near $100,000 (the publisher's summary: it had reached it)."""

from __future__ import annotations

import pandas as pd

from generator.bitcoin import readable_day
from generator.charts.btc import price_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict, VerdictLabel
from generator.claimkit.helpers import iso, window
from generator.claimkit.rules import band, custom
from generator.formatting import format_value
from generator.market import MarketData

LEVEL = 100_000.0
ACCURATE_PCT, MOSTLY_PCT = 5.0, 10.0
MONTH_START, MONTH_END = pd.Timestamp("2024-11-01"), pd.Timestamp("2024-11-30")
ELECTION_DAY = pd.Timestamp("2024-11-05")
CHART_FROM, CHART_TO = "2024-10-01", "2024-12-31"


def _first_at_or_above(series: pd.Series, level: float) -> tuple[pd.Timestamp, float] | None:
    hits = series[series >= level]
    return (hits.index[0], float(hits.iloc[0])) if not hits.empty else None


def _near_reading(key: str, label: str, day: pd.Timestamp, price: float, what: str,
                  explanation: str = "", judged: bool = True) -> Reading:
    distance = (price / LEVEL - 1) * 100
    return Reading(
        key, label,
        (Figure("distance", "Distance from $100,000", distance, "%", iso(day)),
         Figure("price", what, price, "USD", iso(day))),
        "distance", False if judged else None, explanation)


def _russell_break(data: MarketData) -> pd.Timestamp | None:
    """First day after 2021 on which the Russell 2000 traded above its 2021 intraday record."""
    high = data.frame("rut")["high"]
    record = high[(high.index >= "2021-01-01") & (high.index <= "2021-12-31")].max()
    above = high[(high.index > "2021-12-31") & (high > record)]
    return above.index[0] if not above.empty else None


def _reached_reading(first_close: tuple | None, first_high: tuple | None) -> Reading:
    def fig(key: str, label: str, hit: tuple | None) -> Figure:
        return Figure(key, label, iso(hit[0]) if hit else None, "date",
                      note="" if hit else "not yet in the data")

    return Reading(
        "reached_100k", "The summary's wording: had BTC reached $100,000 by the end of November 2024?",
        (fig("first_high_100k", "First intraday high at or above $100,000", first_high),
         fig("first_close_100k", "First daily close at or above $100,000", first_close)),
        "first_high_100k", False,
        "The publisher's summary says BTC 'had already reached $100,000 by November 2024'.")


def compute(data: MarketData) -> Computation:
    btc = data.frame("btc-usd")
    close, high = btc["close"], btc["high"]
    nov_close, nov_high = window(close, MONTH_START, MONTH_END), window(high, MONTH_START, MONTH_END)
    if nov_close.empty:
        raise ValueError("no BTC data for November 2024")
    first_close = _first_at_or_above(close, LEVEL)
    first_high = _first_at_or_above(high, LEVEL)
    readings = [
        _near_reading("november_peak_close", "Highest daily close in November 2024", nov_close.idxmax(),
                      float(nov_close.max()), "Highest close"),
        _near_reading("november_peak_high", "Highest intraday price in November 2024", nov_high.idxmax(),
                      float(nov_high.max()), "Highest intraday high"),
        _near_reading("month_end_close", "Close on 30 November 2024", nov_close.index[-1],
                      float(nov_close.iloc[-1]), "Month-end close"),
        _near_reading("election_day_close", "Close on 5 November 2024 (U.S. election day)", ELECTION_DAY,
                      float(close[ELECTION_DAY]), "Close",
                      "For context: where BTC stood before the month's rally.", judged=False),
    ]
    rut_day = _russell_break(data)
    if rut_day is not None and rut_day in close.index:
        readings.append(_near_reading(
            "at_russell_break", "On the day the Russell 2000 first traded above its 2021 intraday record",
            rut_day, float(close[rut_day]), "BTC close that day",
            "'At the same time' read literally. Which day the Russell 2000 broke its 2021 high (intraday or "
            "on a close) is checked in RUT-FIRST-BREAK; only BTC's price that day is shown here."))
    readings.append(_reached_reading(first_close, first_high))

    evidence = btc.loc[(btc.index >= CHART_FROM) & (btc.index <= CHART_TO), ["close", "high"]].reset_index()
    evidence["reference"] = LEVEL
    evidence["event"], evidence["event_price"] = "", evidence["close"]
    marks = [(nov_close.idxmax(), "Nov peak close", "close")]
    if rut_day is not None:
        marks.append((rut_day, "Russell 2000 trades above its 2021 high", "close"))
    if first_high:
        marks.append((first_high[0], "first high >= 100k", "high"))
    if first_close:
        marks.append((first_close[0], "first close >= 100k", "close"))
    for day, label, column in marks:
        row = evidence["date"] == day
        evidence.loc[row, "event"] = label
        evidence.loc[row, "event_price"] = evidence.loc[row, column]
    return Computation(
        readings, "november_peak_close", evidence,
        notes=["BTC-USD days are UTC calendar days; 'November 2024' is 1-30 November (UTC).",
               "The body says 'near $100,000'; the publisher's summary says 'reached $100,000 by November "
               "2024'. Both wordings are judged; see the rule."],
        context={"first_close_100k": iso(first_close[0]) if first_close else None,
                 "first_high_100k": iso(first_high[0]) if first_high else None},
    )


def _by_month_end(day: object) -> bool:
    return isinstance(day, str) and pd.Timestamp(day) <= MONTH_END


def summary_label(comp: Computation) -> VerdictLabel:
    """'Reached $100,000 by November 2024': a close by 30 Nov, else an intraday high by then, else no."""
    if _by_month_end(comp.context.get("first_close_100k")):
        return "Accurate"
    return "Mostly accurate" if _by_month_end(comp.context.get("first_high_100k")) else "Inaccurate"


def _overall(body: VerdictLabel, summary: VerdictLabel) -> VerdictLabel:
    return "Mostly accurate" if summary == "Inaccurate" and body == "Accurate" else body


def _distance_words(distance: float) -> str:
    return f"{abs(distance):.1f}% {'below' if distance < 0 else 'above'} $100,000"


def judge(comp: Computation) -> Verdict:
    distance = comp.number("distance", comp.primary)
    body = band(abs(distance), ACCURATE_PCT, MOSTLY_PCT)
    summary = summary_label(comp)
    first_high = comp.context.get("first_high_100k")
    reached = (f"BTC first traded at $100,000 on {readable_day(str(first_high))}" if first_high
               else "BTC had not yet traded at $100,000")
    return Verdict(_overall(body, summary),
                   f"The body's 'near $100,000' is {body} ({_distance_words(distance)}); the summary's 'reached "
                   f"$100,000 by November 2024' is {summary} ({reached})")


def matches(reading: Reading) -> bool | None:
    """Does this reading reproduce the article? A price within the Accurate band of $100,000 for 'near'; a
    close at or above $100,000 by 30 November 2024 for the summary's 'reached'."""
    figures = {f.key: f.value for f in reading.figures}
    if "first_close_100k" in figures:
        return _by_month_end(figures["first_close_100k"])
    distance = figures.get("distance")
    if not isinstance(distance, int | float):
        return None
    return band(abs(float(distance)), ACCURATE_PCT, MOSTLY_PCT) == "Accurate"


def finding(comp: Computation) -> str:
    main = comp.primary_reading
    distance, price = comp.number("distance", main.key), comp.number("price", main.key)
    day = comp.figure("price", main.key).date
    near = band(abs(distance), ACCURATE_PCT, MOSTLY_PCT)
    near_words = {"Accurate": "near $100,000 as the article says", "Mostly accurate": "not far from $100,000",
                  "Inaccurate": "not near $100,000"}[near]
    first_high = comp.context.get("first_high_100k")
    if _by_month_end(first_high):
        reached = f"it first traded at $100,000 on {readable_day(str(first_high))}, within November"
    elif first_high:
        reached = (f"it first traded at $100,000 only on {readable_day(str(first_high))}, so the publisher's "
                   "summary that it had reached $100,000 by November overstates it")
    else:
        reached = "it had not traded at $100,000 by the end of the data"
    return (f"Bitcoin's highest close in November 2024 was {format_value(price, 'USD')} on {readable_day(day)}, "
            f"{_distance_words(distance)}, so it was {near_words}; {reached}.")


CLAIM = Claim(
    id="BTC-NOV-2024",
    order=9,
    title="BTC near $100,000 in November 2024",
    section="2016 and 2020: Two Breakouts",
    quote="BTC was already near $100,000",
    paraphrase="In November 2024, when the Russell 2000 first broke its 2021 high, bitcoin was already close "
               "to $100,000; the publisher's summary goes further and says it had reached $100,000 by then.",
    article=(ArticleFigure("level", "Price level", LEVEL, "USD", "near $100,000"),),
    needs=("btc-usd", "rut"),
    method="BTC-USD daily OHLC (UTC days): the highest close and the highest intraday price in November "
           "2024, the month-end and election-day closes, BTC's close on the day the Russell 2000 first traded "
           "above its 2021 intraday record, and the first days BTC closed and traded at or above $100,000.",
    compute=compute,
    rule=custom(
        f"The body's 'near $100,000': Accurate if November 2024's highest close is within {ACCURATE_PCT:g}% of "
        f"$100,000, Mostly accurate within {MOSTLY_PCT:g}%. The summary's 'reached $100,000 by November 2024': "
        "Accurate if BTC closed there by 30 November, Mostly accurate if it only traded there. The verdict is "
        "the body's, lowered to Mostly accurate when the summary's stronger wording is Inaccurate.",
        judge,
        matches,
    ),
    chart=lambda df: price_with_events(df, "close", "BTC (USD)", "reference", "article: $100,000", second="high",
                                       event_value="event_price", mark_publication=False),
    chart_title="Bitcoin daily close (solid) and intraday high (dashed), October to December 2024",
    finding=finding,
    fixed_in_time=True,
)
