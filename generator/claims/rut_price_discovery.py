"""RUT-PRICE-DISCOVERY: the Russell 2000 is now in "price discovery", with no historical resistance above it."""

from __future__ import annotations

import pandas as pd

from generator.charts.rut import closes_with_running_record
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso, pct_change
from generator.claimkit.rules import custom
from generator.market import MarketData

TOLERANCES = (1.0, 2.0, 5.0)
"""Distances below the record close (in %) shown as readings of 'in price discovery'."""
ACCURATE_WITHIN, MOSTLY_WITHIN = 2.0, 5.0
RECENT_DAYS, RECENT_SESSIONS = 30, 21
CHART_DAYS = 183


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


def _readings(status: dict[str, Figure]) -> list[Reading]:
    distance = float(status["distance"].value)  # type: ignore[arg-type]
    recent = int(status["recent"].value)  # type: ignore[arg-type]
    common = (status["distance"], status["close"], status["record"], status["recent"], status["sessions"],
              status["since"])
    since = status["since"]
    readings = [Reading("at_record", "Strictly: the close on the evaluation date is an all-time closing high",
                        (*common, status["today"]), "distance_from_record", bool(status["today"].value),
                        f"The latest record close was on {since.date}, {since.value} calendar day(s) before the "
                        f"close of {status['close'].date}.")]
    for pct in TOLERANCES:
        near = round(distance, 9) >= -pct
        if pct == ACCURATE_WITHIN:
            readings.append(Reading(
                "near_record_recent", f"Within {pct:g}% of the all-time closing high, with a record close in the "
                f"last {RECENT_DAYS} days", (*common, status["intraday"]), "distance_from_record",
                near and recent >= 1))
        else:
            readings.append(Reading(f"within_{pct:g}pct", f"Within {pct:g}% of the all-time closing high",
                                    common, "distance_from_record", near))
    return readings


def _evidence(close: pd.Series) -> pd.DataFrame:
    records = record_closes(close)
    frame = pd.DataFrame({"close": close, "record_close": close.cummax(), "new_record": records})
    frame = frame.loc[frame.index > close.index[-1] - pd.Timedelta(days=CHART_DAYS)]
    frame.index.name = "date"
    return frame.reset_index()


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    status = _status(rut)
    return Computation(
        _readings(status), "near_record_recent", _evidence(rut["close"]),
        notes=["'Now' is the last close of the data: 2026-01-23 at publication, the latest close otherwise.",
               "Price discovery means trading above every past level. The strict reading asks that the close of "
               "the evaluation date itself be a record; the primary reading allows a close within "
               f"{ACCURATE_WITHIN:g}% of the record provided a record was set in the last {RECENT_DAYS} days."],
        context={"distance_from_record": status["distance"].value,
                 "records_last_30_days": status["recent"].value},
    )


def judge(comp: Computation) -> Verdict:
    # rounded to 9 decimals so float noise cannot move a figure across an inclusive edge
    distance = round(float(comp.context["distance_from_record"]), 9)  # type: ignore[arg-type]
    recent = int(comp.context["records_last_30_days"])  # type: ignore[arg-type]
    if distance >= -ACCURATE_WITHIN and recent >= 1:
        label = "Accurate"
    elif distance >= -MOSTLY_WITHIN:
        label = "Mostly accurate"
    else:
        label = "Inaccurate"
    return Verdict(label, f"close {distance:.2f}% from the all-time closing high; {recent} record close(s) in "
                          f"the {RECENT_DAYS} days ending on the evaluation date")


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
        f"Accurate if the close on the evaluation date is within {ACCURATE_WITHIN:g}% (inclusive) of the "
        f"all-time closing high up to that date and at least one record close was set in the {RECENT_DAYS} "
        f"calendar days ending on that date; Mostly accurate if it is within {MOSTLY_WITHIN:g}% (inclusive) but "
        "the Accurate conditions are not both met; Inaccurate if it is more than "
        f"{MOSTLY_WITHIN:g}% below the record close.",
        judge,
    ),
    chart=closes_with_running_record,
    chart_title="Russell 2000 daily close over the six months to the evaluation date, with record closes",
)
