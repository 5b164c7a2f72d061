"""RUT-2025-RETURN: in 2025 the Russell 2000 rose over 40%."""

from __future__ import annotations

import pandas as pd

from generator.article import PUBLISHED_AT
from generator.calendars import last_visible_day
from generator.catalog import spec
from generator.charts.rut import rebased_with_events
from generator.claimkit.base import ArticleFigure, Claim, Computation, Figure, Reading, Verdict
from generator.claimkit.helpers import iso, on_or_before, pct_change, window, year_end
from generator.claimkit.rules import custom, reading_value
from generator.claimkit.vocabulary import VerdictLabel
from generator.formatting import format_day, format_value
from generator.market import MarketData

YEAR = 2025
CLAIMED = 40.0
"""The article's "over 40%": a reading matches if its figure is strictly above 40%."""
ACCURATE_MIN, MOSTLY_MIN = 40.0, 35.0
TRAILING = pd.Timedelta(weeks=52)
PRICE_LABEL, TOTAL_LABEL = "Russell 2000 (price)", "IWM (total return)"


def _return_figures(series: pd.Series, what: str, unit: str) -> tuple[Figure, ...]:
    start_day, start = year_end(series, YEAR - 1)
    end_day, end = year_end(series, YEAR)
    return (Figure("return", f"{YEAR} {what}", pct_change(start, end), "%", iso(end_day)),
            Figure("start", f"{YEAR - 1} year-end close", start, unit, iso(start_day)),
            Figure("end", f"{YEAR} year-end close", end, unit, iso(end_day)))


def _reading(key: str, label: str, figures: tuple[Figure, ...], explanation: str = "",
             context_only: bool = False) -> Reading:
    return Reading(key, label, figures, figures[0].key, None if context_only else False, explanation)


def _number(figure: Figure) -> float:
    value = figure.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{figure.label}: not a number: {value!r}")
    return float(value)


def article_day() -> pd.Timestamp:
    """The last Russell 2000 close the article could have seen."""
    return pd.Timestamp(last_visible_day(spec("rut").calendar, PUBLISHED_AT))


def _calendar_readings(close: pd.Series, iwm: pd.Series, origin: str) -> list[Reading]:
    price = _return_figures(close, "price return (close to close)", "points")
    total = _return_figures(iwm, "total return of IWM (adjusted close to adjusted close)", "USD")
    gap = Figure("total_minus_price", "IWM total return minus index price return",
                 _number(total[0]) - _number(price[0]), "pp")
    return [
        _reading("calendar_price", f"Calendar {YEAR}, price return of the index", price),
        _reading("calendar_total", f"Calendar {YEAR}, total return (IWM as a proxy)", (*total, gap),
                 f"IWM's dividend-adjusted closes from one vintage ({origin}); an ETF proxy, so the figure is "
                 "net of the fund's fees and tracking difference."),
    ]


def _trough_reading(close: pd.Series, low: pd.Series) -> Reading:
    year = window(close, f"{YEAR}-01-01", f"{YEAR}-12-31")
    lows = window(low, f"{YEAR}-01-01", f"{YEAR}-12-31")
    trough_day, trough = year.idxmin(), float(year.min())
    end_day, end = year_end(close, YEAR)
    return _reading(
        "trough_to_year_end", f"From the lowest {YEAR} close to the {YEAR} year-end close",
        (Figure("return", "Rise from the lowest close to the year-end close", pct_change(trough, end), "%",
                iso(end_day)),
         Figure("trough", f"Lowest {YEAR} close", trough, "points", iso(trough_day)),
         Figure("end", f"{YEAR} year-end close", end, "points", iso(end_day)),
         Figure("from_intraday_low", "Rise from the lowest intraday low to the year-end close",
                pct_change(float(lows.min()), end), "%", iso(lows.idxmin()))),
        "Starts at the year's low, not at the start of the year.")


def _trailing_reading(close: pd.Series, anchor: pd.Timestamp, key: str, label: str, context_only: bool) -> Reading:
    day, last = on_or_before(close, anchor)
    base_day, base = on_or_before(close, day - TRAILING)
    return _reading(key, label,
                    (Figure("return", "52-week price return", pct_change(base, last), "%", iso(day)),
                     Figure("start", "Close 52 weeks earlier (on or before)", base, "points", iso(base_day)),
                     Figure("end", "Close", last, "points", iso(day))),
                    context_only=context_only)


def _origin(data: MarketData) -> str:
    manifest = data.manifests.get("iwm")
    if manifest is None:
        return "vintage not recorded"
    rows = [o for o in manifest.origins if o.role == "rows"]
    return "; ".join(f"{o.publisher}, adjusted as of {o.written_at or 'an unrecorded date'}" for o in rows)


