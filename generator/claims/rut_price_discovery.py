"""RUT-PRICE-DISCOVERY: the Russell 2000 is now in "price discovery", with no historical resistance above it."""

from __future__ import annotations

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.calendars import last_visible_day
from generator.catalog import spec
from generator.charts.rut import closes_with_running_record
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Setting, Verdict
from generator.claimkit.helpers import iso, pct_change
from generator.claimkit.rules import custom, reading_value
from generator.claimkit.vocabulary import VerdictLabel
from generator.formatting import format_day, format_value
from generator.market import MarketData

TOLERANCES = (1.0, 2.0, 5.0)
"""Distances below the record close (in %) shown as readings of 'in price discovery'."""
ACCURATE_WITHIN, MOSTLY_WITHIN = 2.0, 5.0
RECENT_DAYS, RECENT_SESSIONS = 30, 21
CHART_DAYS = 183
CHART_MARGIN = 30
"""The chart starts at least this many days before the last close the article could have seen."""


def record_closes(close: pd.Series) -> pd.Series:
    """True on each day whose close is above every earlier close (a new all-time closing high)."""
    return close > close.cummax().shift(1)


def _status(rut: pd.DataFrame) -> dict[str, Figure]:
    """Where the last close stands against the all-time closing (and intraday) high up to that day."""
    close, high = rut["close"], rut["high"]
    day, last = close.index[-1], float(close.iloc[-1])
    records = record_closes(close)
    record_day, record = close.idxmax(), float(close.max())
    recent = records[records.index > day - pd.Timedelta(days=RECENT_DAYS)]
    last_record = records[records].index[-1] if records.any() else record_day
    return {
        "distance": Figure("distance_from_record", "Close vs the all-time closing high", pct_change(record, last),
                           "%", iso(day)),
        "close": Figure("close", "Close on the evaluation date", last, "points", iso(day)),
        "record": Figure("record_close", "All-time closing high up to that date", record, "points",
                         iso(record_day)),
        "recent": Figure("records_last_30_days", f"Record closes in the {RECENT_DAYS} calendar days ending on "
                         "that date", int(recent.sum()), "count"),
        "sessions": Figure("records_last_21_sessions", f"Record closes in the last {RECENT_SESSIONS} trading "
                           "days", int(records.iloc[-RECENT_SESSIONS:].sum()), "count"),
        "since": Figure("days_since_record", "Calendar days since the latest record close",
                        int((day - last_record).days), "days", iso(last_record)),
        "intraday": Figure("distance_from_intraday_record", "Close vs the all-time intraday high",
                           pct_change(float(high.max()), last), "%", iso(high.idxmax())),
        "today": Figure("record_today", "The close on the evaluation date is itself a record",
                        bool(records.iloc[-1]), "yes/no", iso(day)),
    }


WITHIN = {"at_record": 0.0, "within_1pct": 1.0, "near_record_recent": ACCURATE_WITHIN, "within_5pct": 5.0}
"""How far below the record close (in %) each reading still counts as 'price discovery'."""
NEEDS_RECENT = {"near_record_recent"}
"""Readings that also need a record close in the last 30 days."""


def _readings(status: dict[str, Figure]) -> list[Reading]:
    common = (status["distance"], status["close"], status["record"], status["recent"], status["sessions"],
              status["since"])
    since = status["since"]
    readings = [Reading("at_record", "Strictly: the close is itself an all-time closing high",
                        (*common, status["today"]), "distance_from_record", False,
                        f"The latest record close was on {format_day(since.date)}, {since.value} calendar day(s) "
                        f"before the close of {format_day(status['close'].date)}.")]
    for pct in TOLERANCES:
        if pct == ACCURATE_WITHIN:
            readings.append(Reading(
                "near_record_recent", f"Within {pct:g}% of the all-time closing high, with a record close in the "
                f"last {RECENT_DAYS} days", (*common, status["intraday"]), "distance_from_record", False))
        else:
            readings.append(Reading(f"within_{pct:g}pct", f"Within {pct:g}% of the all-time closing high",
                                    common, "distance_from_record", False))
    return readings


def _evidence(close: pd.Series) -> pd.DataFrame:
    records = record_closes(close)
    frame = pd.DataFrame({"close": close, "record_close": close.cummax(), "new_record": records})
    start = min(close.index[-1] - pd.Timedelta(days=CHART_DAYS), article_day() - pd.Timedelta(days=CHART_MARGIN))
    frame = frame.loc[frame.index > start]
    frame.index.name = "date"
    return frame.reset_index()


def article_day() -> pd.Timestamp:
    """The last Russell 2000 close the article could have seen (the chart always shows it)."""
    return pd.Timestamp(last_visible_day(spec("rut").calendar, PUBLISHED_AT))


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    status = _status(rut)
    distance, recent = float(status["distance"].value or 0.0), int(status["recent"].value or 0)
    grid = [Setting(f"price discovery read as a close within {pct:g}% of the record close, with a record close "
                    f"in the last {RECENT_DAYS} days" if pct else
                    "price discovery read as a close that is itself a record",
                    label(distance, recent, pct), primary=pct == ACCURATE_WITHIN)
            for pct in (0.0, *TOLERANCES)]
    return Computation(
        _readings(status), "near_record_recent", _evidence(rut["close"]),
        notes=["'Now' is the last close of the data: the last close before the article (22 January 2026) at "
               "publication, the latest close otherwise.",
               "Price discovery means trading above every past level. The strict reading asks that the close "
               "itself be a record; the main reading allows a close within "
               f"{ACCURATE_WITHIN:g}% of the record provided a record was set in the last {RECENT_DAYS} days."],
        sensitivity=grid,
    )


def label(distance: float, recent: int, within: float = ACCURATE_WITHIN) -> VerdictLabel:
    """The rule: Accurate within ``within``% of the record with a recent record close, Mostly accurate within
    5%, Inaccurate further below (edges inclusive, float noise below 1e-9 ignored)."""
    distance = round(distance, 9)
    if distance >= -within and recent >= 1:
        return "Accurate"
    if distance >= -MOSTLY_WITHIN:
        return "Mostly accurate"
    return "Inaccurate"


def judge(comp: Computation) -> Verdict:
    distance = comp.number("distance_from_record", comp.primary)
    recent = int(comp.number("records_last_30_days", comp.primary))
    close = comp.figure("close", comp.primary)
    where = (f"The close of {format_day(close.date)} was {abs(distance):.2f}% below the all-time closing high"
             if round(distance, 9) < 0 else f"The close of {format_day(close.date)} was an all-time closing high")
    return Verdict(label(distance, recent), f"{where}, with {recent} record close{'s' if recent != 1 else ''} "
                                            f"in the {RECENT_DAYS} days to that day")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces 'price discovery' when the close meets that reading's own definition of it."""
    within = WITHIN.get(reading.key)
    distance = reading_value(reading, "distance_from_record")
    if within is None or distance is None:
        return None
    recent = reading_value(reading, "records_last_30_days") or 0.0
    return round(distance, 9) >= -within and (reading.key not in NEEDS_RECENT or recent >= 1)


def finding(comp: Computation) -> str:
    distance = comp.number("distance_from_record", comp.primary)
    close, record = comp.figure("close", comp.primary), comp.figure("record_close", comp.primary)
    recent = int(comp.number("records_last_30_days", comp.primary))
    where = ("at a record " + format_value(close.value, "points") if round(distance, 9) >= 0 else
             f"at {format_value(close.value, 'points')}, {abs(distance):.1f}% below its record close of "
             f"{format_value(record.value, 'points')} ({format_day(record.date)})")
    if round(distance, 9) >= 0:
        state = "so it was trading above every past level"
    elif label(distance, recent) == "Accurate":
        state = "close enough to a record set within the month to count as price discovery"
    else:
        state = "so it was not trading at record levels"
    return (f"On {format_day(close.date)} the Russell 2000 closed {where}, with {recent} record "
            f"close{'s' if recent != 1 else ''} in the previous {RECENT_DAYS} days, {state}.")


CLAIM = Claim(
    id="RUT-PRICE-DISCOVERY",
    order=4,
    title="Russell 2000 in price discovery",
    section="Opening",
    quote="entered the \"price discovery\" phase",
    paraphrase="The index trades at record levels, so there are no past price levels above it to act as "
               "resistance.",
    article=(ArticleFigure("state", "Market state", "price discovery", "state", "\"price discovery\" phase"),),
    needs=("rut",),
    method="On the last close of the data: its distance from the all-time closing high up to that day (and from "
           "the all-time intraday high); whether it is within 1%, 2% and 5% of the record; how many record closes "
           f"were set in the {RECENT_DAYS} calendar days and the {RECENT_SESSIONS} trading days ending on that "
           "day; days since the latest record close.",
    compute=compute,
    rule=custom(
        f"Accurate if the close is within {ACCURATE_WITHIN:g}% (inclusive) of the all-time closing high up to "
        f"that date and at least one record close was set in the {RECENT_DAYS} calendar days ending on that "
        f"date; Mostly accurate if it is within {MOSTLY_WITHIN:g}% (inclusive) but the Accurate conditions are "
        f"not both met; Inaccurate if it is more than {MOSTLY_WITHIN:g}% below the record close. The grid "
        "repeats the rule with the Accurate distance at 0% (a record close that very day), 1% and 5%. Each "
        "reading reproduces the article's 'price discovery' when the close meets that reading's own definition.",
        judge, matches,
        summary=f"Accurate if the close is within {ACCURATE_WITHIN:g}% of its record with a record close in the last "
                f"{RECENT_DAYS} days; Mostly accurate within {MOSTLY_WITHIN:g}%.",
    ),
    chart=closes_with_running_record,
    chart_title="Russell 2000 daily close over the six months to the evaluation date, with record closes",
    finding=finding,
)