def _evidence(close: pd.Series, iwm: pd.Series, trough_day: pd.Timestamp) -> pd.DataFrame:
    """Both series rebased to 100 at the 2024 year-end, through the last close the article could have seen."""
    parts = []
    for label, series in ((PRICE_LABEL, close), (TOTAL_LABEL, iwm)):
        start_day, start = year_end(series, YEAR - 1)
        part = window(series, start_day, article_day())
        parts.append(pd.DataFrame({"date": part.index, "series": label, "value": (part / start * 100).values}))
    table = pd.concat(parts, ignore_index=True)
    end_day = year_end(close, YEAR)[0]
    marks = {trough_day: f"lowest {YEAR} close ({iso(trough_day)})", end_day: f"{YEAR} year-end ({iso(end_day)})"}
    on_price = table["series"] == PRICE_LABEL
    table["event"] = [marks.get(day, "") if price else "" for day, price in zip(table["date"], on_price, strict=True)]
    table["claimed_level"] = 100.0 + CLAIMED
    return table


def compute(data: MarketData) -> Computation:
    rut = data.frame("rut")
    close, iwm = rut["close"], data.close("iwm")
    readings = _calendar_readings(close, iwm, _origin(data))
    readings.append(_trough_reading(close, rut["low"]))
    publication = article_day()
    readings.append(_trailing_reading(close, min(publication, close.index[-1]), "trailing_52w_publication",
                                      "52 weeks to the last close before the article", context_only=False))
    if close.index[-1] > publication:
        readings.append(_trailing_reading(close, close.index[-1], "trailing_52w_now",
                                          "For context: 52 weeks to the latest close (not the article's window)",
                                          context_only=True))
    trough_day = readings[2].figures[1].date
    return Computation(
        readings, "calendar_price", _evidence(close, iwm, pd.Timestamp(trough_day)),
        notes=[f"'In {YEAR}' is read as the calendar year: the {YEAR - 1} year-end close to the {YEAR} year-end "
               "close, price only (how index returns are normally quoted).",
               "Total return uses the iShares Russell 2000 ETF (IWM) dividend-adjusted closes, all from one "
               "adjustment vintage; it is a proxy net of fund fees, not the official total-return index."],
        context={"trough_to_year_end": readings[2].headline_figure.value},
    )


def label(value: float) -> VerdictLabel:
    """The rule's bands on a 2025 return (edges inclusive; float noise below 1e-9 ignored)."""
    value = round(value, 9)
    if value >= ACCURATE_MIN:
        return "Accurate"
    if value >= MOSTLY_MIN:
        return "Mostly accurate"
    return "Inaccurate"


def judge(comp: Computation) -> Verdict:
    value = comp.number("return", comp.primary)
    trough = comp.figure("return", "trough_to_year_end")
    return Verdict(label(value), f"The {comp.figure('return', comp.primary).label} was "
                                 f"{format_value(value, '%')} against the article's 'over {CLAIMED:g}%'; only "
                                 f"measured from the year's lowest close does the rise reach "
                                 f"{format_value(trough.value, '%')}")


def matches(reading: Reading) -> bool | None:
    """A reading reproduces 'over 40%' when its return is at least 40%."""
    value = reading_value(reading, "return")
    return None if value is None else label(value) == "Accurate"


def finding(comp: Computation) -> str:
    price = comp.figure("return", "calendar_price")
    total = comp.figure("return", "calendar_total")
    trough = comp.figure("trough", "trough_to_year_end")
    rise = comp.figure("return", "trough_to_year_end")
    return (f"In calendar {YEAR} the Russell 2000 rose {format_value(price.value, '%')} "
            f"({format_value(total.value, '%')} with dividends, through IWM), not over {CLAIMED:g}%; only from "
            f"its lowest close of the year ({format_day(trough.date)}) to the year-end was the rise "
            f"{format_value(rise.value, '%')}.")


CLAIM = Claim(
    id="RUT-2025-RETURN",
    order=19,
    title="Russell 2000 up more than 40% in 2025",
    section="Coincidence, or the Same Liquidity Logic?",
    quote="rose over 40%",
    paraphrase="The Russell 2000 gained more than 40% over 2025.",
    article=(ArticleFigure("return_2025", "Rise in 2025", CLAIMED, "%", "rose over 40%"),),
    needs=("rut", "iwm"),
    method=f"Calendar-{YEAR} price return (last {YEAR - 1} close to last {YEAR} close); the same window as a "
           "total return from IWM's dividend-adjusted closes; the rise from the lowest 2025 close to the 2025 "
           "year-end close; the 52-week price return to the publication-date close (and, for context, to the "
           "latest close).",
    compute=compute,
    rule=custom(
        f"Uses the calendar-{YEAR} price return (main reading). Accurate if it is at least {ACCURATE_MIN:g}%; "
        f"Mostly accurate if at least {MOSTLY_MIN:g}%; Inaccurate below that. A reading reproduces the article's "
        f"figure when its return is at least {ACCURATE_MIN:g}%. The rise from the year's lowest close is shown "
        "but does not rescue the figure: 'in 2025' means the year, and a rise measured from the April low is a "
        "different, much larger number. Calendar 2025 is a closed window, so later data cannot change it.",
        judge, matches,
        summary=f"Accurate if the calendar-{YEAR} price return is at least {ACCURATE_MIN:g}%; Mostly accurate if at "
                f"least {MOSTLY_MIN:g}%; otherwise Inaccurate.",
    ),
    chart=rebased_with_events,
    chart_title=f"Russell 2000 price and IWM total return through {YEAR}, rebased to 100, with the article's "
                "+40% level",
    finding=finding,
    fixed_in_time=True,
)
